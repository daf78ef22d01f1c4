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
func (s *Store) sinceGeneration(since string) (Generation, error) {
	if since == "" {
		return Generation{}, fmt.Errorf("%w: since is required (a generation id or an RFC 3339 time)", ErrBadQuery)
	}
	if t, err := time.Parse(time.RFC3339, since); err == nil {
		for _, g := range s.Generations() {
			if !g.BuiltAt.After(t) {
				return g, nil
			}
		}
		return Generation{}, fmt.Errorf("%w: no generation built at or before %s is kept", ErrGenerationGone, t.UTC().Format(time.RFC3339))
	}
	if !ValidGenerationID(since) {
		return Generation{}, fmt.Errorf("%w: since must be a generation id or an RFC 3339 time, got %q", ErrBadQuery, since)
	}
	return s.Generation(since)
}

// matchSet is every match of a plan on one index snapshot, by passage id.
type matchSet struct {
	set *exportSet
	ids map[string]uint32 // id → document number
}

func (e *Engine) matchSet(ctx context.Context, bi bleve.Index, p *Plan) (*matchSet, error) {
	set, err := e.gather(ctx, bi, p)
	if err != nil {
		return nil, err
	}
	m := &matchSet{set: set, ids: make(map[string]uint32, len(set.hits))}
	for _, h := range set.hits {
		id, err := set.reader.ExternalID(index.NewIndexInternalID(nil, uint64(h.num)))
		if err != nil {
			set.release()
			return nil, fmt.Errorf("changes: document %d: %w", h.num, err)
		}
		m.ids[id] = h.num
	}
	return m, nil
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
// sinceBuilt) and after.
func changes(ctx context.Context, before, after *Index, q Query, sinceBuilt time.Time) (*Changes, error) {
	q = ExportQuery(q)
	q.Match, q.Sort, q.Generation = MatchAll, SortChangedAt, ""
	pb, err := before.Compile(q)
	if err != nil {
		return nil, err
	}
	pa, err := after.Compile(q)
	if err != nil {
		return nil, err
	}
	sctx, cancel := after.eng.bounded(ctx)
	defer cancel()
	mb, err := before.eng.matchSet(sctx, before.bi, pb)
	if err != nil {
		return nil, err
	}
	defer mb.set.release()
	ma, err := after.eng.matchSet(sctx, after.bi, pa)
	if err != nil {
		return nil, err
	}
	defer ma.set.release()
	moved, err := changedAfter(sctx, after.bi, sinceBuilt)
	if err != nil {
		return nil, after.eng.searchErr(sctx, err)
	}

	out := &Changes{}
	var list []Change
	var changedIDs []string
	// In the later generation's order (changed_at, newest first).
	for _, h := range ma.set.hits {
		id, err := ma.set.reader.ExternalID(index.NewIndexInternalID(nil, uint64(h.num)))
		if err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		_, was := mb.ids[id]
		kind := ""
		switch {
		case !was:
			kind = ChangeNew
			out.New++
		case moved.Contains(h.num):
			kind = ChangeChanged
			out.Changed++
		default:
			continue
		}
		if len(list) >= MaxChanges {
			out.Truncated = true
			continue
		}
		d, err := ma.set.load(h.num)
		if err != nil {
			return nil, err
		}
		list = append(list, Change{Kind: kind, Hit: Hit{Document: *d, Snippet: snippet(d.Text, nil)}})
		if kind == ChangeChanged {
			changedIDs = append(changedIDs, id)
		}
	}
	for _, h := range mb.set.hits {
		id, err := mb.set.reader.ExternalID(index.NewIndexInternalID(nil, uint64(h.num)))
		if err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		if _, is := ma.ids[id]; is {
			continue
		}
		out.Removed++
		if len(list) >= MaxChanges {
			out.Truncated = true
			continue
		}
		d, err := mb.set.load(h.num)
		if err != nil {
			return nil, err
		}
		list = append(list, Change{Kind: ChangeRemoved, Hit: Hit{Document: *d, Snippet: snippet(d.Text, nil)}})
	}
	if len(changedIDs) > 0 {
		prev, err := before.texts(sctx, changedIDs)
		if err != nil {
			return nil, err
		}
		for i := range list {
			if list[i].Kind == ChangeChanged {
				list[i].Previous = prev[list[i].Hit.ID]
			}
		}
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
			return b.Hit.ChangedAt.Compare(a.Hit.ChangedAt)
		})
	}
	slices.SortStableFunc(pages, func(a, b PageChanges) int { return b.Latest.Compare(a.Latest) })
	return pages
}

// Changes lists what changed in the search q (its words and filters; its
// page is ignored) between generation since (an id, or an RFC 3339 time:
// the newest kept generation built by then) and q.Generation (the served
// one when empty). Errors: ErrBadQuery (since), ErrGenerationGone, those of
// Compile, ErrTimeout.
func (l *Live) Changes(ctx context.Context, q Query, since string) (*Changes, error) {
	base, err := l.store.sinceGeneration(since)
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
