package search

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
	"weak"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/google/go-cmp/cmp"
)

func TestLiveChanges(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	first := genDocs("p", "aviation", 6) // p-000…p-005, countries Mexico, Peru, Ghana in turn
	for i := range first {
		first[i].ChangedAt, first[i].FirstSeen = now.Add(-time.Hour), now.Add(-time.Hour)
	}
	a := MustPublish(t, st, first, false)
	now = now.Add(24 * time.Hour)
	second := genDocs("p", "aviation", 6)
	for i := range second {
		second[i].ChangedAt, second[i].FirstSeen = first[i].ChangedAt, first[i].FirstSeen
	}
	second[1].Text = "Alpha program p passage 1 on border control, training and aviation."
	second[1].ChangedAt = now.Add(-time.Hour)
	second = append(second[:4], second[5:]...) // p-004 removed
	extra := genDocs("q", "aviation", 1)[0]    // q-000 new, Mexico
	extra.ChangedAt, extra.FirstSeen = now.Add(-time.Hour), now.Add(-time.Hour)
	second = append(second, extra)
	b := MustPublish(t, st, second, false)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	ch, err := l.Changes(ctx, Query{Q: "alpha"}, a)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Since.ID != a || ch.Current.ID != b || ch.New != 1 || ch.Changed != 1 || ch.Removed != 1 {
		t.Fatalf("Changes(since %s) = since %s, current %s, %d new, %d changed, %d removed; want 1 each", a, ch.Since.ID, ch.Current.ID, ch.New, ch.Changed, ch.Removed)
	}
	kinds := map[string]Change{}
	for _, p := range ch.Pages {
		for _, c := range p.Changes {
			if c.Hit.PageURL != p.PageURL {
				t.Errorf("change %s listed under page %s", c.Hit.ID, p.PageURL)
			}
			kinds[c.Hit.ID] = c
		}
	}
	if c := kinds["p-001"]; c.Kind != ChangeChanged || c.Previous != first[1].Text || c.Hit.Text != second[1].Text {
		t.Errorf("p-001 = %+v, want changed with its previous text", c)
	}
	if kinds["p-004"].Kind != ChangeRemoved || kinds["q-000"].Kind != ChangeNew || len(kinds) != 3 {
		t.Errorf("changes = %+v", kinds)
	}
	// Filters apply: Mexico holds p-000, p-003 and q-000 (new) now; p-001 is Peru.
	ch, err = l.Changes(ctx, Query{Filters: map[string][]string{FacetCountry: {"mexico"}}}, a)
	if err != nil || ch.New != 1 || ch.Changed != 0 || ch.Removed != 0 {
		t.Errorf("Changes(country Mexico) = %+v, %v; want the new passage only", ch, err)
	}
	// A time: the newest generation built by then.
	ch, err = l.Changes(ctx, Query{}, now.Add(-time.Minute).Format(time.RFC3339))
	if err != nil || ch.Since.ID != a || ch.Removed != 1 {
		t.Errorf("Changes(since a time) = %+v, %v", ch, err)
	}
	if _, err := l.Changes(ctx, Query{}, "2020-01-01T00:00:00Z"); !errors.Is(err, ErrGenerationGone) {
		t.Errorf("Changes(since before every kept generation) = %v, want ErrGenerationGone", err)
	}
	for _, bad := range []string{"", "2026-02-30T00:00:00Z", "../x"} {
		if _, err := l.Changes(ctx, Query{}, bad); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Changes(since %q) = %v, want ErrBadQuery", bad, err)
		}
	}
	// Against itself: nothing.
	if ch, err := l.Changes(ctx, Query{}, b); err != nil || ch.New+ch.Changed+ch.Removed != 0 {
		t.Errorf("Changes(since the served generation) = %+v, %v", ch, err)
	}
}

// cachedFor reports whether c holds a value for the snapshot of bi.
func cachedFor[T any](tb testing.TB, c *snapCache[T], bi bleve.Index) bool {
	tb.Helper()
	r := mustReader(tb, bi)
	defer func() { _ = r.Close() }()
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[weak.Make(r.(*scorch.IndexSnapshot))]
	return e != nil && e.built
}

// TestChangesOpensEarlierGenerationLightly: Changes opens the earlier
// generation without its facet index and BM25 statistics (only its pages),
// and a search of that generation afterwards builds them and answers as the
// generation opened whole does: the same hits, scores and facets.
func TestChangesOpensEarlierGenerationLightly(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	first := genDocs("p", "aviation", 30)
	for i := range first {
		first[i].ChangedAt, first[i].FirstSeen = now.Add(-time.Hour), now.Add(-time.Hour)
		if i%4 == 0 {
			first[i].Text += " cocaine seizures at the border"
		}
	}
	a := MustPublish(t, st, first, false)
	now = now.Add(24 * time.Hour)
	second := append([]Document(nil), first[:25]...)
	second[3].Text = "Alpha program rewritten on cocaine seizures."
	second[3].ChangedAt = now.Add(-time.Hour)
	MustPublish(t, st, second, false)

	q := Query{Q: "cocaine border", PerPage: 20}
	type hit struct {
		id    string
		score float64
	}
	answer := func(res *Result) ([]hit, map[string][]FacetValue) {
		var hs []hit
		for _, h := range res.Hits {
			hs = append(hs, hit{h.ID, h.Score})
		}
		return hs, res.Facets
	}
	whole, err := Open(st.IndexPath(a))
	if err != nil {
		t.Fatal(err)
	}
	res, err := whole.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	wantHits, wantFacets := answer(res)
	if err := whole.Close(); err != nil {
		t.Fatal(err)
	}

	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ch, err := l.Changes(ctx, Query{}, a)
	if err != nil || ch.Changed != 1 || ch.Removed != 5 {
		t.Fatalf("Changes = %+v, %v; want 1 changed, 5 removed", ch, err)
	}
	h := l.holdOpen(a)
	if h == nil {
		t.Fatal("the earlier generation is not open after Changes")
	}
	defer h.refs.Done()
	if h.ix.fx != nil || cachedFor(t, &facetCache, h.ix.bi) || cachedFor(t, &bm25Cache, h.ix.bi) {
		t.Errorf("Changes read the earlier generation's facet index or BM25 statistics")
	}
	if !cachedFor(t, &pageCache, h.ix.bi) {
		t.Errorf("Changes did not read the earlier generation's pages")
	}
	q.Generation = a
	res, err = l.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	gotHits, gotFacets := answer(res)
	if !slices.Equal(gotHits, wantHits) || len(wantHits) == 0 {
		t.Errorf("gen=%s after Changes: hits %v, want %v", a, gotHits, wantHits)
	}
	if diff := cmp.Diff(wantFacets, gotFacets); diff != "" {
		t.Errorf("gen=%s after Changes: facets (-whole +lazy):\n%s", a, diff)
	}
	if h.ix.fx == nil || !cachedFor(t, &bm25Cache, h.ix.bi) {
		t.Errorf("a search of the earlier generation did not read its facet index and BM25 statistics")
	}
}

// TestReloadWarmsLazySnapshot: a generation first opened lazily beside the
// served one (Changes of it, published but not yet served) has its facet
// index and BM25 statistics read when Reload makes it the served one.
func TestReloadWarmsLazySnapshot(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	docs := genDocs("p", "aviation", 12)
	a := MustPublish(t, st, docs, false)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	b := MustPublish(t, st, genDocs("p", "aviation", 14), false)
	if _, err := l.Changes(ctx, Query{Generation: b}, a); err != nil {
		t.Fatal(err)
	}
	if h := l.holdOpen(b); h == nil || h.ix.fx != nil {
		t.Fatalf("generation %s not open lazily after Changes", b)
	} else {
		h.refs.Done()
	}
	if swapped, err := l.Reload(); err != nil || !swapped {
		t.Fatalf("Reload = %v, %v", swapped, err)
	}
	h, err := l.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer h.refs.Done()
	if h.id != b || h.ix.fx == nil || !cachedFor(t, &bm25Cache, h.ix.bi) {
		t.Errorf("served %s: facet index %v, BM25 statistics read %v; want %s with both", h.id, h.ix.fx != nil, cachedFor(t, &bm25Cache, h.ix.bi), b)
	}
}
