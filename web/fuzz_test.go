package web

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzSearchHandler sends any q, and any other raw query parameters, to the
// API and the HTML page over a small real index (RELIABILITY.md C1): never
// a 500 (a panic would be one, through the recovery middleware), always the
// JSON error shape in the API.
func FuzzSearchHandler(f *testing.F) {
	for _, seed := range []struct{ q, extra string }{
		{`"foo`, ""}, {"title:", ""}, {"+-", ""}, {"(((", ""}, {`\`, ""}, {"\xff\xfe", ""}, {"\x00", ""},
		{"", ""}, {"a:b:c", ""}, {"nosuchfield:x", ""}, {"container", "country=Panama&country=ecuador"},
		{"police", "page=3&per_page=7&sort=date"}, {"traffick*", "facet_size=50"}, {"*", "year_from=2019&year_to=2021"},
		{"/(a+)+$/", ""}, {"foo~10", ""}, {"NOT NOT (a OR -b)", "type=fact+sheet"}, {"AML", "region=%ff"},
		{"<script>alert(1)</script>", "sort=%3Cscript%3E"}, {"a", "page=99999999999&per_page=%2B5"},
		{"country:\"South Sudan\" year:2013", "topic=corruption"}, {"ala* OR bal* OR cob*", ""},
		{"police judges prisons", ""}, {"police judges prisons -haiti country:peru", "match=all"},
		{"(a OR b) c \"d e\" f*", "match=auto"}, {"police border", "match=most"},
	} {
		f.Add(seed.q, seed.extra)
	}
	ix := MustRealIndex(f, 200)
	h := MustServer(f, Config{}, ix, nil, nil).Handler()
	f.Fuzz(func(t *testing.T, q, extra string) {
		raw := url.Values{"q": {q}}.Encode()
		if extra != "" {
			raw += "&" + extra
		}
		for _, path := range []string{"/api/v1/search", "/search"} {
			req := httptest.NewRequest("GET", path, nil)
			req.URL.RawQuery = raw
			req.RequestURI = req.URL.RequestURI()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 && rec.Code != 503 || rec.Code < 200 {
				t.Fatalf("GET %s?%q = %d\n%.500s", path, raw, rec.Code, rec.Body)
			}
			if !strings.HasPrefix(path, "/api/") {
				continue
			}
			if rec.Code == 200 {
				var res searchResponse
				if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
					t.Fatalf("GET %s?%q: 200 with a bad body: %v", path, raw, err)
				}
				continue
			}
			var e apiError
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("GET %s?%q = %d with body %.300s, want the error shape", path, raw, rec.Code, rec.Body)
			}
		}
	})
}
