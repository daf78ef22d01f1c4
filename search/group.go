package search

import (
	"time"

	"context"
	"slices"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Grouping by page (Query.Group = GroupPage), as Elasticsearch's collapse
// or Meilisearch's distinct: a search keeps, through the same document
// match hook that gathers its hits for the facet counts, the best passages
// of each page in the search's own order, and passes only each page's best
// on to bleve's top-N collection, so that the pages are ranked by their
// best passage and paged like passages. A passage without a page URL is a
// page of its own.

// grouper groups the matches of one search by page.
type grouper struct {
	order   bsearch.SortOrder
	scoring []bool
	desc    []bool
	window  int // from + size of the search: the pages it returns

	fx     *facetIndex
	slot   []int32 // page number → index in groups + 1; 0: none yet
	groups []*pageHits
	// more maps the document number of each best passage in the window
	// to its page's other matches and the ids of the next best ones.
	more map[uint32]pageMore
}

// pageHits is the best matches of one page, best first, and their number.
type pageHits struct {
	top []*bsearch.DocumentMatch // at most 1 + moreSections
	n   int
}

// pageMore is what a grouped hit says of its page's other passages.
type pageMore struct {
	n   int
	ids []string // the next best passages, best first
}

func newGrouper(order bsearch.SortOrder, window int) *grouper {
	return &grouper{order: order, scoring: order.CacheIsScore(), desc: order.CacheDescending(), window: window,
		more: map[uint32]pageMore{}}
}

// less orders two matches as bleve's top-N collection does: sort keys,
// then collection order.
func (g *grouper) less(a, b *bsearch.DocumentMatch) bool {
	if c := g.order.Compare(g.scoring, g.desc, a, b); c != 0 {
		return c < 0
	}
	return a.HitNumber < b.HitNumber
}

// add takes one match; it returns a match it no longer needs, or nil.
func (g *grouper) add(d *bsearch.DocumentMatch) *bsearch.DocumentMatch {
	n := docNum(d.IndexInternalID)
	var ph *pageHits
	if p := g.fx.page(n); p != noPage {
		if g.slot == nil {
			g.slot = make([]int32, len(g.fx.pageStart))
		}
		if i := g.slot[p]; i > 0 {
			ph = g.groups[i-1]
		} else {
			ph = &pageHits{}
			g.groups = append(g.groups, ph)
			g.slot[p] = int32(len(g.groups))
		}
	} else {
		ph = &pageHits{}
		g.groups = append(g.groups, ph)
	}
	ph.n++
	i, _ := slices.BinarySearchFunc(ph.top, d, func(x, y *bsearch.DocumentMatch) int {
		if g.less(x, y) {
			return -1
		}
		return 1
	})
	if i > moreSections {
		return d
	}
	ph.top = slices.Insert(ph.top, i, d)
	if len(ph.top) > 1+moreSections {
		out := ph.top[len(ph.top)-1]
		ph.top = ph.top[:len(ph.top)-1]
		return out
	}
	return nil
}

// flush ranks the pages by their best match and passes the best of those
// in the window to next, remembering their other passages; the rest go
// back to the pool.
func (g *grouper) flush(sctx *bsearch.SearchContext, next bsearch.DocumentMatchHandler) error {
	slices.SortFunc(g.groups, func(a, b *pageHits) int {
		if g.less(a.top[0], b.top[0]) {
			return -1
		}
		return 1
	})
	for i, ph := range g.groups {
		if i >= g.window {
			for _, d := range ph.top {
				sctx.DocumentMatchPool.Put(d)
			}
			continue
		}
		pm := pageMore{n: ph.n - 1}
		for _, d := range ph.top[1:] {
			id, err := sctx.IndexReader.ExternalID(d.IndexInternalID)
			if err != nil {
				return err
			}
			pm.ids = append(pm.ids, id)
			sctx.DocumentMatchPool.Put(d)
		}
		g.more[docNum(ph.top[0].IndexInternalID)] = pm
		if err := next(ph.top[0]); err != nil {
			return err
		}
	}
	return next(nil)
}

// pages is the number of pages the matches belong to.
func (g *grouper) pages() int { return len(g.groups) }

// groupHits sets the grouped fields of res's hits, bleve's hits of the
// same search, reading the sections of the next best passages of their
// pages in one search.
func (g *grouper) groupHits(ctx context.Context, bi bleve.Index, res *Result, hits bsearch.DocumentMatchCollection) error {
	var ids []string
	for _, h := range hits {
		ids = append(ids, g.more[docNum(h.IndexInternalID)].ids...)
	}
	sections := map[string]string{}
	if len(ids) > 0 {
		req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
		req.Fields = []string{fieldDoc}
		sr, err := bi.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		for _, h := range sr.Hits {
			d, err := decodeDocument(h.ID, h.Fields, time.Time{}) // only its section is read
			if err != nil {
				return err
			}
			sections[h.ID] = d.Section
		}
	}
	for i, h := range hits {
		pm := g.more[docNum(h.IndexInternalID)]
		res.Hits[i].Grouped, res.Hits[i].MorePassages = true, pm.n
		for _, id := range pm.ids {
			res.Hits[i].MoreSections = append(res.Hits[i].MoreSections, sections[id])
		}
	}
	return nil
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
	d, err := s.load(n)
	if err != nil {
		return "", err
	}
	return d.Section, nil
}
