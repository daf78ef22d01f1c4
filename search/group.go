package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
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

	fx   *facetIndex
	slot []int32 // page number → group number + 1; 0: none yet
	// groups holds group g at groups[g/groupChunk][g%groupChunk]: chunks,
	// so that a new page never copies the groups before it.
	groups [][]pageHits
	n      int // groups in use
	// more maps the document number of each best passage in the window
	// to its page's other matches and the ids of the next best ones.
	more map[uint32]pageMore
}

// groupChunk is the number of groups allocated at a time.
const groupChunk = 256

// group returns group i.
func (g *grouper) group(i int) *pageHits { return &g.groups[i/groupChunk][i%groupChunk] }

// newGroup adds a group and returns its number.
func (g *grouper) newGroup() int {
	if g.n%groupChunk == 0 {
		g.groups = append(g.groups, make([]pageHits, groupChunk))
	}
	g.n++
	return g.n - 1
}

// ranked is what orders one match besides its sort keys.
type ranked struct {
	doc   uint64 // internal id
	score float64
	hit   uint64 // collection order
}

// pageHits is the best matches of one page, best first, and their number.
type pageHits struct {
	top  [1 + moreSections]ranked
	keys *[1 + moreSections][]string // their sort keys, unless the grouper is cheap
	k    int                         // entries of top held
	n    int
}

// key is the sort keys of entry i (nil when the grouper is cheap).
func (ph *pageHits) key(i int) []string {
	if ph.keys == nil {
		return nil
	}
	return ph.keys[i]
}

// pageMore is what a grouped hit says of its page's other passages.
type pageMore struct {
	n   int
	ids []string // the next best passages, best first
}

func newGrouper(order bsearch.SortOrder, window int) *grouper {
	g := &grouper{order: order, scoring: order.CacheIsScore(), desc: order.CacheDescending(), window: window,
		more: map[uint32]pageMore{}, cheap: true}
	for x, so := range order {
		if _, browse := so.(*browseOrder); !browse && !g.scoring[x] {
			g.cheap = false
		}
	}
	return g
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
			c = strings.Compare(g.fx.browseKey(uint32(a.doc)), g.fx.browseKey(uint32(b.doc)))
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
	n := docNum(d.IndexInternalID)
	var ph *pageHits
	if p := g.fx.page(n); p != noPage {
		if g.slot == nil {
			g.slot = make([]int32, len(g.fx.pageStart))
		}
		if i := g.slot[p]; i > 0 {
			ph = g.group(int(i - 1))
		} else {
			i := g.newGroup()
			g.slot[p] = int32(i + 1)
			ph = g.group(i)
		}
	} else {
		ph = g.group(g.newGroup())
	}
	ph.n++
	r := ranked{doc: d.IndexInternalID.Value(), score: d.Score, hit: d.HitNumber}
	i := 0
	for i < ph.k && g.compare(&ph.top[i], ph.key(i), &r, d.Sort) < 0 {
		i++
	}
	if i > moreSections {
		return d
	}
	copy(ph.top[i+1:], ph.top[i:])
	ph.top[i] = r
	if !g.cheap {
		if ph.keys == nil {
			ph.keys = new([1 + moreSections][]string)
		}
		copy(ph.keys[i+1:], ph.keys[i:])
		ph.keys[i] = slices.Clone(d.Sort) // d goes back to the pool
	}
	ph.k = min(ph.k+1, len(ph.top))
	return d
}

// flush ranks the pages by their best match and passes the best of those
// in the window to next, as matches from the pool, remembering their
// other passages.
func (g *grouper) flush(sctx *bsearch.SearchContext, next bsearch.DocumentMatchHandler) error {
	order := make([]int32, g.n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		pa, pb := g.group(int(a)), g.group(int(b))
		return g.compare(&pa.top[0], pa.key(0), &pb.top[0], pb.key(0))
	})
	var buf []byte
	for i, gi := range order {
		if i >= g.window {
			break
		}
		ph := g.group(int(gi))
		pm := pageMore{n: ph.n - 1}
		for _, r := range ph.top[1:ph.k] {
			buf = index.NewIndexInternalID(buf, r.doc)
			id, err := sctx.IndexReader.ExternalID(buf)
			if err != nil {
				return err
			}
			pm.ids = append(pm.ids, id)
		}
		best := ph.top[0]
		g.more[uint32(best.doc)] = pm
		d := sctx.DocumentMatchPool.Get()
		d.IndexInternalID = index.NewIndexInternalID(d.IndexInternalID, best.doc)
		d.Score, d.HitNumber = best.score, best.hit
		if g.cheap {
			d.Sort = d.Sort[:0]
			for _, so := range g.order {
				d.Sort = append(d.Sort, so.Value(d))
			}
		} else {
			d.Sort = append(d.Sort[:0], ph.keys[0]...)
		}
		if err := next(d); err != nil {
			return err
		}
	}
	return next(nil)
}

// pages is the number of pages the matches belong to.
func (g *grouper) pages() int { return g.n }

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
