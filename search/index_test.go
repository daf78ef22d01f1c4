package search

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"
)

func TestSearchValidation(t *testing.T) {
	t.Parallel()
	ix, _ := MustCase(t, "inl")
	tests := []struct {
		name string
		q    Query
		err  error
		msg  string
	}{
		{"negative page", Query{Page: -1}, ErrBadPagination, "page must be 1 or more"},
		{"per_page too big", Query{PerPage: 101}, ErrBadPagination, "per_page must be between 1 and 100"},
		{"negative per_page", Query{PerPage: -1}, ErrBadPagination, "per_page must be between 1 and 100"},
		{"window", Query{Page: 1001, PerPage: 10}, ErrBadPagination, "page × per_page must be ≤ 10000"},
		{"window of 100", Query{Page: 101, PerPage: 100}, ErrBadPagination, "≤ 10000"},
		{"unknown facet", Query{Filters: map[string][]string{"colour": {"red"}}}, ErrBadFilter, `unknown facet "colour"`},
		{"year filter", Query{Filters: map[string][]string{FacetYear: {"last year"}}}, ErrBadFilter, "year must be a number"},
		{"year range", Query{YearFrom: 2015, YearTo: 2010}, ErrBadFilter, "year range"},
		{"too many values", Query{Filters: map[string][]string{FacetCountry: manyValues(101)}}, ErrBadFilter, "too many values"},
		{"unknown sort", Query{Sort: "random"}, ErrBadQuery, `unknown sort "random"`},
		{"bad query", Query{Q: `"open`}, ErrBadQuery, "unterminated quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ix.Search(context.Background(), tt.q)
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Search(%+v) error = %v, want %v with %q", tt.q, err, tt.err, tt.msg)
			}
		})
	}
	// The largest window allowed is fine, and past the last hit is empty.
	res, err := ix.Search(context.Background(), Query{Page: 100, PerPage: 100})
	if err != nil || len(res.Hits) != 0 || res.Total != 29 {
		t.Errorf("Search(page 100 × 100) = %v hits, total %v, %v; want 0 hits of 29", len(res.Hits), res.Total, err)
	}
}

func manyValues(n int) []string {
	vs := make([]string, n)
	for i := range vs {
		vs[i] = fmt.Sprintf("country %d", i)
	}
	return vs
}

// TestSearchDeadline is not parallel: it sets the package's test hook.
func TestSearchDeadline(t *testing.T) {
	ix, _ := MustCase(t, "inl")
	ix.SetLimits(Limits{Deadline: 20 * time.Millisecond})
	testHook = func(ctx context.Context) { <-ctx.Done() } // a search slower than its deadline
	_, err := ix.Search(context.Background(), Query{Q: "police"})
	testHook = nil
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("Search(slow) error = %v, want ErrTimeout", err)
	}

	past, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := ix.Search(past, Query{Q: "police"}); !errors.Is(err, ErrTimeout) {
		t.Errorf("Search(expired context) error = %v, want ErrTimeout", err)
	}
	gone, stop := context.WithCancel(context.Background())
	stop()
	if _, err := ix.Search(gone, Query{Q: "police"}); !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("Search(cancelled context) error = %v, want context.Canceled", err)
	}
}

func TestSnippetEscapesStoredXSS(t *testing.T) {
	t.Parallel()
	ix := MustIndex(t, Vocabulary{}, []Document{{
		ID: "x", URL: "https://example.org/x", Title: "<svg onload=alert(3)>",
		Text: `<script>alert(1)</script> searchterm </mark><img src=x onerror=alert(2)> & "quoted" 'single'`,
	}})
	for _, q := range []string{"searchterm", "", "alert"} {
		res, err := ix.Search(context.Background(), Query{Q: q})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("Search(%q) = %v, %v", q, res, err)
		}
		s := res.Hits[0].Snippet
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
		if strings.ContainsAny(rest, `<>"'`) {
			t.Errorf("Search(%q) snippet = %q: markup other than <mark> left unescaped", q, s)
		}
		if !strings.Contains(s, "&lt;script&gt;") || !strings.Contains(s, "&amp;") {
			t.Errorf("Search(%q) snippet = %q, want the text escaped", q, s)
		}
		if res.Hits[0].Title != "<svg onload=alert(3)>" {
			t.Errorf("Search(%q) title = %q, want it as stored (escaping is the renderer's job)", q, res.Hits[0].Title)
		}
	}
	res, _ := ix.Search(context.Background(), Query{Q: "searchterm"})
	if want := "&lt;/script&gt; <mark>searchterm</mark> &lt;/mark&gt;"; !strings.Contains(res.Hits[0].Snippet, want) {
		t.Errorf("Search(searchterm) snippet = %q, want it to contain %q", res.Hits[0].Snippet, want)
	}
}

func TestGetAndHitCarryTheDocument(t *testing.T) {
	t.Parallel()
	want := Document{
		ID: "doc-1", URL: "https://example.org/p#a", PageURL: "https://example.org/p",
		Title: "Program", Section: "A › B", Text: "Cocaine seizures rose.",
		Organizations: []string{"United Nations Office on Drugs and Crime"}, Countries: []string{"Peru"},
		Regions: []string{"Western Hemisphere"}, Topics: []string{"counternarcotics"}, Type: "fact sheet",
		Years: []int{2012, 2013}, Amounts: []float64{1.5e6},
		Provenance: map[string][]string{"topic:counternarcotics": {"cocaine"}},
		Published:  time.Date(2013, 5, 1, 0, 0, 0, 0, time.UTC),
		FirstSeen:  time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		LastSeen:   time.Date(2024, 2, 2, 3, 4, 5, 0, time.UTC),
		ChangedAt:  time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Truncated:  true,
	}
	ix := MustIndex(t, Vocabulary{}, []Document{want})
	got, err := ix.Get(context.Background(), "doc-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, *got); diff != "" {
		t.Errorf("Get(doc-1) (-want +got):\n%s", diff)
	}
	res, err := ix.Search(context.Background(), Query{Q: "seizures"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("Search(seizures) = %v, %v", res, err)
	}
	if diff := cmp.Diff(want, res.Hits[0].Document); diff != "" {
		t.Errorf("Search hit (-want +got):\n%s", diff)
	}
	if _, err := ix.Get(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(nope) error = %v, want ErrNotFound", err)
	}
	if err := ix.Add(context.Background(), []Document{{Text: "no id"}}); err == nil {
		t.Error("Add(document without id) = nil, want an error")
	}
}

func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	var docs []Document
	MustReadJSON(t, "testdata/inl/docs.json", &docs)
	var voc Vocabulary
	MustReadJSON(t, "testdata/inl/vocabulary.json", &voc)
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Create(path, voc)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// Two readers share the index, as two serve processes would.
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, r := range []*Index{a, b} {
		if n, err := r.Count(); err != nil || n != uint64(len(docs)) {
			t.Errorf("Count() = %d, %v; want %d", n, err, len(docs))
		}
		if diff := cmp.Diff(voc, r.Vocabulary()); diff != "" {
			t.Errorf("Vocabulary() (-want +got):\n%s", diff)
		}
		res, err := r.Search(context.Background(), Query{Q: "GBV"})
		if err != nil || res.Total != 3 {
			t.Errorf("Search(GBV) on a reopened index = %v, %v; want 3 hits", res, err)
		}
	}
	if err := a.Add(context.Background(), docs[:1]); err == nil {
		t.Error("Add on a read-only index = nil, want an error")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Open(missing) = nil error")
	}
	if _, err := Create(path, voc); err == nil {
		t.Error("Create(existing path) = nil error")
	}
}

func TestSearchClosed(t *testing.T) {
	t.Parallel()
	ix, err := Create(filepath.Join(t.TempDir(), "index"), Vocabulary{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(context.Background(), Query{Q: "x"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Search(closed index) error = %v, want ErrUnavailable", err)
	}
}

func TestPrefixExpansionIsCapped(t *testing.T) {
	t.Parallel()
	var docs []Document
	for i := range 120 {
		docs = append(docs, Document{ID: fmt.Sprintf("d%03d", i), Text: fmt.Sprintf("zeta%03d", i)})
	}
	ix := MustIndex(t, Vocabulary{}, docs)
	res, err := ix.Search(context.Background(), Query{Q: "zeta*"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != maxPrefixTerms {
		t.Errorf("Search(zeta*) total = %d, want %d (the cap)", res.Total, maxPrefixTerms)
	}
	ix.SetLimits(Limits{MaxTerms: 40})
	if _, err := ix.Search(context.Background(), Query{Q: "zeta*"}); !errors.Is(err, ErrBadQuery) ||
		!strings.Contains(err.Error(), "too many terms after expansion (max 40)") {
		t.Errorf("Search(zeta*, MaxTerms 40) error = %v, want too many terms", err)
	}
}

// TestEngineOnAlias runs the engine over a bleve IndexAlias whose index is
// swapped between searches, as the generations layer does.
func TestEngineOnAlias(t *testing.T) {
	t.Parallel()
	older := MustIndex(t, testVocabulary, []Document{{ID: "old", Text: "AML supervision"}})
	newer := MustIndex(t, testVocabulary, []Document{{ID: "new", Text: "money laundering cases"}, {ID: "new2", Text: "traffickers"}})
	alias := bleve.NewIndexAlias(older.Bleve())
	eng, err := NewEngine(testVocabulary, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		want string
		swap bool
	}{{"old", false}, {"new", true}} {
		if step.swap {
			alias.Swap([]bleve.Index{newer.Bleve()}, []bleve.Index{older.Bleve()})
		}
		res, err := eng.Search(context.Background(), alias, Query{Q: "money laundering"})
		if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != step.want {
			t.Fatalf("Search(alias) = %+v, %v; want hit %s", res, err, step.want)
		}
		if _, err := eng.Search(context.Background(), alias, Query{Q: "traff*"}); err != nil {
			t.Errorf("Search(alias, prefix): %v", err)
		}
	}
	if d, err := eng.Get(context.Background(), alias, "new2"); err != nil || d.Text != "traffickers" {
		t.Errorf("Get(alias, new2) = %v, %v", d, err)
	}
}

func TestRepeatedTagsCountOnce(t *testing.T) {
	t.Parallel()
	ix := MustIndex(t, Vocabulary{}, []Document{{
		ID: "d", Text: "x", Countries: []string{"Peru", "Peru", " "}, Years: []int{2013, 2013},
	}})
	res, err := ix.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]FacetValue{
		FacetCountry: {{Value: "Peru", Count: 1}},
		FacetYear:    {{Value: "2013", Count: 1}},
	}
	for f, w := range want {
		if diff := cmp.Diff(w, res.Facets[f]); diff != "" {
			t.Errorf("facet %s (-want +got):\n%s", f, diff)
		}
	}
}
