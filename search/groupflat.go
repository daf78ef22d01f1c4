package search

import (
	"slices"
	"sync"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// flatGroups groups the matches of a search in a browse or relevance order
// (orderBrowse, orderScoreBrowse) in flat arrays indexed by page number, as
// Lucene's grouping collectors keep a group ordinal per document: per page
// only its best match and its number of matches, so that a match costs one
// comparison and two array writes in place of a page's group of four
// (which, over thousands of pages visited in no order, missed the cache
// for most matches). The score of every match is kept by document number,
// and the next best passages of the few pages shown are found at the end
// among their pages' matches: in these orders a passage's place follows
// from its score and its browse rank.
type flatGroups struct {
	best    []ranked  // page → its best match, when n[page] > 0
	n       []int32   // page → its matches
	touched []uint32  // pages with a match, in the order first matched
	loose   []ranked  // matches without a page: each a page of its own
	score   []float64 // document number → its score, when matched
	matched []uint64  // document numbers matched, a bitset
}

// flatPool keeps the arrays of ended searches: they are sized by the
// snapshot (pages, document numbers), and allocating and zeroing them anew
// per search would cost what they save.
var flatPool sync.Pool // *flatGroups

// newFlatGroups returns zeroed groups for pages pages and docs document
// numbers.
func newFlatGroups(pages, docs int) *flatGroups {
	fg, _ := flatPool.Get().(*flatGroups)
	if fg == nil {
		fg = &flatGroups{}
	}
	fg.best = grow(fg.best, pages)
	fg.n = grow(fg.n, pages)
	clear(fg.n)
	fg.touched, fg.loose = fg.touched[:0], fg.loose[:0]
	fg.score = grow(fg.score, docs)
	fg.matched = grow(fg.matched, (docs+63)/64)
	clear(fg.matched)
	return fg
}

// grow returns s with length n, reallocated when its capacity is short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// addFlat takes one match (g.flat, built on the first).
func (g *grouper) addFlat(d *bsearch.DocumentMatch) {
	fg := g.flat
	if fg == nil {
		fg = newFlatGroups(len(g.fx.pageStart), len(g.fx.pageOf))
		g.flat = fg
	}
	n := docNum(d.IndexInternalID)
	r := ranked{score: d.Score, doc: n, hit: uint32(d.HitNumber), rank: g.fx.browseRank(n)}
	p := g.fx.page(n)
	if p == noPage {
		fg.loose = append(fg.loose, r)
		return
	}
	fg.score[n] = d.Score
	fg.matched[n/64] |= 1 << (n % 64)
	switch {
	case fg.n[p] == 0:
		fg.touched = append(fg.touched, p)
		fg.best[p] = r
	case g.before(&r, &fg.best[p]):
		fg.best[p] = r
	}
	fg.n[p]++
}

// flushFlat is flush for flat groups: the pages of the window by their best
// match, each with its next best matches found among its page's.
func (g *grouper) flushFlat(sctx *bsearch.SearchContext, next bsearch.DocumentMatchHandler) error {
	fg := g.flat
	defer func() {
		g.flat = nil
		flatPool.Put(fg)
	}()
	// Candidates: the pages matched, then the loose matches.
	nt := len(fg.touched)
	cand := func(i int32) *ranked {
		if int(i) < nt {
			return &fg.best[fg.touched[i]]
		}
		return &fg.loose[int(i)-nt]
	}
	g.pageCount = nt + len(fg.loose)
	better := func(a, b int32) int { return g.order3(cand(a), cand(b)) }
	st := newStoredReader(sctx.IndexReader)
	for _, i := range topOf(g.pageCount, g.window, better) {
		best := *cand(i)
		var pm pageMore
		if int(i) < nt {
			p := fg.touched[i]
			pm.n = int(fg.n[p]) - 1
			var others []ranked
			for _, pd := range g.fx.passages(p) {
				if pd != best.doc && fg.matched[pd/64]&(1<<(pd%64)) != 0 {
					// Collection order is document order in one index.
					others = append(others, ranked{score: fg.score[pd], doc: pd, hit: pd, rank: g.fx.browseRank(pd)})
				}
			}
			slices.SortFunc(others, func(a, b ranked) int { return g.order3(&a, &b) })
			for _, r := range others[:min(len(others), moreSections)] {
				sec, err := st.section(uint64(r.doc))
				if err != nil {
					return err
				}
				pm.sections = append(pm.sections, sec)
			}
		}
		g.more[best.doc] = pm
		if err := g.pass(sctx, next, best); err != nil {
			return err
		}
	}
	return next(nil)
}

// order3 is before as a comparison (negative: a first).
func (g *grouper) order3(a, b *ranked) int {
	switch {
	case g.before(a, b):
		return -1
	case g.before(b, a):
		return 1
	}
	return 0
}
