package search

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// caseQuery is one search of testdata/<case>/queries.json (after bleve's
// test/tests): the query, and what the answer must be.
type caseQuery struct {
	Name  string `json:"name"`
	Query struct {
		Q         string              `json:"q"`
		Filters   map[string][]string `json:"filters"`
		YearFrom  int                 `json:"year_from"`
		YearTo    int                 `json:"year_to"`
		Sort      string              `json:"sort"`
		Page      int                 `json:"page"`
		PerPage   int                 `json:"per_page"`
		FacetSize int                 `json:"facet_size"`
		Literal   bool                `json:"literal"`
		Match     string              `json:"match"`
	} `json:"query"`
	// Error, when set, is a part of the ErrBadQuery message expected.
	Error string `json:"error"`
	Total int    `json:"total"`
	// IDs are the hits of the page; in order when Ordered.
	IDs     []string `json:"ids"`
	Ordered bool     `json:"ordered"`
	// Facets and Others are checked for the facets they name.
	Facets map[string][]FacetValue `json:"facets"`
	Others map[string]int          `json:"others"`
	// Snippets maps a hit ID to a part of its snippet.
	Snippets map[string]string `json:"snippets"`
}

// search is the Query of the case. The cases test the query language, so
// they ask for every word (MatchAll) unless they name a match mode;
// relaxation has its own tests (relax_test.go).
func (c *caseQuery) search() Query {
	match := c.Query.Match
	if match == "" {
		match = MatchAll
	}
	return Query{
		Q: c.Query.Q, Filters: c.Query.Filters, YearFrom: c.Query.YearFrom, YearTo: c.Query.YearTo,
		Sort: c.Query.Sort, Page: c.Query.Page, PerPage: c.Query.PerPage,
		FacetSize: c.Query.FacetSize, Literal: c.Query.Literal, Match: match,
	}
}

// MustReadJSON decodes testdata file path into v.
func MustReadJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// MustIndex creates an index in a temporary folder holding docs.
func MustIndex(tb testing.TB, voc Vocabulary, docs []Document) *Index {
	tb.Helper()
	ix, err := Create(filepath.Join(tb.TempDir(), "index"), voc)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	if err := ix.Add(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// MustCase loads testdata/<name>: its documents indexed, its vocabulary and
// its queries.
func MustCase(tb testing.TB, name string) (*Index, []caseQuery) {
	tb.Helper()
	dir := filepath.Join("testdata", name)
	var docs []Document
	MustReadJSON(tb, filepath.Join(dir, "docs.json"), &docs)
	var voc Vocabulary
	if _, err := os.Stat(filepath.Join(dir, "vocabulary.json")); err == nil {
		MustReadJSON(tb, filepath.Join(dir, "vocabulary.json"), &voc)
	}
	var qs []caseQuery
	MustReadJSON(tb, filepath.Join(dir, "queries.json"), &qs)
	return MustIndex(tb, voc, docs), qs
}

func TestSearchCases(t *testing.T) {
	t.Parallel()
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join("testdata", d.Name(), "queries.json")); err != nil {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			t.Parallel()
			ix, qs := MustCase(t, d.Name())
			for _, c := range qs {
				t.Run(c.Name, func(t *testing.T) {
					checkCase(t, ix, &c)
				})
			}
		})
	}
}

func checkCase(t *testing.T, ix *Index, c *caseQuery) {
	t.Helper()
	res, err := ix.Search(context.Background(), c.search())
	if c.Error != "" {
		if err == nil || !strings.Contains(err.Error(), c.Error) {
			t.Fatalf("Search(%q) error = %v, want one with %q", c.Query.Q, err, c.Error)
		}
		return
	}
	if err != nil {
		t.Fatalf("Search(%q): %v", c.Query.Q, err)
	}
	if res.Total != c.Total {
		t.Errorf("Search(%q) total = %d, want %d", c.Query.Q, res.Total, c.Total)
	}
	got := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		got[i] = h.ID
	}
	want := slices.Clone(c.IDs)
	if want == nil {
		want = []string{}
	}
	if !c.Ordered {
		slices.Sort(got)
		slices.Sort(want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Search(%q) hits (-want +got):\n%s", c.Query.Q, diff)
	}
	for f, want := range c.Facets {
		if diff := cmp.Diff(want, res.Facets[f]); diff != "" {
			t.Errorf("Search(%q) facet %s (-want +got):\n%s", c.Query.Q, f, diff)
		}
	}
	for f, want := range c.Others {
		if got := res.FacetOthers[f]; got != want {
			t.Errorf("Search(%q) facet %s others = %d, want %d", c.Query.Q, f, got, want)
		}
	}
	for id, part := range c.Snippets {
		i := slices.IndexFunc(res.Hits, func(h Hit) bool { return h.ID == id })
		if i < 0 {
			t.Errorf("Search(%q): no hit %s for its snippet", c.Query.Q, id)
			continue
		}
		if !strings.Contains(res.Hits[i].Snippet, part) {
			t.Errorf("Search(%q) snippet of %s = %q, want it to contain %q", c.Query.Q, id, res.Hits[i].Snippet, part)
		}
	}
}
