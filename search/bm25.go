package search

import (
	"context"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// bleve's BM25 takes a field's average length as its number of distinct
// terms, summed over the segments of the snapshot, divided by the number
// of passages. That sum depends on how the passages fall into segments
// (a term in three segments counts three times) and counts the terms of
// deleted passages, so the same passages would score differently in a
// full build and in an incremental one, and after each merge. statsQuery
// gives bleve the statistics of the passages instead: the number of
// distinct terms that some live passage holds, whatever the segments. On
// an index of one segment without deletions (a fresh full build) it is the
// number bleve computes itself.

// statsQuery runs inner with the BM25 statistics of the snapshot searched.
type statsQuery struct{ inner query.Query }

// Searcher implements query.Query.
func (q *statsQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	// An unscored search needs no statistics (and bleve's unscored
	// disjunction of terms asks for those of a field "*", which they lack).
	if snap, ok := r.(*scorch.IndexSnapshot); ok && options.Score != "none" {
		st, err := bm25StatsOf(snap)
		if err != nil {
			return nil, err
		}
		ctx = context.WithValue(ctx, bsearch.BM25StatsKey, st)
	}
	return q.inner.Searcher(ctx, r, m, options)
}

// withStats wraps a scored query in statsQuery.
func withStats(q query.Query) query.Query {
	if q == nil {
		return nil
	}
	return &statsQuery{inner: q}
}

// bm25Cache holds the statistics of each snapshot while it lives.
var bm25Cache snapCache[*bsearch.BM25Stats]

// bm25StatsOf returns the statistics of snap, computed once.
func bm25StatsOf(snap *scorch.IndexSnapshot) (*bsearch.BM25Stats, error) {
	return bm25Cache.get(snap, func() (*bsearch.BM25Stats, error) { return computeBM25Stats(snap) })
}

// scoredFields are the fields a query's term searchers may score: the
// text fields, the facet fields (tags and field:value) and _id (nothing).
func scoredFields() []string {
	fs := []string{"_id"}
	for _, f := range textFields {
		fs = append(fs, f.name)
	}
	return append(fs, Facets...)
}

func computeBM25Stats(snap *scorch.IndexSnapshot) (*bsearch.BM25Stats, error) {
	n, err := snap.DocCount()
	if err != nil {
		return nil, fmt.Errorf("bm25 statistics: %w", err)
	}
	names := scoredFields()
	st := &bsearch.BM25Stats{DocCount: float64(n), FieldCardinality: make(map[string]int, len(names))}
	for _, f := range names {
		if f == "_id" {
			st.FieldCardinality[f] = int(n) // one id per live passage
			continue
		}
		c, err := liveTerms(snap, f)
		if err != nil {
			return nil, fmt.Errorf("bm25 statistics of %s: %w", f, err)
		}
		st.FieldCardinality[f] = c
	}
	// The unscored conjunction a phrase finds its candidates with in a
	// scored search (phrase.go) is, once scorch has intersected its terms'
	// bitmaps, a term searcher of the artificial field "*", which asks for
	// its statistics although it scores nothing.
	st.FieldCardinality[scorch.OptimizeTFRConjunctionUnadornedField] = 0
	return st, nil
}

// warmBM25 computes the statistics of bi's current snapshot, for a
// read-only index whose snapshot never changes.
func warmBM25(bi bleve.Index) error {
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("bm25 statistics: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("bm25 statistics: %w", err)
	}
	defer func() { _ = r.Close() }()
	if snap, ok := r.(*scorch.IndexSnapshot); ok && snap != nil {
		_, err = bm25StatsOf(snap)
	}
	return err
}

// liveTerms is the number of distinct terms of field that a live passage
// of snap holds.
func liveTerms(snap *scorch.IndexSnapshot, field string) (int, error) {
	segs := snap.Segments()
	if len(segs) == 0 {
		return 0, nil
	}
	if len(segs) == 1 && isEmpty(segs[0].Deleted()) {
		dict, err := segs[0].Segment().Dictionary(field)
		if err != nil {
			return 0, err
		}
		return dict.Cardinality(), nil
	}
	// The segments' dictionaries are sorted: merge them, counting each term
	// once when some segment holds it for a live passage. Memory stays
	// constant, where a set of the terms would hold every distinct term of
	// the field (hundreds of MB at 100,000 passages).
	var cs []*termCursor
	for _, ss := range segs {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return 0, err
		}
		del := ss.Deleted()
		ndel := uint64(0)
		if del != nil {
			ndel = del.GetCardinality()
		}
		it := dict.AutomatonIterator(everyTerm{}, nil, nil)
		c := &termCursor{next: it.Next, live: func(e *index.DictEntry) (bool, error) {
			if ndel == 0 || e.Count > ndel {
				return true, nil
			}
			// Every posting may be a deleted passage's: look.
			pl, err := dict.PostingsList([]byte(e.Term), del, nil)
			if err != nil {
				return false, err
			}
			return pl.Count() > 0, nil
		}}
		if err := c.advance(); err != nil {
			return 0, err
		}
		if c.ok {
			cs = append(cs, c)
		}
	}
	n := 0
	for len(cs) > 0 {
		least := cs[0].cur.Term
		for _, c := range cs[1:] {
			if c.cur.Term < least {
				least = c.cur.Term
			}
		}
		live := false
		kept := cs[:0]
		for _, c := range cs {
			if c.cur.Term == least {
				if !live {
					ok, err := c.live(&c.cur)
					if err != nil {
						return 0, err
					}
					live = ok
				}
				if err := c.advance(); err != nil {
					return 0, err
				}
			}
			if c.ok {
				kept = append(kept, c)
			}
		}
		cs = kept
		if live {
			n++
		}
	}
	return n, nil
}

// termCursor walks one segment's dictionary of a field in term order.
type termCursor struct {
	next func() (*index.DictEntry, error)
	live func(*index.DictEntry) (bool, error) // some live passage holds the term
	cur  index.DictEntry                      // the current term, while ok
	ok   bool
}

func (c *termCursor) advance() error {
	e, err := c.next()
	if err != nil {
		return err
	}
	c.ok = e != nil
	if c.ok {
		c.cur = *e // the iterator may reuse its entry
	}
	return nil
}

func isEmpty(b *roaring.Bitmap) bool { return b == nil || b.IsEmpty() }

// everyTerm is the automaton that accepts every term of a dictionary.
type everyTerm struct{}

func (everyTerm) Start() int               { return 0 }
func (everyTerm) IsMatch(int) bool         { return true }
func (everyTerm) CanMatch(int) bool        { return true }
func (everyTerm) WillAlwaysMatch(int) bool { return true }
func (everyTerm) Accept(int, byte) int     { return 0 }
