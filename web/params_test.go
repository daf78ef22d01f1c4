package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inlsearch/inlsearch/search"
)

func TestParseParams(t *testing.T) {
	t.Parallel()
	lim := effectiveLimits(search.Limits{})
	tests := []struct {
		raw  string
		want search.Query
	}{
		{"", search.Query{Sort: "relevance", Page: 1, PerPage: 10}},
		{"q=++money+laundering+&page=2&per_page=25&sort=date",
			search.Query{Q: "money laundering", Sort: "date", Page: 2, PerPage: 25}},
		{"country=Laos&country=laos&country=&organization=UNODC&type=fact+sheet&year_from=2019&year_to=2021&facet_size=50",
			search.Query{Sort: "relevance", Page: 1, PerPage: 10, YearFrom: 2019, YearTo: 2021, FacetSize: 50,
				Filters: map[string][]string{"country": {"Laos"}, "organization": {"UNODC"}, "type": {"fact sheet"}}}},
		{"page=&per_page=&year_from=&sort=", search.Query{Sort: "relevance", Page: 1, PerPage: 10}},
		{"page=100&per_page=100", search.Query{Sort: "relevance", Page: 100, PerPage: 100}},
		{"sort=changed_at&utm_source=x", search.Query{Sort: "changed_at", Page: 1, PerPage: 10}},
		{"q=a+b&match=auto", search.Query{Q: "a b", Sort: "relevance", Page: 1, PerPage: 10, Match: "auto"}},
		{"q=a+b&match=all", search.Query{Q: "a b", Sort: "relevance", Page: 1, PerPage: 10, Match: "all"}},
		{"match=", search.Query{Sort: "relevance", Page: 1, PerPage: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got, err := parseParams(tt.raw, lim)
			if err != nil {
				t.Fatalf("parseParams(%q) error %v", tt.raw, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseParams(%q) mismatch (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

// TestMalformedParameters: every hostile or malformed parameter gets a 4xx
// with the error shape, in the API and the exports, and a 4xx page in HTML
// (C1, C2, C7).
func TestMalformedParameters(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	long := strings.Repeat("a", 1025)
	tests := []struct {
		raw  string
		code string
	}{
		{"per_page=1000000", "invalid_pagination"},
		{"per_page=0", "invalid_pagination"},
		{"per_page=-1", "invalid_pagination"},
		{"per_page=abc", "invalid_pagination"},
		{"per_page=1e3", "invalid_pagination"},
		{"per_page=%2B5", "invalid_pagination"},
		{"page=0", "invalid_pagination"},
		{"page=-5", "invalid_pagination"},
		{"page=999999999", "invalid_pagination"},
		{"page=99999999999999999999", "invalid_pagination"},
		{"page=1001&per_page=10", "invalid_pagination"},
		{"page=101&per_page=100", "invalid_pagination"},
		{"page=1&page=2", "invalid_parameter"},
		{"sort=score", "invalid_parameter"},
		{"sort=%3Cscript%3E", "invalid_parameter"},
		{"match=any", "invalid_parameter"},
		{"match=ALL", "invalid_parameter"},
		{"match=%3Cscript%3E", "invalid_parameter"},
		{"match=all&match=auto", "invalid_parameter"},
		{"match=all&match=all", "invalid_parameter"},
		{"year_from=20x0", "invalid_parameter"},
		{"year_from=2021&year_to=2019", "invalid_parameter"},
		{"year_to=100000", "invalid_parameter"},
		{"facet_size=1000000", "invalid_parameter"},
		{"facet_size=0", "invalid_parameter"},
		{"q=" + long, "invalid_query"},
		{"q=%ff%fe", "invalid_query"},
		{"q=%00", "invalid_query"},
		{"q=a&q=b", "invalid_parameter"},
		{"q=%zz", "invalid_parameter"},
		{"q=a;b", "invalid_parameter"},
		{"q=%22foo", "invalid_query"},
		{"country=%ff", "invalid_filter"},
		{"country=" + strings.Repeat("b", 300), "invalid_filter"},
		{"topic=" + strings.Repeat("x&topic=", 70) + "x", "invalid_filter"},
	}
	for _, tt := range tests {
		name := tt.raw
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, path := range []string{"/api/v1/search", "/export.csv", "/export.json"} {
				rec := do(t, h, "GET", path+"?"+tt.raw, nil)
				if rec.Code != 400 {
					t.Fatalf("GET %s?%s = %d, want 400\n%s", path, tt.raw, rec.Code, rec.Body)
				}
				code, msg := decodeError(t, rec)
				if code != tt.code {
					t.Errorf("GET %s?%s code = %q (%s), want %q", path, tt.raw, code, msg, tt.code)
				}
				if strings.Contains(rec.Body.String(), "<") {
					t.Errorf("JSON error echoes raw markup: %s", rec.Body)
				}
			}
			rec := do(t, h, "GET", "/search?"+tt.raw, nil)
			wantHTML := 400
			if tt.raw == "q=%22foo" {
				wantHTML = 200 // the page falls back to the literal words
			}
			if rec.Code != wantHTML {
				t.Errorf("GET /search?%s = %d, want %d", tt.raw, rec.Code, wantHTML)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("HTML error Content-Type = %q", ct)
			}
		})
	}
}

func TestPaginationMessageIsESLike(t *testing.T) {
	t.Parallel()
	_, err := parseParams(url.Values{"page": {"200"}, "per_page": {"100"}}.Encode(), effectiveLimits(search.Limits{}))
	want := "result window is too large, page × per_page must be less than or equal to [10000] but was [20000]"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}
