package search

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestFieldValueResolvesLikeAFilter: field:value in a query and the same
// value as a filter resolve through the facet index alike, in any case.
func TestFieldValueResolvesLikeAFilter(t *testing.T) {
	t.Parallel()
	var docs []Document
	for i := range 12 {
		docs = append(docs, Document{ID: fmt.Sprintf("d%02d", i), Title: "Border police", Text: fmt.Sprintf("border police unit %d", i),
			Regions: []string{"Asia", "West Africa", "Central America"}[i%3 : i%3+1]})
	}
	ix := MustReadOnly(t, docs)
	ctx := context.Background()
	want, err := ix.Search(ctx, Query{Q: "police", Filters: map[string][]string{FacetRegion: {"Asia"}}})
	if err != nil || want.Total != 4 {
		t.Fatalf("filter region=Asia: %+v, %v; want 4 passages", want, err)
	}
	for _, q := range []string{"police region:Asia", "police region:asia", "police region:ASIA", `police region:"asia"`} {
		got, err := ix.Search(ctx, Query{Q: q})
		if err != nil || got.Total != want.Total {
			t.Errorf("Search(%q) = %d, %v; want %d like the filter", q, got.Total, err, want.Total)
		}
	}
	for _, v := range []string{"asia", "ASIA"} {
		got, err := ix.Search(ctx, Query{Q: "police", Filters: map[string][]string{FacetRegion: {v}}})
		if err != nil || got.Total != want.Total || !got.Facets[FacetRegion][0].Selected || got.Facets[FacetRegion][0].Value != "Asia" {
			t.Errorf("filter region=%s: %d, %v, %+v; want %d with Asia selected", v, got.Total, err, got.Facets[FacetRegion], want.Total)
		}
	}
}

// TestPlanCacheKeyIsNormalised: queries that resolve to the same plan share
// one cached result; the key holds the values the filters resolve to.
func TestPlanCacheKeyIsNormalised(t *testing.T) {
	t.Parallel()
	ix := MustReadOnly(t, genDocs("k", "aviation", 12))
	key := func(q Query) string {
		p, err := ix.Compile(q)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Release()
		return p.key
	}
	base := key(Query{Q: "alpha", Filters: map[string][]string{FacetCountry: {"Mexico", "Peru"}}})
	for _, q := range []Query{
		{Q: "alpha", Filters: map[string][]string{FacetCountry: {"peru", "MEXICO"}}},
		{Q: "alpha", Filters: map[string][]string{FacetCountry: {"Peru", "Mexico", "peru"}}},
		{Q: "alpha", Filters: map[string][]string{FacetCountry: {"Mexico", "Peru"}}, Page: 1, PerPage: 10, Sort: SortRelevance, Match: MatchAuto},
	} {
		if got := key(q); got != base {
			t.Errorf("key(%+v) = %s, want %s", q, got, base)
		}
	}
	for _, q := range []Query{
		{Q: "alpha", Filters: map[string][]string{FacetCountry: {"Mexico"}}},
		{Q: "alpha", Filters: map[string][]string{FacetCountry: {"Mexico", "Peru"}}, Page: 2},
		{Q: "alpha beta", Filters: map[string][]string{FacetCountry: {"Mexico", "Peru"}}},
	} {
		if got := key(q); got == base {
			t.Errorf("key(%+v) = the key of another plan", q)
		}
	}
}

// TestPlanPinsItsGeneration: a plan compiled by a Live answers from the
// generation it was compiled on, even after a newer one is swapped in.
func TestPlanPinsItsGeneration(t *testing.T) {
	t.Parallel()
	st := MustStore(t)
	a := MustPublish(t, st, genDocs("a", "aviation", 10), false)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	p, err := l.Compile(Query{Q: "alpha", Filters: map[string][]string{FacetTopic: {"aviation"}}})
	if err != nil {
		t.Fatal(err)
	}
	b := MustPublish(t, st, genDocs("b", "corrections", 7), false)
	if swapped, err := l.Reload(); !swapped || err != nil {
		t.Fatalf("Reload = %v, %v", swapped, err)
	}
	res, err := l.SearchPlan(context.Background(), p)
	if err != nil || res.Total != 10 || p.Generation() != a {
		t.Errorf("pinned plan: %d hits on %s, %v; want 10 on %s", res.Total, p.Generation(), err, a)
	}
	n := 0
	if _, err := l.ExportPlan(context.Background(), p, func(info ExportInfo) error {
		if info.Generation != a {
			t.Errorf("export of the pinned plan reads %s, want %s", info.Generation, a)
		}
		return nil
	}, func(Hit) error { n++; return nil }); err != nil || n != 10 {
		t.Errorf("export of the pinned plan: %d hits, %v", n, err)
	}
	p.Release()
	p.Release() // safe twice
	p2, err := l.Compile(Query{Q: "alpha"})
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Release()
	if p2.Generation() != b {
		t.Errorf("a new plan reads %s, want %s", p2.Generation(), b)
	}
	other, err := NewEngine(Vocabulary{}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := other.Compile(Query{Q: "alpha"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.SearchPlan(context.Background(), foreign); !errors.Is(err, errForeignPlan) {
		t.Errorf("SearchPlan(a plan of another searcher) = %v, want errForeignPlan", err)
	}
}
