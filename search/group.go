package search

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// Grouping by page (Query.Group = GroupPage), as Elasticsearch's collapse
// or Meilisearch's distinct: a search keeps, through the same document
// match hook that gathers its hits for the facet counts, the best passages
// of each page in the search's own order, and passes only each page's best
// on to bleve's top-N collection, so that the pages are ranked by their
// best passage and paged like passages. A passage without a page URL is a
// page of its own.

// grouper groups the matches of one search by page. It keeps no match:
// each is returned to bleve's pool at once, and a page holds what orders
// its best passages (score, collection order, and the sort keys when they
// are not the score and the browse order, which are read again from the
// facet index) in value form, so that a search matching tens of thousands
// of passages neither allocates a match per page nor gives the collector
// pointers to copy (keeping the matches made a grouped search 3–5 times
// slower than the same search ungrouped); flush makes matches again for
// the pages of the window only.
type grouper struct {
	order   bsearch.SortOrder
	scoring []bool
	desc    []bool
	window  int  // from + size of the search: the pages it returns
	cheap   bool // every key is the score or the browse order: none is kept
	kind    int  // orderBrowse or orderScoreBrowse: compared without the loop over keys

	fx   *facetIndex
	slot []int32 // page number → group number + 1; 0: none yet
	// groups holds group g at groups[g/groupChunk][g%groupChunk]: chunks,
	// so that a new page never copies the groups before it. A group holds
	// no pointer (the garbage collector neither scans nor tracks the
	// chunks); keys[g] holds its sort keys when the grouper is not cheap.
	groups [][]pageHits
	keys   []*[1 + moreSections][]string
	n      int // groups in use
	// pageCount is n when flush released the groups.
	pageCount int
	// more maps the document number of each best passage in the window
	// to its page's other matches and the ids of the next best ones.
	more map[uint32]pageMore
	// flat holds the groups instead, for a browse or relevance order
	// (groupflat.go).
	flat *flatGroups
}

// groupChunk is the number of groups allocated at a time.
const groupChunk = 256

// group returns group i.
func (g *grouper) group(i int) *pageHits { return &g.groups[i/groupChunk][i%groupChunk] }

// groupChunks and groupSlots keep the chunks and page slots of ended
// searches: a search matching most passages fills thousands of groups, and
// allocating them anew each time made the garbage collector a tenth of a
// grouped search.
var (
	groupChunks sync.Pool // *[groupChunk]pageHits
	groupSlots  sync.Pool // *[]int32
)

// newGroup adds a group and returns its number.
func (g *grouper) newGroup() int {
	if g.n%groupChunk == 0 {
		c, _ := groupChunks.Get().(*[groupChunk]pageHits)
		if c == nil {
			c = new([groupChunk]pageHits)
		} else {
			*c = [groupChunk]pageHits{}
		}
		g.groups = append(g.groups, c[:])
	}
	if !g.cheap {
		g.keys = append(g.keys, new([1 + moreSections][]string))
	}
	g.n++
	return g.n - 1
}

// ranked is what orders one match besides its sort keys.
type ranked struct {
	score float64
	doc   uint32 // document number
	hit   uint32 // collection order (at most the number of passages)
	rank  uint32 // place in browse order (browseRank), when the grouper is cheap
}

// pageHits is the best matches of one page, best first, and their number.
type pageHits struct {
	top [1 + moreSections]ranked
	k   int32 // entries of top held
	n   int32
}

// key is the sort keys of entry i of group gi (nil when the grouper is
// cheap).
func (g *grouper) key(gi, i int) []string {
	if g.cheap {
		return nil
	}
	return g.keys[gi][i]
}

// pageMore is what a grouped hit says of its page's other passages.
type pageMore struct {
	n        int
	sections []string // of the next best passages, best first
}

// The orders a grouper compares directly: a browse (browse order alone)
// and relevance (score descending, ties in browse order).
const (
	orderOther = iota
	orderBrowse
	orderScoreBrowse
)

func newGrouper(order bsearch.SortOrder, window int) *grouper {
	g := &grouper{order: order, scoring: order.CacheIsScore(), desc: order.CacheDescending(), window: window,
		more: map[uint32]pageMore{}, cheap: true}
	browse := make([]bool, len(order))
	for x, so := range order {
		_, browse[x] = so.(*browseOrder)
		if !browse[x] && !g.scoring[x] {
			g.cheap = false
		}
	}
	switch {
	case len(order) == 1 && browse[0] && !g.desc[0]:
		g.kind = orderBrowse
	case len(order) == 2 && g.scoring[0] && g.desc[0] && browse[1] && !g.desc[1]:
		g.kind = orderScoreBrowse
	}
	return g
}

// before reports whether a comes before b in a browse or relevance order
// (kind set): compare's answer, without its loop over the keys.
func (g *grouper) before(a, b *ranked) bool {
	if g.kind == orderScoreBrowse {
		if c := cmp.Compare(a.score, b.score); c != 0 {
			return c > 0
		}
	}
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.hit < b.hit
}

// compare orders two matches (a with sort keys ak, b with bk) as bleve's
// SortOrder.Compare does, then by collection order.
func (g *grouper) compare(a *ranked, ak []string, b *ranked, bk []string) int {
	for x := range g.order {
		var c int
		switch {
		case g.scoring[x]:
			c = cmp.Compare(a.score, b.score)
		case g.cheap:
			c = cmp.Compare(a.rank, b.rank)
		default:
			c = strings.Compare(ak[x], bk[x])
		}
		if c != 0 {
			if g.desc[x] {
				c = -c
			}
			return c
		}
	}
	return cmp.Compare(a.hit, b.hit)
}

// add takes one match; it returns it (the caller puts it back in the pool).
func (g *grouper) add(d *bsearch.DocumentMatch) *bsearch.DocumentMatch {
	if g.kind != orderOther {
		g.addFlat(d)
		return d
	}
	n := docNum(d.IndexInternalID)
	var gi int
	if p := g.fx.page(n); p != noPage {
		if g.slot == nil {
			g.slot = pageSlots(len(g.fx.pageStart))
		}
		if i := g.slot[p]; i > 0 {
			gi = int(i - 1)
		} else {
			gi = g.newGroup()
			g.slot[p] = int32(gi + 1)
		}
	} else {
		gi = g.newGroup()
	}
	ph := g.group(gi)
	ph.n++
	r := ranked{doc: n, score: d.Score, hit: uint32(d.HitNumber)}
	if g.cheap {
		r.rank = g.fx.browseRank(n)
	}
	// From the worst kept: most of a page's matches after its first few
	// are worse than all of them.
	i := int(ph.k)
	for i > 0 && g.compare(&ph.top[i-1], g.key(gi, i-1), &r, d.Sort) > 0 {
		i--
	}
	if i > moreSections {
		return d
	}
	copy(ph.top[i+1:], ph.top[i:])
	ph.top[i] = r
	if !g.cheap {
		keys := g.keys[gi]
		copy(keys[i+1:], keys[i:])
		keys[i] = slices.Clone(d.Sort) // d goes back to the pool
	}
	ph.k = min(ph.k+1, int32(len(ph.top)))
	return d
}

// pageSlots returns n zeroed slots, from groupSlots when it holds enough.
func pageSlots(n int) []int32 {
	if sp, _ := groupSlots.Get().(*[]int32); sp != nil && cap(*sp) >= n {
		s := (*sp)[:n]
		clear(s)
		return s
	}
	return make([]int32, n)
}

// release gives the grouper's groups and slots back for other searches;
// the grouper keeps only what its hits say of their pages (more).
func (g *grouper) release() {
	for _, c := range g.groups {
		groupChunks.Put((*[groupChunk]pageHits)(c))
	}
	if slot := g.slot; slot != nil {
		groupSlots.Put(&slot)
	}
	g.groups, g.slot, g.keys, g.n = nil, nil, nil, 0
}

// better orders groups a and b by their best match (negative: a first).
func (g *grouper) better(a, b int32) int {
	pa, pb := g.group(int(a)), g.group(int(b))
	return g.compare(&pa.top[0], g.key(int(a), 0), &pb.top[0], g.key(int(b), 0))
}

// topOf is the numbers of the best min(window, n) of n candidates (0 to
// n-1, ordered by better, negative: a first), best first: a bounded heap
// (its worst at the root) over every candidate, then a sort of the few
// kept, rather than a sort of every page matched. The order is total
// (collection order breaks ties), so the window is the one a full sort
// would give.
func topOf(n, window int, better func(a, b int32) int) []int32 {
	w := min(window, n)
	if w <= 0 {
		return nil
	}
	h := make([]int32, 0, w)
	worse := func(i, j int) bool { return better(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			c := 2*i + 1
			if c >= len(h) {
				return
			}
			if c+1 < len(h) && worse(c+1, c) {
				c++
			}
			if !worse(c, i) {
				return
			}
			h[i], h[c] = h[c], h[i]
			i = c
		}
	}
	for gi := range int32(n) {
		if len(h) < w {
			h = append(h, gi)
			for i := len(h) - 1; i > 0; {
				parent := (i - 1) / 2
				if !worse(i, parent) {
					break
				}
				h[i], h[parent] = h[parent], h[i]
				i = parent
			}
			continue
		}
		if better(gi, h[0]) < 0 {
			h[0] = gi
			down(0)
		}
	}
	slices.SortFunc(h, better)
	return h
}

// flush ranks the pages by their best match and passes the best of those
// in the window to next, as matches from the pool, remembering their
// other passages.
func (g *grouper) flush(sctx *bsearch.SearchContext, next bsearch.DocumentMatchHandler) error {
	if g.flat != nil {
		return g.flushFlat(sctx, next)
	}
	g.pageCount = g.n
	defer g.release()
	st := newStoredReader(sctx.IndexReader)
	for _, gi := range topOf(g.n, g.window, g.better) {
		ph := g.group(int(gi))
		pm := pageMore{n: int(ph.n) - 1}
		for _, r := range ph.top[1:ph.k] {
			sec, err := st.section(uint64(r.doc))
			if err != nil {
				return err
			}
			pm.sections = append(pm.sections, sec)
		}
		best := ph.top[0]
		g.more[best.doc] = pm
		d := sctx.DocumentMatchPool.Get()
		d.IndexInternalID = index.NewIndexInternalID(d.IndexInternalID, uint64(best.doc))
		d.Score, d.HitNumber = best.score, uint64(best.hit)
		if g.cheap {
			d.Sort = d.Sort[:0]
			for _, so := range g.order {
				d.Sort = append(d.Sort, so.Value(d))
			}
		} else {
			d.Sort = append(d.Sort[:0], g.keys[gi][0]...)
		}
		if err := next(d); err != nil {
			return err
		}
	}
	return next(nil)
}

// pass hands the best match of a page of the window to next, as a match
// from the pool, with its sort keys read again (the grouper is cheap).
func (g *grouper) pass(sctx *bsearch.SearchContext, next bsearch.DocumentMatchHandler, best ranked) error {
	d := sctx.DocumentMatchPool.Get()
	d.IndexInternalID = index.NewIndexInternalID(d.IndexInternalID, uint64(best.doc))
	d.Score, d.HitNumber = best.score, uint64(best.hit)
	d.Sort = d.Sort[:0]
	for _, so := range g.order {
		d.Sort = append(d.Sort, so.Value(d))
	}
	return next(d)
}

// pages is the number of pages the matches belong to.
func (g *grouper) pages() int { return g.pageCount }

// groupHits sets the grouped fields of res's hits, bleve's hits of the
// same search.
func (g *grouper) groupHits(res *Result, hits bsearch.DocumentMatchCollection) {
	for i, h := range hits {
		pm := g.more[docNum(h.IndexInternalID)]
		res.Hits[i].Grouped, res.Hits[i].MorePassages = true, pm.n
		res.Hits[i].MoreSections = append(res.Hits[i].MoreSections, pm.sections...)
	}
}

// groupExport keeps the first (best) hit of each page of sorted hits,
// with the number of its page's other hits and the document numbers of
// the next best ones.
func groupExport(fx *facetIndex, hits []exportHit) []exportHit {
	first := map[uint32]int{} // page → index in out
	out := hits[:0:0]
	for _, h := range hits {
		p := fx.page(h.num)
		if i, ok := first[p]; ok && p != noPage {
			out[i].more++
			if len(out[i].next) < moreSections {
				out[i].next = append(out[i].next, h.num)
			}
			continue
		}
		first[p] = len(out)
		h.grouped = true
		out = append(out, h)
	}
	return out
}

// sectionOf reads the section of document number n of an export's snapshot.
func (s *exportSet) sectionOf(n uint32) (string, error) {
	return newStoredReader(s.reader).section(uint64(n))
}
