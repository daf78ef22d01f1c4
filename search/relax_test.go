package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
)

// relaxDocs: two passages hold "alpha beta gamma", three hold two of the
// three words, one holds one, and a "zeta" passage holds all three.
func relaxDocs() []Document {
	mk := func(id, text string, countries ...string) Document {
		return Document{ID: id, URL: "https://example.org/" + id, Title: "Passage " + id, Text: text, Countries: countries}
	}
	return []Document{
		mk("all-1", "alpha beta gamma and more alpha", "Kenya"),
		mk("all-2", "alpha beta gamma", "Peru"),
		mk("two-ab", "alpha beta only", "Kenya"),
		mk("two-bg", "beta gamma only", "Peru"),
		mk("two-ag", "alpha gamma only", "Chile"),
		mk("one-a", "alpha alone"),
		mk("zeta", "alpha beta gamma zeta"),
		mk("none", "nothing of those"),
	}
}

func ids(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func TestRelaxedMatching(t *testing.T) {
	t.Parallel()
	for _, ro := range []bool{false, true} {
		t.Run(fmt.Sprintf("read-only=%v", ro), func(t *testing.T) {
			t.Parallel()
			var ix *Index
			if ro {
				ix = MustReadOnly(t, relaxDocs())
			} else {
				ix = MustIndex(t, Vocabulary{}, relaxDocs())
			}
			ctx := context.Background()
			strict, err := ix.Search(ctx, Query{Q: "alpha beta gamma", Match: MatchAll})
			if err != nil {
				t.Fatal(err)
			}
			if strict.Relaxed || strict.Total != 3 || strict.ExactTotal != 3 {
				t.Fatalf("MatchAll: total %d exact %d relaxed %v, want 3 3 false", strict.Total, strict.ExactTotal, strict.Relaxed)
			}
			res, err := ix.Search(ctx, Query{Q: "alpha beta gamma"})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Relaxed || res.Total != 6 || res.ExactTotal != 3 {
				t.Fatalf("auto: total %d exact %d relaxed %v, want 6 3 true", res.Total, res.ExactTotal, res.Relaxed)
			}
			// Every word first, in the strict order and with the strict scores.
			if got, want := ids(res.Hits[:3]), ids(strict.Hits); !slices.Equal(got, want) {
				t.Errorf("first hits %v, want the strict ones %v", got, want)
			}
			for i, h := range res.Hits {
				exact := i < 3
				if h.Partial == exact {
					t.Errorf("hit %d %s: partial = %v", i, h.ID, h.Partial)
				}
				// Adding and taking off exactBonus costs about 1e-10 of precision.
				if exact && math.Abs(h.Score-strict.Hits[i].Score) > 1e-8 {
					t.Errorf("hit %s: score %v, strict score %v", h.ID, h.Score, strict.Hits[i].Score)
				}
				if !exact && (h.Score <= 0 || h.Score >= strict.Hits[2].Score*10) {
					t.Errorf("partial hit %s: score %v", h.ID, h.Score)
				}
			}
			if got := ids(res.Hits[3:]); !sameSet(got, []string{"two-ab", "two-bg", "two-ag"}) {
				t.Errorf("partial hits %v, want the three passages with two words", got)
			}
			// Facets count the hits shown.
			if c := facetCount(res, FacetCountry, "Kenya"); c != 2 {
				t.Errorf("Kenya counted %d, want 2", c)
			}
			// A page beyond the first continues the same list.
			p2, err := ix.Search(ctx, Query{Q: "alpha beta gamma", Page: 2, PerPage: 4})
			if err != nil || !p2.Relaxed || len(p2.Hits) != 2 || p2.Hits[0].ID != res.Hits[4].ID {
				t.Errorf("page 2 of 4 = %v, %v; want hits 5–6 of %v", hitIDs(p2), err, ids(res.Hits))
			}
			// The export holds what the search reports.
			exp, info := MustExport(t, ix, Query{Q: "alpha beta gamma"})
			if info.Total != 6 || !slices.Equal(exp, ids(res.Hits)) {
				t.Errorf("export %v (total %d), want %v", exp, info.Total, ids(res.Hits))
			}
		})
	}
}

func hitIDs(r *Result) []string {
	if r == nil {
		return nil
	}
	return ids(r.Hits)
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func facetCount(r *Result, facet, value string) int {
	for _, v := range r.Facets[facet] {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

// TestRelaxedNotApplied: what is never relaxed.
func TestRelaxedNotApplied(t *testing.T) {
	t.Parallel()
	ix := MustIndex(t, Vocabulary{}, relaxDocs())
	for _, tt := range []struct {
		name  string
		q     Query
		total int
	}{
		{"one word", Query{Q: "zeta"}, 1},
		{"no match for one word", Query{Q: "omega"}, 0},
		{"date order", Query{Q: "alpha beta gamma", Sort: SortDate}, 3},
		{"match=all", Query{Q: "alpha beta gamma", Match: MatchAll}, 3},
		{"an OR of words", Query{Q: "zeta OR omega"}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Relaxed || res.Total != tt.total || res.ExactTotal != tt.total {
				t.Errorf("Search(%+v) = total %d exact %d relaxed %v, want %d, not relaxed", tt.q, res.Total, res.ExactTotal, res.Relaxed, tt.total)
			}
		})
	}
}

// TestRelaxedKeepsRequired: NOT words and field:value filters stay
// required; only plain words are dropped; enough exact hits mean no relaxation.
func TestRelaxedKeepsRequired(t *testing.T) {
	t.Parallel()
	docs := relaxDocs()
	ix := MustIndex(t, Vocabulary{}, docs)
	ctx := context.Background()
	res, err := ix.Search(ctx, Query{Q: "alpha beta gamma -zeta"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Relaxed || res.ExactTotal != 2 || slices.Contains(ids(res.Hits), "zeta") || res.Total != 5 {
		t.Errorf("with -zeta: %v (total %d, exact %d)", ids(res.Hits), res.Total, res.ExactTotal)
	}
	res, err = ix.Search(ctx, Query{Q: "alpha beta gamma", Filters: map[string][]string{FacetCountry: {"Kenya"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Relaxed || !sameSet(ids(res.Hits), []string{"all-1", "two-ab"}) {
		t.Errorf("with country=Kenya: %v", ids(res.Hits))
	}
	// RelaxBelow passages with every word: the strict answer stands.
	for i := range RelaxBelow {
		docs = append(docs, Document{ID: fmt.Sprintf("more-%d", i), URL: "https://example.org/more", Text: "gamma beta alpha again"})
	}
	many := MustIndex(t, Vocabulary{}, docs)
	res, err = many.Search(ctx, Query{Q: "alpha beta gamma"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Relaxed || res.Total != 3+RelaxBelow {
		t.Errorf("with %d exact passages: total %d relaxed %v", 3+RelaxBelow, res.Total, res.Relaxed)
	}
	if _, err := ix.Search(ctx, Query{Q: "alpha", Match: "most"}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("match=most: %v, want ErrBadQuery", err)
	}
}
