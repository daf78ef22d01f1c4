package search

import (
	"context"
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery2 matches the passages whose field holds the terms at
// consecutive positions; terms[i] lists the terms allowed at offset i (an
// empty slot stands for any one term, as a stop word left it). It matches
// and scores exactly as bleve's MultiPhraseQuery without fuzziness, for
// fields that are not arrays, in two phases, as Lucene's phrase queries do:
// an unscored conjunction of the terms' searchers that reads no term
// locations (scorch intersects their postings bitmaps) finds the
// candidates; only then are the locations of each candidate's terms read,
// from readers advanced to it, to check the positions, and only a
// candidate that holds the phrase is scored. Reading locations in the
// searchers themselves decoded, copied, merged and scored them for every
// candidate, and most candidates (60 % in the bench's phrase class, every
// one for the whole-query bonus of its `and` class) do not hold the phrase.
type phraseQuery2 struct {
	terms [][]string
	field string
	boost float64
}

// Searcher implements query.Query.
func (q *phraseQuery2) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &phraseSearcher{ctx: ctx, r: r, field: q.field, locs: options.IncludeTermVectors}
	// No searcher reads locations; check reads them for each candidate.
	options.IncludeTermVectors = false
	s.single = true
	for off, alts := range q.terms {
		n := 0
		for _, t := range alts {
			if t != "" {
				s.addSlot(t, uint64(off))
				n++
			}
		}
		s.single = s.single && n <= 1
	}
	if len(s.offs) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	// Offsets count from the first word: a leading gap is no constraint.
	for i := range s.terms {
		for k := range s.terms[i].offs {
			s.terms[i].offs[k] -= s.offs[0]
		}
	}
	for i := len(s.offs) - 1; i >= 0; i-- {
		s.offs[i] -= s.offs[0]
	}
	// The candidates come from a conjunction that only intersects (scorch
	// ANDs the terms' postings bitmaps and decodes neither frequencies nor
	// norms). A scored search scores a candidate that holds the phrase from
	// the readers of its locations (phrasescore.go) or, when it cannot, by
	// advancing a scoring conjunction to it.
	// A phrase that scores itself has opened its terms' readers and
	// intersected their postings: those intersections are its candidates
	// when they are known for every segment and no page restricts them.
	unscored := options
	unscored.Score = "none"
	ids := pageIDsOf(ctx)
	own := s.ownScoring(ctx, options)
	if own {
		if err := s.newScorers(ctx, q.terms, q.boost, options); err != nil {
			return nil, err
		}
		if ids == nil && s.candsKnown {
			s.cand = &bitmapCands{offsets: s.candOffsets, bms: s.candBMs}
		}
	}
	if s.cand == nil {
		cand, err := q.conjunction(ctx, r, unscored, ids)
		if err != nil {
			return nil, err
		}
		s.cand = cand
	}
	if !own && options.Score != "none" {
		var err error
		if s.must, err = q.conjunction(ctx, r, options, nil); err != nil {
			_ = s.cand.Close()
			return nil, err
		}
		s.must.SetQueryNorm(1 / math.Sqrt(s.must.Weight()))
	}
	return s, nil
}

// pageIDsKey marks, in the context of a search, the ids of the only passages
// it can match (pageLocations: the hits of one page).
type pageIDsKey struct{}

// withPageIDs is ctx for a search whose query only matches passages among ids.
func withPageIDs(ctx context.Context, ids []string) context.Context {
	return context.WithValue(ctx, pageIDsKey{}, ids)
}

// pageIDsOf returns the ids withPageIDs put in ctx, nil for none.
func pageIDsOf(ctx context.Context) []string {
	ids, _ := ctx.Value(pageIDsKey{}).([]string)
	return ids
}

// conjunction is the searcher of the passages whose field holds one of the
// terms of every offset, among ids unless nil. The query around a phrase
// keeps only those passages anyway; within the phrase they spare it the
// check of every candidate between them (a phrase's Advance returns the
// next passage that holds it, however far).
func (q *phraseQuery2) conjunction(ctx context.Context, r index.IndexReader, options bsearch.SearcherOptions, ids []string) (bsearch.Searcher, error) {
	var slots []bsearch.Searcher
	closeAll := func() {
		for _, s := range slots {
			_ = s.Close()
		}
	}
	if ids != nil {
		x, err := searcher.NewDocIDSearcher(ctx, r, ids, 0, options)
		if err != nil {
			return nil, fmt.Errorf("phrase ids: %w", err)
		}
		slots = append(slots, x)
	}
	for _, alts := range q.terms {
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
	}
	c, err := searcher.NewConjunctionSearcher(ctx, r, slots, options)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("phrase: %w", err)
	}
	return c, nil
}

// terms whose positions form the phrase; when the search asks for term
// locations, with the locations of the phrase's occurrences only.
type phraseSearcher struct {
	ctx   context.Context
	r     index.IndexReader
	cand  bsearch.Searcher // the candidates: every offset's terms in the field, unscored
	must  bsearch.Searcher // the same conjunction, scored; nil for an unscored search
	field string
	locs  bool         // the search wants term locations
	terms []phraseTerm // the phrase's distinct terms
	offs  []uint64     // the non-empty offsets, the first 0
	curr  *bsearch.DocumentMatch
	init  bool
	// single: every offset allows one term; opened: the readers of the
	// terms' locations are open.
	single, opened bool
	// scorers score a candidate from the readers (phrasescore.go), when
	// ownScored; otherwise must does.
	scorers   []slotScorer
	ownScored bool
	tfd       index.TermFieldDoc // scratch

	at   []offPos // scratch: where each offset's terms occur
	hits []uint64 // scratch: the starts of the occurrences
	// pos holds each term's positions in the candidate (its reader's),
	// offTerm the term of each offset (startsSingle).
	pos     [][]uint64
	offTerm []int
	// candBMs holds, per segment, the passages that hold every term, when
	// candsKnown (open, for a single phrase); candOffsets the segments'
	// first document numbers.
	candBMs     []*roaring.Bitmap
	candsKnown  bool
	candOffsets []uint64
}

// addSlot records that term is allowed at offset off.
func (s *phraseSearcher) addSlot(term string, off uint64) {
	if n := len(s.offs); n == 0 || s.offs[n-1] != off {
		s.offs = append(s.offs, off)
	}
	for i := range s.terms {
		if s.terms[i].term == term {
			s.terms[i].offs = append(s.terms[i].offs, off)
			return
		}
	}
	s.terms = append(s.terms, phraseTerm{term: term, offs: []uint64{off}})
}

func (s *phraseSearcher) advance(ctx *bsearch.SearchContext) error {
	if s.curr != nil {
		ctx.DocumentMatchPool.Put(s.curr)
	}
	var err error
	s.curr, err = s.cand.Next(ctx)
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
		ok, err := s.check(d)
		if err != nil {
			return nil, err
		}
		if ok {
			if d, err = s.scored(ctx, d); err != nil {
				return nil, err
			}
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

// scored is candidate d, which holds the phrase, as the scoring conjunction
// finds it, with d's locations; d itself for an unscored search.
func (s *phraseSearcher) scored(ctx *bsearch.SearchContext, d *bsearch.DocumentMatch) (*bsearch.DocumentMatch, error) {
	if s.ownScored {
		return s.ownScore(ctx, d)
	}
	if s.must == nil {
		return d, nil
	}
	m, err := s.must.Advance(ctx, d.IndexInternalID)
	if err != nil {
		return nil, err
	}
	if m == nil || !m.IndexInternalID.Equals(d.IndexInternalID) {
		return nil, fmt.Errorf("phrase: candidate %x has no score", []byte(d.IndexInternalID))
	}
	m.FieldTermLocations = append(m.FieldTermLocations, d.FieldTermLocations...)
	ctx.DocumentMatchPool.Put(d)
	return m, nil
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
		if s.curr, err = s.cand.Advance(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.Next(ctx)
}

// Close implements bsearch.Searcher.
func (s *phraseSearcher) Close() error {
	for i := range s.terms {
		if s.terms[i].src != nil {
			s.terms[i].src.release()
		}
	}
	err := s.cand.Close()
	if s.must != nil {
		if e := s.must.Close(); err == nil {
			err = e
		}
	}
	return err
}

// scoring is the searcher that scores: the scored conjunction, or the
// candidates' for an unscored search.
func (s *phraseSearcher) scoring() bsearch.Searcher {
	if s.must != nil {
		return s.must
	}
	return s.cand
}

// Weight implements bsearch.Searcher.
func (s *phraseSearcher) Weight() float64 {
	if s.ownScored {
		return s.scorersWeight()
	}
	return s.scoring().Weight()
}

// SetQueryNorm implements bsearch.Searcher.
func (s *phraseSearcher) SetQueryNorm(n float64) {
	if s.ownScored {
		s.setScorersNorm(n)
		return
	}
	s.scoring().SetQueryNorm(n)
}

// Count implements bsearch.Searcher.
func (s *phraseSearcher) Count() uint64 {
	if s.ownScored {
		var n uint64 // bleve's conjunction counts the sum of its searchers'
		for _, x := range s.scorers {
			n += x.count
		}
		return n
	}
	return s.scoring().Count()
}

// Min implements bsearch.Searcher.
func (s *phraseSearcher) Min() int { return 0 }

// Size implements bsearch.Searcher.
func (s *phraseSearcher) Size() int { return s.scoring().Size() + s.cand.Size() + 64 + 64*len(s.terms) }

// DocumentMatchPoolSize implements bsearch.Searcher.
func (s *phraseSearcher) DocumentMatchPoolSize() int {
	return s.scoring().DocumentMatchPoolSize() + s.cand.DocumentMatchPoolSize() + 1
}
