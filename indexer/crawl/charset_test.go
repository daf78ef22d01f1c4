package crawl

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// cp1252 holds “quoted” – 5€ ™ in windows-1252.
var cp1252 = []byte{0x93, 'q', 'u', 'o', 't', 'e', 'd', 0x94, ' ', 0x96, ' ', '5', 0x80, ' ', 0x99}

const cp1252Want = "“quoted” – 5€ ™"

func TestCrawlCharsets(t *testing.T) {
	t.Parallel()
	page := func(ct, head string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write([]byte("<html><head>" + head + "<title>x</title></head><body><p>"))
			w.Write(body)
			w.Write([]byte("</p></body></html>"))
		}
	}
	long := strings.Repeat("<p>plain ascii filler</p>", 100) // pushes the high bytes past 1024
	s := MustSite(t, map[string]http.HandlerFunc{
		"/":           htmlPage("/header", "/meta", "/http-equiv", "/undeclared", "/late", "/utf8", "/conflict", "/latin1", "/bom16"),
		"/header":     page("text/html; charset=windows-1252", "", cp1252),
		"/meta":       page("text/html", `<meta charset="windows-1252">`, cp1252),
		"/http-equiv": page("text/html", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`, cp1252),
		"/undeclared": page("text/html", "", cp1252),
		"/late":       page("text/html", "", append([]byte(long), cp1252...)),
		"/utf8":       page("text/html", "", []byte(cp1252Want)),
		// BOM > header > meta: the header wins over the meta tag.
		"/conflict": page("text/html; charset=windows-1252", `<meta charset="utf-8">`, cp1252),
		"/latin1":   page("text/html; charset=iso-8859-1", "", []byte{'c', 'a', 'f', 0xe9}),
		"/bom16": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte{0xff, 0xfe}) // UTF-16LE BOM beats the header
			for _, r := range "<p>café €</p>" {
				w.Write([]byte{byte(r), byte(r >> 8)})
			}
		},
	})
	_, col := MustCrawl(t, fastConfig(), s.URL("/"))
	tests := []struct {
		path, want, charset string
	}{
		{"/header", cp1252Want, "windows-1252"},
		{"/meta", cp1252Want, "windows-1252"},
		{"/http-equiv", cp1252Want, "windows-1252"},
		{"/undeclared", cp1252Want, "windows-1252"},
		{"/late", cp1252Want, "windows-1252"},
		{"/utf8", cp1252Want, "utf-8"},
		{"/conflict", cp1252Want, "windows-1252"},
		{"/latin1", "café", "windows-1252"},
		{"/bom16", "café €", "utf-16le"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := col.get(s.URL(tt.path))
			if p == nil {
				t.Fatalf("%s not handed over", tt.path)
			}
			if !utf8.Valid(p.Body) {
				t.Errorf("%s: body is not valid UTF-8", tt.path)
			}
			if !strings.Contains(string(p.Body), tt.want) || strings.ContainsRune(string(p.Body), utf8.RuneError) {
				t.Errorf("%s: body %q, want it to contain %q and no U+FFFD", tt.path, p.Body, tt.want)
			}
			if p.Charset != tt.charset {
				t.Errorf("%s: Charset = %q, want %q", tt.path, p.Charset, tt.charset)
			}
		})
	}
}

func TestDecodeBodyInvalidUTF8(t *testing.T) {
	t.Parallel()
	// Declared UTF-8 with a stray byte: the result must still be valid UTF-8.
	got, name := decodeBody([]byte("<p>ok \xff end</p>"), "text/html; charset=utf-8", false)
	if !utf8.Valid(got) || name != "utf-8" || !strings.Contains(string(got), "ok \uFFFD end") {
		t.Errorf("decodeBody = %q, %q; want valid UTF-8 with U+FFFD, utf-8", got, name)
	}
}
