package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
)

// mustReader returns a reader of bi's current snapshot; the caller closes it.
func mustReader(tb testing.TB, bi bleve.Index) index.IndexReader {
	tb.Helper()
	adv, err := bi.Advanced()
	if err != nil {
		tb.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// MustFacetIndex returns the facetIndex of a read-only index of docs.
func MustFacetIndex(tb testing.TB, docs []Document) *facetIndex {
	tb.Helper()
	ix := MustReadOnly(tb, docs)
	r := mustReader(tb, ix.bi)
	defer func() { _ = r.Close() }()
	fx, err := facetIndexOf(r)
	if err != nil {
		tb.Fatal(err)
	}
	return fx
}

// randomCount draws a set of matches (each passage of fx with chance
// 1/every) and selections of two values in some of three facets.
func randomCount(r *rand.Rand, fx *facetIndex, every int) (*roaring.Bitmap, map[string]*roaring.Bitmap) {
	set := roaring.New()
	for _, d := range fx.all.ToArray() {
		if r.IntN(every) == 0 {
			set.Add(d)
		}
	}
	sel := map[string]*roaring.Bitmap{}
	for _, f := range []string{FacetCountry, FacetTopic, FacetYear} {
		if vs := fx.values[f]; r.IntN(2) == 0 && len(vs) > 1 {
			sel[f] = roaring.Or(vs[r.IntN(len(vs))].docs, vs[r.IntN(len(vs))].docs)
		}
	}
	return set, sel
}

// TestCountFacetsForward: counting through the forward lists gives the
// counts of intersecting bitmaps, for any set of matches and selection.
func TestCountFacetsForward(t *testing.T) {
	t.Parallel()
	fx := MustFacetIndex(t, benchDocs(600))
	if fx.fwd == nil {
		t.Fatal("no forward lists")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 50 {
		set, sel := randomCount(r, fx, 4)
		want, got := countByBitmaps(fx, set, sel), countFacets(fx, set, sel)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("case %d, %d selections (-bitmaps +forward):\n%s", i, len(sel), diff)
		}
	}
}

// TestCountPagesBitset: counting in pages through the page-ordered bitset
// gives the counts of intersecting bitmaps and counting distinct pages (and
// counting in passages those of intersecting bitmaps), for
// any set of matches and selection, pages scattered over the document
// numbers and passages without a page among them.
func TestCountPagesBitset(t *testing.T) {
	t.Parallel()
	docs := benchDocs(600)
	for i := range docs {
		if i%7 != 0 {
			docs[i].PageURL = fmt.Sprintf("https://x.gov/p/%d", (i*37)%150)
		}
	}
	fx := MustFacetIndex(t, docs)
	if fx.fwd == nil {
		t.Fatal("no forward lists")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 50 {
		set, sel := randomCount(r, fx, 1+i%5)
		want, got := countPagesByBitmaps(fx, set, sel), countPages(fx, set, sel)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("case %d, %d selections (-bitmaps +bitset):\n%s", i, len(sel), diff)
		}
		// In passages too, with the forward lists in page order.
		if diff := cmp.Diff(countByBitmaps(fx, set, sel), countFacets(fx, set, sel)); diff != "" {
			t.Fatalf("case %d, %d selections, in passages (-bitmaps +forward):\n%s", i, len(sel), diff)
		}
		if i == 0 && len(got[FacetCountry]) == 0 {
			t.Fatal("no country counted")
		}
	}
}

func BenchmarkCountFacets(b *testing.B) {
	fx := MustFacetIndex(b, benchDocs(5000))
	sel := map[string]*roaring.Bitmap{FacetCountry: fx.values[FacetCountry][0].docs, FacetTopic: fx.values[FacetTopic][1].docs}
	for _, share := range []int{100, 10, 1} {
		set := roaring.New()
		for i, d := range fx.all.ToArray() {
			if i%share == 0 {
				set.Add(d)
			}
		}
		b.Run(fmt.Sprintf("1/%d of the passages", share), func(b *testing.B) {
			for b.Loop() {
				countFacets(fx, set, sel)
			}
		})
	}
}

// BenchmarkAdd indexes one batch of passages (BatchSize) into a fresh index.
func BenchmarkAdd(b *testing.B) {
	docs := benchDocs(BatchSize)
	for b.Loop() {
		b.StopTimer()
		ix, err := Create(filepath.Join(b.TempDir(), "index"), Vocabulary{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ix.Add(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = ix.Close()
		b.StartTimer()
	}
}
