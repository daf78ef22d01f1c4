package corpus

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestHandlerAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path string
		hdr        []string
		code       int
		location   string
	}{
		{"redirect", RedirectFrom, nil, http.StatusMovedPermanently, RedirectTo},
		{"broken", BrokenLink, nil, http.StatusNotFound, ""},
		{"slash", "/wildlife-trafficking", nil, http.StatusMovedPermanently, "/wildlife-trafficking/"},
		{"traversal", "/../corpus.go", nil, http.StatusNotFound, ""},
		{"template file", "/templates/classic.html", nil, http.StatusNotFound, ""},
		{"slug source file", "/wildlife-trafficking/index.html", nil, http.StatusMovedPermanently, "/wildlife-trafficking/"},
		{"home source file", "/index.html", nil, http.StatusMovedPermanently, "/"},
		{"raw css", "/css/modern.css", nil, http.StatusOK, ""},
		{"conditional", "/j/inl/regions/index.htm", []string{"If-Modified-Since", time.Now().UTC().Format(http.TimeFormat)}, http.StatusNotModified, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := get(t, tt.path, tt.hdr...)
			mustBody(t, resp)
			if resp.StatusCode != tt.code {
				t.Fatalf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.code)
			}
			if tt.location != "" && resp.Header.Get("Location") != tt.location {
				t.Errorf("Location = %q, want %q", resp.Header.Get("Location"), tt.location)
			}
		})
	}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d, want 405", w.Code)
	}
	if _, _, err := Render("/nowhere.htm"); err == nil {
		t.Errorf("Render of a missing page: no error")
	}
}

func TestParsePageRejectsBadFrontMatter(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"no title":     "<!--\ntemplate: classic\nlastmod: 2014-01-01\n-->\n<p>x</p>",
		"bad date":     "<!--\ntemplate: classic\ntitle: T\nlastmod: 2014-13-01\n-->\n<p>x</p>",
		"unknown key":  "<!--\ntemplate: classic\ntitle: T\nlastmod: 2014-01-01\ncolour: red\n-->\n",
		"bad charset":  "<!--\ntemplate: classic\ntitle: T\nlastmod: 2014-01-01\ncharset: koi8-r\n-->\n",
		"unterminated": "<!--\ntemplate: classic\ntitle: T\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := parsePage(src); err == nil {
				t.Errorf("parsePage accepted %q", src)
			}
		})
	}
	if _, ok, err := parsePage("User-agent: *\n"); ok || err != nil {
		t.Errorf("plain file taken for a page (ok %v, err %v)", ok, err)
	}
}
