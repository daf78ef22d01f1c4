package search

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// docFilter is the facet filters and year range of a plan. It is resolved
// once per facet index (on): to the values each facet's filter names there,
// and to bitmaps of their passages.
type docFilter struct {
	th       *thesaurus
	filters  map[string][]string // facet → values as given, deduplicated
	from, to int                 // year range, 0: unbounded

	mu  sync.Mutex
	fx  *facetIndex // what res was resolved on
	res *resolvedFilter
}

// resolvedFilter is a docFilter resolved on one facet index.
type resolvedFilter struct {
	// selected holds the values each facet's filter resolves to,
	// deduplicated, in the order given.
	selected map[string][]string
	// sets holds, per facet with a selection, the passages holding any of
	// its selected values.
	sets map[string]*roaring.Bitmap
	// years is the passages of the year range; nil when unbounded.
	years *roaring.Bitmap
	// docs is the passages that pass every filter and the year range; nil
	// when nothing restricts them.
	docs *roaring.Bitmap
}

// empty reports whether f restricts nothing.
func (f *docFilter) empty() bool {
	return len(f.filters) == 0 && f.from == 0 && f.to == 0
}

// on resolves f on fx, once: a plan's searches (the page, the set of
// matches, the facet counts, a relaxed search, an export) all read the
// same snapshot, so they share one resolution.
func (f *docFilter) on(fx *facetIndex) *resolvedFilter {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.res != nil && f.fx == fx {
		return f.res
	}
	r := &resolvedFilter{selected: map[string][]string{}, sets: map[string]*roaring.Bitmap{}}
	for _, facet := range Facets {
		var sets []*roaring.Bitmap
		for _, v := range f.filters[facet] {
			v = fx.resolve(f.th, facet, v)
			if contains(r.selected[facet], v) {
				continue
			}
			r.selected[facet] = append(r.selected[facet], v)
			if bm := fx.docs[facet][v]; bm != nil {
				sets = append(sets, bm)
			}
		}
		if len(f.filters[facet]) == 0 {
			continue
		}
		switch len(sets) {
		case 0:
			r.sets[facet] = roaring.New()
		case 1:
			r.sets[facet] = sets[0]
		default:
			r.sets[facet] = roaring.FastOr(sets...)
		}
	}
	r.years = fx.years(f.from, f.to)
	all := slices.Collect(maps.Values(r.sets))
	if r.years != nil {
		all = append(all, r.years)
	}
	r.docs = intersect(all)
	f.fx, f.res = fx, r
	return r
}

// intersect is the intersection of sets (nil for none), never one of them.
func intersect(sets []*roaring.Bitmap) *roaring.Bitmap {
	switch len(sets) {
	case 0:
		return nil
	case 1:
		return sets[0].Clone()
	}
	return roaring.FastAnd(sets...)
}

// filteredQuery is inner restricted to the passages of a docFilter. The
// restriction neither scores nor changes inner's scores; inner nil matches
// every passage that passes.
type filteredQuery struct {
	inner     query.Query
	filter    *docFilter
	yearsOnly bool // the year range only, not the facet filters
	// within, when set, gives the passages to keep instead, from the
	// filter resolved on the snapshot searched (nil: every passage).
	within func(*facetIndex, *resolvedFilter) *roaring.Bitmap
}

// Searcher implements query.Query.
func (q *filteredQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	var bm *roaring.Bitmap
	if q.within != nil {
		fx, err := facetIndexOf(r)
		if err != nil {
			return nil, err
		}
		bm = q.within(fx, q.filter.on(fx))
	} else if !q.filter.empty() {
		fx, err := facetIndexOf(r)
		if err != nil {
			return nil, err
		}
		if r := q.filter.on(fx); q.yearsOnly {
			bm = r.years
		} else {
			bm = r.docs
		}
	}
	if q.inner == nil {
		if bm == nil {
			return searcher.NewMatchAllSearcher(ctx, r, 1, options)
		}
		return newBitmapSearcher(bm), nil
	}
	s, err := q.inner.Searcher(ctx, r, m, options)
	if err != nil || bm == nil {
		return s, err
	}
	return &filterSearcher{inner: s, docs: bm, it: bm.Iterator()}, nil
}

// bitmapSearcher matches the passages of a bitmap, each with score 1.
type bitmapSearcher struct {
	docs *roaring.Bitmap
	it   roaring.IntPeekable
	n    uint64
}

func newBitmapSearcher(bm *roaring.Bitmap) *bitmapSearcher {
	return &bitmapSearcher{docs: bm, it: bm.Iterator(), n: bm.GetCardinality()}
}

func (s *bitmapSearcher) match(ctx *bsearch.SearchContext) *bsearch.DocumentMatch {
	if !s.it.HasNext() {
		return nil
	}
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = index.NewIndexInternalID(d.IndexInternalID, uint64(s.it.Next()))
	d.Score = 1
	return d
}

// Next implements bsearch.Searcher.
func (s *bitmapSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.match(ctx), nil
}

// Advance implements bsearch.Searcher.
func (s *bitmapSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	s.it.AdvanceIfNeeded(docNum(id))
	return s.match(ctx), nil
}

// Close implements bsearch.Searcher.
func (s *bitmapSearcher) Close() error { return nil }

// Weight implements bsearch.Searcher.
func (s *bitmapSearcher) Weight() float64 { return 1 }

// SetQueryNorm implements bsearch.Searcher.
func (s *bitmapSearcher) SetQueryNorm(float64) {}

// Count implements bsearch.Searcher.
func (s *bitmapSearcher) Count() uint64 { return s.n }

// Min implements bsearch.Searcher.
func (s *bitmapSearcher) Min() int { return 0 }

// Size implements bsearch.Searcher.
func (s *bitmapSearcher) Size() int { return 64 }

// DocumentMatchPoolSize implements bsearch.Searcher.
func (s *bitmapSearcher) DocumentMatchPoolSize() int { return 1 }

// filterSearcher passes on the matches of inner that are in docs. It leaps:
// a match outside docs advances inner to the next passage of docs.
type filterSearcher struct {
	inner bsearch.Searcher
	docs  *roaring.Bitmap
	it    roaring.IntPeekable
}

func (s *filterSearcher) settle(ctx *bsearch.SearchContext, d *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	for err == nil && d != nil {
		n := docNum(d.IndexInternalID)
		if s.docs.Contains(n) {
			return d, nil
		}
		ctx.DocumentMatchPool.Put(d)
		s.it.AdvanceIfNeeded(n + 1)
		if !s.it.HasNext() {
			return nil, nil
		}
		// a fresh id each time: a searcher may keep the one it is given
		d, err = s.inner.Advance(ctx, index.NewIndexInternalID(nil, uint64(s.it.PeekNext())))
	}
	return d, err
}

// Next implements bsearch.Searcher.
func (s *filterSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	d, err := s.inner.Next(ctx)
	return s.settle(ctx, d, err)
}

// Advance implements bsearch.Searcher.
func (s *filterSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	d, err := s.inner.Advance(ctx, id)
	return s.settle(ctx, d, err)
}

// Close implements bsearch.Searcher.
func (s *filterSearcher) Close() error { return s.inner.Close() }

// Weight implements bsearch.Searcher.
func (s *filterSearcher) Weight() float64 { return s.inner.Weight() }

// SetQueryNorm implements bsearch.Searcher.
func (s *filterSearcher) SetQueryNorm(n float64) { s.inner.SetQueryNorm(n) }

// Count implements bsearch.Searcher.
func (s *filterSearcher) Count() uint64 { return min(s.inner.Count(), s.docs.GetCardinality()) }

// Min implements bsearch.Searcher.
func (s *filterSearcher) Min() int { return s.inner.Min() }

// Size implements bsearch.Searcher.
func (s *filterSearcher) Size() int { return s.inner.Size() + 64 }

// DocumentMatchPoolSize implements bsearch.Searcher.
func (s *filterSearcher) DocumentMatchPoolSize() int { return s.inner.DocumentMatchPoolSize() }
