package search

import (
	"context"
	"fmt"
	"math"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/scorer"
	index "github.com/blevesearch/bleve_index_api"
)

// A phrase of one term per offset is scored from the readers of its terms'
// locations, which stand on each candidate that holds it, exactly as
// bleve's conjunction of the terms' searchers scores it: a term scorer per
// offset, built with the statistics bleve's term searcher gives it, summed
// in the order bleve's conjunction sorts its searchers (by document
// frequency). Scoring through the conjunction itself walked every term's
// postings a second time (a fifth of a phrase search's CPU at 100,000
// passages). Explained searches, phrases with alternatives at an offset
// and searches with synonym maps keep the conjunction (phraseSearcher.must).

// maxOwnScoredSlots bounds the offsets scored this way: up to 12 searchers,
// Go's sort (which bleve's conjunction uses) is an insertion sort, so
// searchers of equal frequency keep their order, as slices.SortStableFunc
// keeps them here.
const maxOwnScoredSlots = 12

// slotScorer scores the term of one offset of a phrase.
type slotScorer struct {
	term  int // index in phraseSearcher.terms
	count uint64
	sc    *scorer.TermQueryScorer
}

// ownScoring reports whether s can score its phrase itself.
func (s *phraseSearcher) ownScoring(ctx context.Context, options bsearch.SearcherOptions) bool {
	if options.Score == "none" || options.Explain || !s.single || len(s.offs) > maxOwnScoredSlots {
		return false
	}
	_, synonyms := ctx.Value(bsearch.FieldTermSynonymMapKey).(bsearch.FieldTermSynonymMap)
	return !synonyms
}

// newScorers opens the readers of the phrase's terms and builds one scorer
// per offset, with the query norm bleve's phrase gives its conjunction.
func (s *phraseSearcher) newScorers(ctx context.Context, offs [][]string, boost float64, options bsearch.SearcherOptions) error {
	s.ownScored = true
	if err := s.open(); err != nil {
		return err
	}
	docs, avg, err := termScoreMetrics(ctx, s.r, s.field)
	if err != nil {
		return err
	}
	for _, alts := range offs {
		for _, t := range alts {
			if t == "" {
				continue
			}
			i := slices.IndexFunc(s.terms, func(pt phraseTerm) bool { return pt.term == t })
			n := s.terms[i].count
			s.scorers = append(s.scorers, slotScorer{term: i, count: n,
				sc: scorer.NewTermQueryScorer([]byte(t), s.field, boost, docs, n, avg, options)})
		}
	}
	slices.SortStableFunc(s.scorers, func(a, b slotScorer) int {
		switch {
		case a.count < b.count:
			return -1
		case a.count > b.count:
			return 1
		}
		return 0
	})
	s.setScorersNorm(1 / math.Sqrt(s.scorersWeight()))
	return nil
}

// termScoreMetrics are the document count and average field length bleve's
// term searcher scores a term of field with (searcher.bm25ScoreMetrics and
// tfIDFScoreMetrics).
func termScoreMetrics(ctx context.Context, r index.IndexReader, field string) (uint64, float64, error) {
	model := ""
	if cb, ok := ctx.Value(bsearch.GetScoringModelCallbackKey).(bsearch.GetScoringModelCallbackFn); ok {
		model = cb()
	}
	if model != index.BM25Scoring {
		n, err := r.DocCount()
		return n, 0, err
	}
	var count uint64
	var card int
	if st, ok := ctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats); ok {
		count = uint64(st.DocCount)
		if card, ok = st.FieldCardinality[field]; !ok {
			return 0, 0, fmt.Errorf("field stat for bm25 not present %s", field)
		}
	} else {
		var err error
		if count, err = r.DocCount(); err != nil {
			return 0, 0, err
		}
		if br, ok := r.(index.BM25Reader); ok {
			if card, err = br.FieldCardinality(field); err != nil {
				return 0, 0, err
			}
		}
	}
	if count == 0 && card == 0 {
		return 0, 0, nil
	}
	return count, math.Ceil(float64(card) / float64(count)), nil
}

func (s *phraseSearcher) scorersWeight() float64 {
	w := 0.0
	for _, x := range s.scorers {
		w += x.sc.Weight()
	}
	return w
}

func (s *phraseSearcher) setScorersNorm(n float64) {
	for _, x := range s.scorers {
		x.sc.SetQueryNorm(n)
	}
}

// ownScore scores candidate d, which holds the phrase: every term's reader
// stands on it.
func (s *phraseSearcher) ownScore(ctx *bsearch.SearchContext, d *bsearch.DocumentMatch) (*bsearch.DocumentMatch, error) {
	sum := 0.0
	for _, x := range s.scorers {
		t := &s.terms[x.term]
		if !t.stands(d.IndexInternalID.Value()) {
			return nil, fmt.Errorf("phrase: term %q is not on candidate %x", t.term, []byte(d.IndexInternalID))
		}
		// Frequency and norm only, as scorch's term field reader gives them.
		s.tfd = index.TermFieldDoc{ID: d.IndexInternalID, Freq: t.src.freq, Norm: t.src.normValue()}
		m := x.sc.Score(ctx, &s.tfd)
		sum += m.Score
		ctx.DocumentMatchPool.Put(m)
	}
	d.Score = sum
	return d, nil
}
