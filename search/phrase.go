package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery2 matches the passages whose field holds the terms at
// consecutive positions; terms[i] lists the terms allowed at offset i (an
// empty slot stands for any one term, as a stop word left it). It matches
// and scores exactly as bleve's MultiPhraseQuery without fuzziness, for
// fields that are not arrays, but checks positions straight from the term
// locations of each candidate instead of building a map of them per
// passage, which cost half of a phrase search.
type phraseQuery2 struct {
	terms [][]string
	field string
	boost float64
}

// Searcher implements query.Query.
func (q *phraseQuery2) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	options.IncludeTermVectors = true
	var slots []bsearch.Searcher
	closeAll := func() {
		for _, s := range slots {
			_ = s.Close()
		}
	}
	s := &phraseSearcher{field: q.field}
	for off, alts := range q.terms {
		var ts []bsearch.Searcher
		for _, t := range alts {
			if t == "" {
				continue
			}
			x, err := searcher.NewTermSearcher(ctx, r, t, q.field, q.boost, options)
			if err != nil {
				closeAll()
				for _, y := range ts {
					_ = y.Close()
				}
				return nil, fmt.Errorf("phrase term %q: %w", t, err)
			}
			ts = append(ts, x)
			s.slots = append(s.slots, slotTerm{term: t, off: uint64(off)})
		}
		switch len(ts) {
		case 0:
			continue
		case 1:
			slots = append(slots, ts[0])
		default:
			d, err := searcher.NewDisjunctionSearcher(ctx, r, ts, 1, options)
			if err != nil {
				closeAll()
				return nil, fmt.Errorf("phrase slot: %w", err)
			}
			slots = append(slots, d)
		}
		s.offs = append(s.offs, uint64(off))
	}
	if len(slots) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	// Offsets count from the first word: a leading gap is no constraint.
	for i := range s.slots {
		s.slots[i].off -= s.offs[0]
	}
	for i := len(s.offs) - 1; i >= 0; i-- {
		s.offs[i] -= s.offs[0]
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, slots, options)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("phrase: %w", err)
	}
	s.must = must
	must.SetQueryNorm(1 / math.Sqrt(must.Weight()))
	return s, nil
}

// slotTerm is a term allowed at offset off of a phrase.
type slotTerm struct {
	term string
	off  uint64
}

// phraseSearcher passes on the matches of the conjunction of a phrase's
// terms whose positions form the phrase, keeping the locations of the
// phrase's occurrences only.
type phraseSearcher struct {
	must  bsearch.Searcher
	field string
	slots []slotTerm // every (term, offset) of the phrase
	offs  []uint64   // the non-empty offsets, the first 0
	curr  *bsearch.DocumentMatch
	init  bool

	at   []offPos // scratch: where each offset's terms occur
	hits []uint64 // scratch: the starts of the occurrences
}

// check reports whether d holds the phrase, and keeps in d only the
// locations of its occurrences.
func (s *phraseSearcher) check(d *bsearch.DocumentMatch) bool {
	// Every (offset, position) where a term of that offset occurs, sorted;
	// a start p holds the phrase when each offset o has (o, p+o).
	s.at = s.at[:0]
	for _, l := range d.FieldTermLocations {
		if l.Field != s.field {
			continue
		}
		for _, st := range s.slots {
			if st.term == l.Term && l.Location.Pos > st.off {
				s.at = append(s.at, offPos{st.off, l.Location.Pos})
			}
		}
	}
	slices.SortFunc(s.at, cmpOffPos)
	s.hits = s.hits[:0]
	for _, a := range s.at {
		if a.off != 0 {
			break
		}
		if n := len(s.hits); (n == 0 || s.hits[n-1] != a.pos) && s.holds(a.pos) {
			s.hits = append(s.hits, a.pos)
		}
	}
	if len(s.hits) == 0 {
		return false
	}
	kept := d.FieldTermLocations[:0]
	for _, l := range d.FieldTermLocations {
		if l.Field == s.field && s.inOccurrence(l) {
			kept = append(kept, l)
		}
	}
	d.FieldTermLocations = kept
	return true
}

// offPos is a phrase offset and a position in the field.
type offPos struct{ off, pos uint64 }

func cmpOffPos(a, b offPos) int {
	if a.off != b.off {
		return cmp.Compare(a.off, b.off)
	}
	return cmp.Compare(a.pos, b.pos)
}

// holds reports whether every offset of the phrase has one of its terms at
// start p plus the offset.
func (s *phraseSearcher) holds(p uint64) bool {
	for _, o := range s.offs[1:] {
		if _, ok := slices.BinarySearchFunc(s.at, offPos{o, p + o}, cmpOffPos); !ok {
			return false
		}
	}
	return true
}

// inOccurrence reports whether location l is one of the phrase's words in
// one of the occurrences found.
func (s *phraseSearcher) inOccurrence(l bsearch.FieldTermLocation) bool {
	for _, st := range s.slots {
		if st.term == l.Term && l.Location.Pos > st.off {
			if _, ok := slices.BinarySearch(s.hits, l.Location.Pos-st.off); ok {
				return true
			}
		}
	}
	return false
}

func (s *phraseSearcher) advance(ctx *bsearch.SearchContext) error {
	if s.curr != nil {
		ctx.DocumentMatchPool.Put(s.curr)
	}
	var err error
	s.curr, err = s.must.Next(ctx)
	return err
}

// Next implements bsearch.Searcher.
func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.init {
		s.init = true
		if err := s.advance(ctx); err != nil {
			return nil, err
		}
	}
	for s.curr != nil {
		d := s.curr
		ok := s.check(d)
		if ok {
			s.curr = nil
		}
		if err := s.advance(ctx); err != nil {
			return nil, err
		}
		if ok {
			return d, nil
		}
	}
	return nil, nil
}

// Advance implements bsearch.Searcher.
func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.init {
		s.init = true
		if err := s.advance(ctx); err != nil {
			return nil, err
		}
	}
	if s.curr == nil {
		return nil, nil
	}
	if s.curr.IndexInternalID.Compare(id) < 0 {
		ctx.DocumentMatchPool.Put(s.curr)
		var err error
		if s.curr, err = s.must.Advance(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.Next(ctx)
}

// Close implements bsearch.Searcher.
func (s *phraseSearcher) Close() error { return s.must.Close() }

// Weight implements bsearch.Searcher.
func (s *phraseSearcher) Weight() float64 { return s.must.Weight() }

// SetQueryNorm implements bsearch.Searcher.
func (s *phraseSearcher) SetQueryNorm(n float64) { s.must.SetQueryNorm(n) }

// Count implements bsearch.Searcher.
func (s *phraseSearcher) Count() uint64 { return s.must.Count() }

// Min implements bsearch.Searcher.
func (s *phraseSearcher) Min() int { return 0 }

// Size implements bsearch.Searcher.
func (s *phraseSearcher) Size() int { return s.must.Size() + 64 }

// DocumentMatchPoolSize implements bsearch.Searcher.
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() + 1 }
