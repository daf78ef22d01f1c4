package search

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// What changed: the passages of a search that are new, changed or removed
// in one generation (the served one, or Query.Generation) against an
// earlier kept one. Removed passages are the matches of the earlier
// generation whose id is gone from the later one's matches; changed ones are
// matches of both whose changed_at (the crawl that saw their text change)
// is after the earlier generation was built; new ones are matches of the
// later one only.

// Kinds of Change.
const (
	ChangeNew     = "new"
	ChangeChanged = "changed"
	ChangeRemoved = "removed"
)

// MaxChanges bounds the passages Changes lists (the counts cover all).
const MaxChanges = 2000

// Change is one passage that changed.
type Change struct {
	Kind string `json:"kind"`
	// Hit is the passage as the later generation has it (as the earlier one
	// had it, when removed).
	Hit Hit `json:"passage"`
	// Previous is the text the earlier generation had (changed only).
	Previous string `json:"previous_text,omitempty"`
}

// MarshalJSON writes a change with its passage as an export writes a hit
// (text and page_url included).
func (c Change) MarshalJSON() ([]byte, error) {
	hit, err := ExportJSON(c.Hit, "")
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Kind     string          `json:"kind"`
		Passage  json.RawMessage `json:"passage"`
		Previous string          `json:"previous_text,omitempty"`
	}{c.Kind, hit, c.Previous})
}

// PageChanges are the changes of one page, newest first.
type PageChanges struct {
	PageURL string    `json:"page_url"`
	Title   string    `json:"title"`
	Latest  time.Time `json:"latest"`
	Changes []Change  `json:"passages"`
}

// Changes is what changed in a search between two generations.
type Changes struct {
	Since     Generation    `json:"since"`
	Current   Generation    `json:"current"`
	New       int           `json:"new"`
	Changed   int           `json:"changed"`
	Removed   int           `json:"removed"`
	Truncated bool          `json:"truncated"` // more than MaxChanges: the pages list the first
	Pages     []PageChanges `json:"pages"`
}

// sinceGeneration resolves since (a generation id or an RFC 3339 time) to a
// kept generation: the one named, or the newest built at or before the time.
func (l *Live) sinceGeneration(since string) (Generation, error) {
	if since == "" {
		return Generation{}, fmt.Errorf("%w: since is required (a generation id or an RFC 3339 time)", ErrBadQuery)
	}
	if t, err := time.Parse(time.RFC3339, since); err == nil {
		for _, g := range l.Generations() {
			if !g.BuiltAt.After(t) {
				return g, nil
			}
		}
		return Generation{}, fmt.Errorf("%w: no generation built at or before %s is kept", ErrGenerationGone, t.UTC().Format(time.RFC3339))
	}
	if !ValidGenerationID(since) {
		return Generation{}, fmt.Errorf("%w: since must be a generation id or an RFC 3339 time, got %q", ErrBadQuery, since)
	}
	return l.Generation(since)
}

// side is every match of a plan on one index snapshot, as document
// numbers, with the snapshot kept for reading them (unordered: no sort
// keys are read).
type side struct {
	matches *roaring.Bitmap
	set     *exportSet // its reader; hits unused
	fx      *pageIndex // its pages
}

// side gathers the matches of p's words and filters on bi. It reads no
// score, so it searches the words without the bonus phrase and the BM25
// statistics, and it needs only the pages of the snapshot (pageIndexOf),
// not its facet index: an earlier generation opened for Changes alone
// (openLazy) builds neither.
func (e *Engine) side(ctx context.Context, bi bleve.Index, p *Plan) (*side, error) {
	text, _, err := e.queries(ctx, bi, p)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(&filteredQuery{inner: text, filter: p.filter}, 0, 0, false)
	req.Score = bleve.ScoreNone
	set := newExportSet(req.Sort, nil, exportLimit(e.lim))
	set.seen = e.seen
	if _, err := bi.SearchInContext(set.context(ctx), req); err != nil {
		set.release()
		return nil, e.searchErr(ctx, err)
	}
	if set.reader == nil {
		return nil, fmt.Errorf("%w: no index to compare", ErrUnavailable)
	}
	bm := roaring.New()
	for _, h := range set.hits {
		bm.Add(h.num)
	}
	set.hits, set.keys = nil, nil
	px, err := pageIndexOf(set.reader)
	if err != nil {
		set.release()
		return nil, fmt.Errorf("changes: %w", err)
	}
	return &side{matches: bm, set: set, fx: px}, nil
}

func (s *side) id(n uint32) (string, error) {
	id, err := s.set.reader.ExternalID(index.NewIndexInternalID(nil, uint64(n)))
	if err != nil {
		return "", fmt.Errorf("changes: document %d: %w", n, err)
	}
	return id, nil
}

// ids are the passage ids of the matches among docs.
func (s *side) ids(docs *roaring.Bitmap) (map[string]uint32, error) {
	out := make(map[string]uint32, docs.GetCardinality())
	it := docs.Iterator()
	for it.HasNext() {
		n := it.Next()
		id, err := s.id(n)
		if err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, nil
}

// pageNum is the number of the page with that URL, or noPage.
func (s *side) pageNum(u string) uint32 {
	i, ok := slices.BinarySearch(s.fx.pageURL, u)
	if !ok {
		return noPage
	}
	return uint32(i)
}

// passages are the document numbers of page p.
func (s *side) passages(p uint32) []uint32 { return s.fx.passages(p) }

// suspectPages are the pages of before (by number) that may have lost a
// passage in after: gone, with fewer passages, or holding a passage of
// fresh (changed since). Both page lists are in byte order: one merge.
func suspectPages(before, after *side, fresh map[string]uint32) map[uint32]bool {
	out := map[uint32]bool{}
	pb, pa := before.fx.pageURL, after.fx.pageURL
	j := 0
	for i, u := range pb {
		for j < len(pa) && pa[j] < u {
			j++
		}
		nb := len(before.passages(uint32(i)))
		if j >= len(pa) || pa[j] != u || len(after.passages(uint32(j))) != nb {
			out[uint32(i)] = true
		}
	}
	for _, n := range fresh {
		if p := after.fx.page(n); p != noPage {
			if q := before.pageNum(after.fx.pageURL[p]); q != noPage {
				out[q] = true
			}
		}
	}
	return out
}

// changedAfter returns the document numbers of bi whose changed_at is after t.
func changedAfter(ctx context.Context, bi bleve.Index, t time.Time) (*roaring.Bitmap, error) {
	inclusive := false
	q := query.NewDateRangeInclusiveQuery(t, time.Time{}, &inclusive, nil)
	q.SetField(fieldChangedAt)
	hs := &hitSet{collect: true}
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = bleve.ScoreNone
	if _, err := bi.SearchInContext(hs.context(ctx), req); err != nil {
		return nil, err
	}
	if hs.docs == nil {
		return roaring.New(), nil
	}
	return hs.docs, nil
}

// changes compares the matches of q on two indexes: before (built at
// sinceBuilt) and after. It reads the ids of few passages only: those
// changed after sinceBuilt in after, and those of the pages that may have
// lost one (gone, fewer or changed passages).
func changes(ctx context.Context, before, after *Index, q Query, sinceBuilt time.Time) (*Changes, error) {
	q = ExportQuery(q)
	q.Match, q.Sort, q.Generation = MatchAll, SortChangedAt, ""
	// Plans not bound to a facet index (no result is cached): binding would
	// read the earlier generation's, which Changes does not need.
	pb, err := before.eng.Compile(q)
	if err != nil {
		return nil, err
	}
	pb.ix = before
	pa, err := after.eng.Compile(q)
	if err != nil {
		return nil, err
	}
	pa.ix = after
	sctx, cancel := after.eng.bounded(ctx)
	defer cancel()
	sb, err := before.eng.side(sctx, before.bi, pb)
	if err != nil {
		return nil, err
	}
	defer sb.set.release()
	sa, err := after.eng.side(sctx, after.bi, pa)
	if err != nil {
		return nil, err
	}
	defer sa.set.release()
	moved, err := changedAfter(sctx, after.bi, sinceBuilt)
	if err != nil {
		return nil, after.eng.searchErr(sctx, err)
	}
	moved.And(sa.matches)

	// New or changed: matches of after changed since; changed when before
	// holds the id.
	fresh, err := sa.ids(moved)
	if err != nil {
		return nil, err
	}
	freshIDs := make([]string, 0, len(fresh))
	for id := range fresh {
		freshIDs = append(freshIDs, id)
	}
	prev := map[string]string{}
	if len(freshIDs) > 0 {
		if prev, err = before.texts(sctx, freshIDs); err != nil {
			return nil, err
		}
	}

	// Removed: only on pages gone, with fewer passages, or with a passage
	// changed; their matches in before whose id after no longer matches.
	docsB, docsA := roaring.New(), roaring.New()
	for p := range suspectPages(sb, sa, fresh) {
		docsB.AddMany(sb.passages(p))
		if q := sa.pageNum(sb.fx.pageURL[p]); q != noPage {
			docsA.AddMany(sa.passages(q))
		}
	}
	docsB.And(sb.matches)
	docsA.And(sa.matches)
	stillA, err := sa.ids(docsA)
	if err != nil {
		return nil, err
	}

	out := &Changes{}
	var list []Change
	add := func(c Change) {
		if len(list) >= MaxChanges {
			out.Truncated = true
			return
		}
		list = append(list, c)
	}
	for it := moved.Iterator(); it.HasNext(); { // byPage orders them
		d, err := sa.set.load(it.Next())
		if err != nil {
			return nil, err
		}
		old, was := prev[d.ID]
		c := Change{Kind: ChangeNew, Hit: Hit{Document: *d, Snippet: snippet(d.Text, nil)}}
		if was {
			c.Kind, c.Previous = ChangeChanged, old
			out.Changed++
		} else {
			out.New++
		}
		add(c)
	}
	for it := docsB.Iterator(); it.HasNext(); {
		num := it.Next()
		id, err := sb.id(num)
		if err != nil {
			return nil, err
		}
		if _, is := stillA[id]; is {
			continue
		}
		if _, is := fresh[id]; is { // still matched, among the changed
			continue
		}
		out.Removed++
		if len(list) >= MaxChanges {
			out.Truncated = true
			continue
		}
		d, err := sb.set.load(num)
		if err != nil {
			return nil, err
		}
		add(Change{Kind: ChangeRemoved, Hit: Hit{Document: *d, Snippet: snippet(d.Text, nil)}})
	}
	out.Pages = byPage(list)
	return out, nil
}

// texts reads the text of the passages ids in one search.
func (ix *Index) texts(ctx context.Context, ids []string) (map[string]string, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fieldText}
	req.Score = bleve.ScoreNone
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, ix.eng.searchErr(ctx, err)
	}
	out := make(map[string]string, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID], _ = h.Fields[fieldText].(string)
	}
	return out, nil
}

// byPage groups changes by page, the page with the latest change first;
// within a page, new and changed passages (newest first), then removed ones.
func byPage(list []Change) []PageChanges {
	at := map[string]int{}
	var pages []PageChanges
	for _, c := range list {
		key := c.Hit.PageURL
		i, ok := at[key]
		if !ok {
			i = len(pages)
			at[key] = i
			pages = append(pages, PageChanges{PageURL: key, Title: c.Hit.Title})
		}
		if c.Kind != ChangeRemoved && c.Hit.ChangedAt.After(pages[i].Latest) {
			pages[i].Latest = c.Hit.ChangedAt
		}
		pages[i].Changes = append(pages[i].Changes, c)
	}
	rank := map[string]int{ChangeNew: 0, ChangeChanged: 0, ChangeRemoved: 1}
	for i := range pages {
		slices.SortStableFunc(pages[i].Changes, func(a, b Change) int {
			if c := cmp.Compare(rank[a.Kind], rank[b.Kind]); c != 0 {
				return c
			}
			if c := b.Hit.ChangedAt.Compare(a.Hit.ChangedAt); c != 0 {
				return c
			}
			return cmp.Compare(a.Hit.ID, b.Hit.ID)
		})
	}
	slices.SortStableFunc(pages, func(a, b PageChanges) int {
		if c := b.Latest.Compare(a.Latest); c != 0 {
			return c
		}
		return cmp.Compare(a.PageURL, b.PageURL)
	})
	return pages
}

// Changes lists what changed in the search q (its words and filters; its
// page is ignored) between generation since (an id, or an RFC 3339 time:
// the newest kept generation built by then) and q.Generation (the served
// one when empty). Errors: ErrBadQuery (since), ErrGenerationGone, those of
// Compile, ErrTimeout.
func (l *Live) Changes(ctx context.Context, q Query, since string) (*Changes, error) {
	base, err := l.sinceGeneration(since)
	if err != nil {
		return nil, err
	}
	ha, err := l.acquireAt(q.Generation)
	if err != nil {
		return nil, err
	}
	defer ha.refs.Done()
	hb, err := l.acquireAt(base.ID)
	if err != nil {
		return nil, err
	}
	defer hb.refs.Done()
	cur, err := l.Generation(ha.id)
	if err != nil && !errors.Is(err, ErrGenerationGone) {
		return nil, err
	}
	cur.ID = ha.id
	out, err := changes(ctx, hb.ix, ha.ix, q, base.BuiltAt)
	if err != nil {
		return nil, err
	}
	out.Since, out.Current = base, cur
	return out, nil
}
