package search

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// MustReadOnly builds an index of docs and opens it read-only, as a
// generation is served.
func MustReadOnly(tb testing.TB, docs []Document) *Index {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "index")
	ix, err := Create(path, Vocabulary{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := ix.Add(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		tb.Fatal(err)
	}
	ro, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ro.Close() })
	return ro
}

func TestResultCache(t *testing.T) {
	t.Parallel()
	var docs []Document
	for i := range 40 {
		docs = append(docs, Document{ID: fmt.Sprintf("d%02d", i), Title: "Police training", Text: fmt.Sprintf("police training course %d", i),
			Countries: []string{"Peru", "Chile"}[i%2 : i%2+1], Topics: []string{"policing"}})
	}
	ix := MustReadOnly(t, docs)
	q := Query{Q: "police", Filters: map[string][]string{FacetCountry: {"Peru", "Chile"}, FacetTopic: {"policing"}}}
	cache := ix.cache
	ix.cache = nil
	want, err := ix.Search(context.Background(), q)
	ix.cache = cache
	if err != nil {
		t.Fatal(err)
	}
	for i, spelt := range []map[string][]string{q.Filters, {FacetTopic: {"policing"}, FacetCountry: {"Chile", "Peru"}}} {
		q.Filters = spelt // the same query, spelled otherwise the second time
		got, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Result{}, "Took"), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("search %d (-uncached +cached):\n%s", i, diff)
		}
	}
	if n := ix.cache.order.Len(); n != 1 {
		t.Errorf("cache holds %d results, want 1", n)
	}
}

func TestResultCacheBound(t *testing.T) {
	t.Parallel()
	c := newResultCache(20000)
	for i := range 100 {
		res := &Result{Query: fmt.Sprint(i), Hits: []Hit{{Document: Document{Text: string(make([]byte, 1000))}}}}
		c.put(fmt.Sprint(i), res)
		if c.size > c.max {
			t.Fatalf("after %d results the cache holds %d bytes, max %d", i+1, c.size, c.max)
		}
	}
	if _, ok := c.byKey["99"]; !ok {
		t.Error("the latest result was dropped")
	}
	if _, ok := c.byKey["0"]; ok {
		t.Error("the oldest result is still there")
	}
	if newResultCache(0) != nil {
		t.Error("a cache of 0 bytes should be none")
	}
}
