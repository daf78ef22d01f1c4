package search

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// sumQuery is a disjunction scored by the plain sum of its matching
// clauses. bleve's own disjunction multiplies that sum by the fraction of
// clauses that matched (coord), which would punish a word for having
// synonyms or for being searched in three fields. A scored search uses
// sumDisjunction (sum.go), which adds the scores as it goes; a search that
// asks for explanations reads the sum from the score breakdown of bleve's
// disjunction (sumSearcher), which gives the same scores.
type sumQuery struct {
	kids []query.Query
	// min is the number of kids a passage must match (0: one).
	min int
	// exact is added to the score of a passage matching every kid.
	exact float64
}

// Searcher implements query.Query.
func (q *sumQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	dq := query.NewDisjunctionQuery(q.kids)
	if q.min > 1 {
		dq.SetMin(float64(q.min))
	}
	if options.Score == "none" {
		return dq.Searcher(ctx, i, m, options)
	}
	if !options.Explain {
		kids := make([]bsearch.Searcher, 0, len(q.kids))
		for _, k := range q.kids {
			s, err := k.Searcher(ctx, i, m, options)
			if err != nil {
				for _, s := range kids {
					_ = s.Close()
				}
				return nil, err
			}
			if s != nil {
				kids = append(kids, s)
			}
		}
		return newSumDisjunction(kids, q.min, q.exact), nil
	}
	dq.RetrieveScoreBreakdown(true)
	s, err := dq.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	return &sumSearcher{Searcher: s, kids: len(q.kids), exact: q.exact}, nil
}

// sumSearcher scores each hit of a disjunction by the sum of its breakdown
// (the explaining path; TestSumDisjunctionMatchesBleve holds the two equal).
type sumSearcher struct {
	bsearch.Searcher
	kids  int
	exact float64
}

// Next implements bsearch.Searcher.
func (s *sumSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	return s.sum(d), err
}

// Advance implements bsearch.Searcher.
func (s *sumSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	return s.sum(d), err
}

// sum scores a hit by the sum of its breakdown, plus the exact bonus when
// every kid matched.
func (s *sumSearcher) sum(d *bsearch.DocumentMatch) *bsearch.DocumentMatch {
	if d == nil || d.ScoreBreakdown == nil {
		return d
	}
	sum := 0.0
	for _, v := range d.ScoreBreakdown {
		sum += v
	}
	if s.exact > 0 && len(d.ScoreBreakdown) == s.kids {
		sum += s.exact
	}
	d.Score = sum
	clear(d.ScoreBreakdown) // the hit travels on: no stale parts for an outer sum
	return d
}

// sumDisjunction is the searcher of a scored sumQuery: the passages that at
// least min of its kids match, each scored by the plain sum of the kids'
// scores (plus exact when every kid matched). bleve's disjunction would
// multiply the sum by the share of kids that matched (coord) and, to be
// undone, report the parts in a map allocated for every hit; this one adds
// the scores as it goes. Kids are few (a word's fields and synonyms, a
// query's words), so the current matches are scanned, not kept in a heap.
type sumDisjunction struct {
	kids    []bsearch.Searcher
	currs   []*bsearch.DocumentMatch
	min     int
	exact   float64
	init    bool
	matched []int // indexes of the kids on the current document (scratch)
	others  []*bsearch.DocumentMatch
}

func newSumDisjunction(kids []bsearch.Searcher, min int, exact float64) *sumDisjunction {
	s := &sumDisjunction{kids: kids, currs: make([]*bsearch.DocumentMatch, len(kids)), min: max(min, 1), exact: exact}
	// The query norm bleve's disjunction gives its kids (an enclosing
	// searcher may set another one later, through SetQueryNorm).
	w := 0.0
	for _, k := range kids {
		w += k.Weight()
	}
	norm := 1 / math.Sqrt(w)
	for _, k := range kids {
		k.SetQueryNorm(norm)
	}
	return s
}

func (s *sumDisjunction) start(ctx *bsearch.SearchContext) error {
	if s.init {
		return nil
	}
	s.init = true
	for i, k := range s.kids {
		d, err := k.Next(ctx)
		if err != nil {
			return err
		}
		s.currs[i] = d
	}
	return nil
}

// Next implements bsearch.Searcher.
func (s *sumDisjunction) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	for {
		// the kids on the lowest document
		s.matched = s.matched[:0]
		for i, c := range s.currs {
			if c == nil {
				continue
			}
			if len(s.matched) > 0 {
				switch c.IndexInternalID.Compare(s.currs[s.matched[0]].IndexInternalID) {
				case 1:
					continue
				case -1:
					s.matched = s.matched[:0]
				}
			}
			s.matched = append(s.matched, i)
		}
		if len(s.matched) == 0 {
			return nil, nil
		}
		var rv *bsearch.DocumentMatch
		if len(s.matched) >= s.min {
			rv = s.currs[s.matched[0]]
			sum := 0.0
			s.others = s.others[:0]
			for _, i := range s.matched {
				sum += s.currs[i].Score
				if s.currs[i] != rv {
					s.others = append(s.others, s.currs[i])
				}
			}
			if s.exact > 0 && len(s.matched) == len(s.kids) {
				sum += s.exact
			}
			rv.Score = sum
			if len(s.others) > 0 {
				rv.FieldTermLocations = bsearch.MergeFieldTermLocations(rv.FieldTermLocations, s.others)
			}
		}
		for _, i := range s.matched {
			if s.currs[i] != rv {
				ctx.DocumentMatchPool.Put(s.currs[i])
			}
			d, err := s.kids[i].Next(ctx)
			if err != nil {
				return nil, err
			}
			s.currs[i] = d
		}
		if rv != nil {
			return rv, nil
		}
	}
}

// Advance implements bsearch.Searcher.
func (s *sumDisjunction) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	for i, c := range s.currs {
		if c == nil || c.IndexInternalID.Compare(id) >= 0 {
			continue
		}
		ctx.DocumentMatchPool.Put(c)
		d, err := s.kids[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.currs[i] = d
	}
	return s.Next(ctx)
}

// Close implements bsearch.Searcher.
func (s *sumDisjunction) Close() error {
	var first error
	for _, k := range s.kids {
		if err := k.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight implements bsearch.Searcher.
func (s *sumDisjunction) Weight() float64 {
	w := 0.0
	for _, k := range s.kids {
		w += k.Weight()
	}
	return w
}

// SetQueryNorm implements bsearch.Searcher.
func (s *sumDisjunction) SetQueryNorm(norm float64) {
	for _, k := range s.kids {
		k.SetQueryNorm(norm)
	}
}

// Count implements bsearch.Searcher: at most the kids' counts together.
func (s *sumDisjunction) Count() uint64 {
	var n uint64
	for _, k := range s.kids {
		n += k.Count()
	}
	return n
}

// Min implements bsearch.Searcher.
func (s *sumDisjunction) Min() int { return s.min }

// Size implements bsearch.Searcher.
func (s *sumDisjunction) Size() int {
	n := 64 + 8*len(s.currs) + 8*cap(s.matched)
	for _, k := range s.kids {
		n += k.Size()
	}
	for _, c := range s.currs {
		if c != nil {
			n += c.Size()
		}
	}
	return n
}

// DocumentMatchPoolSize implements bsearch.Searcher.
func (s *sumDisjunction) DocumentMatchPoolSize() int {
	n := len(s.currs)
	for _, k := range s.kids {
		n += k.DocumentMatchPoolSize()
	}
	return n
}
