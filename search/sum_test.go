package search

import (
	"context"
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestSumDisjunctionMatchesBleve: the sum searcher finds the same passages
// with the same scores as bleve's own disjunction with score breakdowns
// (the path a search that asks for explanations still takes), for words,
// synonyms, fields, ORs, prefixes, phrases and relaxed queries, locations
// included.
func TestSumDisjunctionMatchesBleve(t *testing.T) {
	t.Parallel()
	ix := MustIndex(t, testVocabulary, benchDocs(1500))
	e := ix.eng
	for _, qs := range []string{
		"police", "police training", "police training border", "AML", "money laundering",
		"cocaine OR heroin", "(gangs OR prisons) courts", "traffick*", `"border security" judges`,
		"title:police -cocaine", "corruption coca poppy", "police Mexico",
	} {
		t.Run(qs, func(t *testing.T) {
			p, err := e.Compile(Query{Q: qs})
			if err != nil {
				t.Fatal(err)
			}
			for _, expr := range []*Expr{p.expr, p.expr.relaxed()} {
				if expr == nil {
					continue
				}
				b := &builder{ctx: context.Background(), bi: ix.bi, th: e.th, max: e.lim.MaxTerms}
				text, err := b.query(expr)
				if err != nil {
					t.Fatal(err)
				}
				run := func(explain bool) *bleve.SearchResult {
					req := bleve.NewSearchRequestOptions(compose(text, b.bonus(expr)), 2000, 0, explain)
					req.SortBy([]string{"-_score", "_id"})
					req.IncludeLocations = true
					res, err := ix.bi.Search(req)
					if err != nil {
						t.Fatal(err)
					}
					return res
				}
				got, want := run(false), run(true)
				if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
					t.Fatalf("%s: %d hits, bleve's disjunction %d", expr, got.Total, want.Total)
				}
				for i := range got.Hits {
					g, w := got.Hits[i], want.Hits[i]
					if g.ID != w.ID || math.Abs(g.Score-w.Score) > 1e-9*math.Max(1, w.Score) {
						t.Fatalf("%s: hit %d = %s %v, bleve's disjunction %s %v", expr, i, g.ID, g.Score, w.ID, w.Score)
					}
					if len(g.Locations) != len(w.Locations) {
						t.Fatalf("%s: hit %s has locations in %d fields, bleve's disjunction %d", expr, g.ID, len(g.Locations), len(w.Locations))
					}
				}
			}
		})
	}
}
