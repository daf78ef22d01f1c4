package search

import (
	"context"
	"errors"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
)

// errManyIndexes is returned when a search that needs its hits as a bitmap
// runs on an alias of several indexes (their document numbers overlap).
var errManyIndexes = errors.New("facet counts need an alias of one index")

// hitSet gathers the document numbers of every hit of one bleve search, and
// the snapshot it read, through bleve's document match handler hook; the
// hits are then passed on to the usual top-N collection, or dropped when
// only the set is wanted.
type hitSet struct {
	keep    bool     // pass the hits on to the top-N collector
	collect bool     // gather the document numbers (else only the snapshot)
	group   *grouper // when set, only each page's best hit is passed on

	mu    sync.Mutex
	docs  *roaring.Bitmap
	fx    *facetIndex
	calls int
}

// context returns ctx with the hook installed.
func (h *hitSet) context(ctx context.Context) context.Context {
	return context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(h.handler))
}

func (h *hitSet) handler(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
	h.mu.Lock()
	h.calls++
	calls := h.calls
	h.mu.Unlock()
	if calls > 1 {
		return nil, false, errManyIndexes
	}
	fx, err := facetIndexOf(sctx.IndexReader)
	if err != nil {
		return nil, false, err
	}
	next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
	if err != nil {
		return nil, false, err
	}
	if next == nil {
		return nil, false, errors.New("hit set: not a top-N collector")
	}
	docs := roaring.New()
	h.mu.Lock()
	h.docs, h.fx = docs, fx
	h.mu.Unlock()
	g := h.group
	if g != nil {
		g.fx = fx
	}
	return func(d *bsearch.DocumentMatch) error {
		if d == nil {
			if g != nil && h.keep {
				return g.flush(sctx, next)
			}
			return next(nil)
		}
		if h.collect {
			docs.Add(docNum(d.IndexInternalID))
		}
		if !h.keep {
			sctx.DocumentMatchPool.Put(d)
			return nil
		}
		if g != nil {
			if out := g.add(d); out != nil {
				sctx.DocumentMatchPool.Put(out)
			}
			return nil
		}
		return next(d)
	}, loadID, nil
}

// browseOrder is a bleve sort in browse order (publication date, newest
// first, undated last, then title, then id), read from the facetIndex of the
// snapshot searched (which the hitSet hook provides before the first hit)
// rather than from doc values and ids hit by hit. It also breaks ties of
// relevance, the same way in every generation built from the same passages.
type browseOrder struct {
	src  *hitSet
	desc bool
}

// UpdateVisitor implements bsearch.SearchSort.
func (s *browseOrder) UpdateVisitor(string, []byte) {}

// Value implements bsearch.SearchSort.
func (s *browseOrder) Value(d *bsearch.DocumentMatch) string {
	return s.src.fx.browseKey(docNum(d.IndexInternalID))
}

// DecodeValue implements bsearch.SearchSort.
func (s *browseOrder) DecodeValue(v string) string { return v }

// Descending implements bsearch.SearchSort.
func (s *browseOrder) Descending() bool { return s.desc }

// RequiresDocID implements bsearch.SearchSort.
func (s *browseOrder) RequiresDocID() bool { return false }

// RequiresScoring implements bsearch.SearchSort.
func (s *browseOrder) RequiresScoring() bool { return false }

// RequiresFields implements bsearch.SearchSort.
func (s *browseOrder) RequiresFields() []string { return nil }

// Reverse implements bsearch.SearchSort.
func (s *browseOrder) Reverse() { s.desc = !s.desc }

// Copy implements bsearch.SearchSort.
func (s *browseOrder) Copy() bsearch.SearchSort { c := *s; return &c }
