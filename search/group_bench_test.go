package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// groupBenchDocs are n passages of benchDocs in pages of eight (as the bench's corpus), with words
// planted at known frequencies (walrus in 1/2, zebra 1/5, giraffe 1/20,
// okapi 1/100), organizations, and the organization and country of a page
// shared by its passages.
func groupBenchDocs(n int) []Document {
	docs := benchDocs(n)
	orgs := []string{"United Nations Office on Drugs and Crime", "Organization of American States", "Interpol",
		"Europol", "World Bank", "Inter-American Development Bank", "Colombo Plan", "Mekong Commission"}
	for i := range docs {
		d := &docs[i]
		d.PageURL = fmt.Sprintf("https://www.example.gov/p/%d", i/8)
		d.Organizations = []string{orgs[(i/5)%len(orgs)], orgs[(i/7)%len(orgs)]}
		for w, every := range map[string]int{"walrus": 2, "zebra": 5, "giraffe": 20, "okapi": 100} {
			if i%every == 0 {
				d.Text += " " + w
			}
		}
	}
	return docs
}

// mustGroupBenchIndex opens the read-only index of groupBenchDocs(n) kept
// in INLSEARCH_GROUP_BENCH_DIR (built there on first use), or builds one
// in a temporary folder.
func mustGroupBenchIndex(tb testing.TB, n int) *Index {
	tb.Helper()
	dir := os.Getenv("INLSEARCH_GROUP_BENCH_DIR")
	if dir == "" {
		return MustReadOnly(tb, groupBenchDocs(n))
	}
	path := filepath.Join(dir, fmt.Sprintf("group-%d", n))
	if _, err := os.Stat(path); err != nil {
		ix, err := Create(path, Vocabulary{})
		if err != nil {
			tb.Fatal(err)
		}
		if err := ix.Add(context.Background(), groupBenchDocs(n)); err != nil {
			tb.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	ix, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	ix.SetResultCache(0)
	return ix
}

// groupBenchN is the size of the benchmarks' index (INLSEARCH_GROUP_BENCH,
// default 20,000).
func groupBenchN() int {
	if n, _ := strconv.Atoi(os.Getenv("INLSEARCH_GROUP_BENCH")); n > 0 {
		return n
	}
	return 20000
}

// BenchmarkGrouped compares a search grouped by page with the same search
// per passage, facets counted, at every planted frequency and browsing.
func BenchmarkGrouped(b *testing.B) {
	ix := mustGroupBenchIndex(b, groupBenchN())
	ctx := context.Background()
	for _, q := range []string{"walrus", "zebra", "giraffe", "okapi", ""} {
		for _, group := range []string{GroupPassage, GroupPage} {
			b.Run(fmt.Sprintf("q=%s/%s", q, group), func(b *testing.B) {
				for b.Loop() {
					if _, err := ix.Search(ctx, Query{Q: q, Group: group}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkFacetValues is a facet value search beside the faceted search
// it counts for.
func BenchmarkFacetValues(b *testing.B) {
	ix := mustGroupBenchIndex(b, groupBenchN())
	ctx := context.Background()
	q := Query{Q: "walrus police", Filters: map[string][]string{FacetTopic: {"corruption"}}}
	for _, prefix := range []string{"m", "pe", ""} {
		for _, facet := range []string{FacetCountry, FacetOrganization} {
			b.Run(fmt.Sprintf("%s/prefix=%s", facet, prefix), func(b *testing.B) {
				for b.Loop() {
					p, err := ix.Compile(q)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := ix.FacetValues(ctx, p, FacetValueQuery{Facet: facet, Prefix: prefix}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			if _, err := ix.Search(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOpen opens the index read-only (facet index and BM25
// statistics included).
func BenchmarkOpen(b *testing.B) {
	ix := mustGroupBenchIndex(b, groupBenchN())
	path := os.Getenv("INLSEARCH_GROUP_BENCH_DIR")
	if path == "" {
		b.Skip("set INLSEARCH_GROUP_BENCH_DIR")
	}
	_ = ix.Close()
	for b.Loop() {
		t0 := time.Now()
		o, err := Open(filepath.Join(path, fmt.Sprintf("group-%d", groupBenchN())))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(t0).Milliseconds()), "open-ms")
		_ = o.Close()
	}
}
