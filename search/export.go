package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// DefaultMaxExport is the most hits one export holds when Limits.MaxExport
// is zero.
const DefaultMaxExport = 1_000_000

// ErrExportTooLarge is wrapped by the error of an export whose query matches
// more than Limits.MaxExport passages. Errors that wrap it also wrap
// ErrBadQuery (400 invalid_query): the user is asked to narrow the search.
var ErrExportTooLarge = errors.New("export too large")

type exportTooLargeError struct{ max int }

func (e *exportTooLargeError) Error() string {
	return fmt.Sprintf("%v: the search matches more than %d passages, more than one export holds; narrow it with filters",
		ErrBadQuery, e.max)
}

func (e *exportTooLargeError) Is(target error) bool {
	return target == ErrBadQuery || target == ErrExportTooLarge
}

// ExportInfo describes an export once its hits are known, before the first
// is passed on.
type ExportInfo struct {
	// Generation is the id of the generation the hits are read from; empty
	// when the index is not served by a Live (an Index opened on its own).
	Generation string
	// Total is the number of hits the export passes on: the Total that
	// Search reports for the same query on the same generation.
	Total int
}

// exportLimit is the cap of an export under lim.
func exportLimit(lim Limits) int {
	if lim.MaxExport > 0 {
		return lim.MaxExport
	}
	return DefaultMaxExport
}

// Export passes every hit of q to fn, in the order of q.Sort, all read from
// one snapshot of bi: the hits whose number Search reports as its Total, in
// the order of its pages, without paging (q.Page and q.PerPage are ignored,
// facets are not counted, hits carry no snippet). begin, when not nil, is
// called once the hits are known, before the first is passed on (also when
// there is none); an error from begin or fn stops the export and is
// returned. It returns the number of hits passed on.
//
// Gathering the hits is one search (one pass over the matches, keeping each
// one's document number and sort keys, about 40 bytes a hit), bounded by
// Limits.Deadline like a search; the hits are then sorted in memory with
// bleve's own comparison and their stored passages read one at a time, the
// snapshot held for as long as fn takes, under the caller's ctx only. A
// query matching more than Limits.MaxExport passages (0: DefaultMaxExport)
// is refused with an error wrapping ErrExportTooLarge and ErrBadQuery,
// before begin. bi is one scorch index or an alias of one.
func (e *Engine) Export(ctx context.Context, bi bleve.Index, q Query, begin func(ExportInfo) error, fn func(Hit) error) (int, error) {
	p, err := e.Compile(ExportQuery(q))
	if err != nil {
		return 0, err
	}
	return e.export(ctx, bi, p, begin, fn)
}

// ExportQuery is q as an export compiles it: its first page, without facets
// (an export ignores paging, and a query that pages too deep still exports).
func ExportQuery(q Query) Query {
	q.Page, q.PerPage, q.NoFacets, q.FacetSize = 1, 1, true, 0
	return q
}

// export passes every hit of p to fn (see Export).
func (e *Engine) export(ctx context.Context, bi bleve.Index, p *Plan, begin func(ExportInfo) error, fn func(Hit) error) (int, error) {
	sctx, cancel := e.bounded(ctx)
	// The same relaxation as Search: an export holds the hits it reports.
	set, _, relaxed, err := relax(p, func(p *Plan) (*exportSet, int, error) {
		set, err := e.gather(sctx, bi, p)
		if err != nil {
			return nil, 0, err
		}
		return set, len(set.hits), nil
	}, (*exportSet).release)
	cancel()
	if err != nil {
		return 0, err
	}
	set.relaxed, set.seen = relaxed, e.seen
	defer set.release()
	if p.group {
		set.hits = groupExport(set.src.fx, set.hits)
	}
	if begin != nil {
		if err := begin(ExportInfo{Generation: p.gen, Total: len(set.hits)}); err != nil {
			return 0, err
		}
	}
	return set.stream(ctx, fn)
}

// gather runs the search of p once, keeping every match, and sorts them.
func (e *Engine) gather(ctx context.Context, bi bleve.Index, p *Plan) (*exportSet, error) {
	_, scored, err := e.queries(ctx, bi, p)
	if err != nil {
		return nil, err
	}
	// The same query and sort as Engine.Search, so the same matches, scores
	// and order; no hit is kept by bleve's top-N collection (size 0).
	req := bleve.NewSearchRequestOptions(scored, 0, 0, false)
	src := &hitSet{}
	p.sortRequest(req, src)
	set := newExportSet(req.Sort, src, exportLimit(e.lim))
	res, err := bi.SearchInContext(set.context(ctx), req)
	if err != nil {
		set.release()
		if errors.Is(err, ErrExportTooLarge) {
			return nil, err
		}
		return nil, e.searchErr(ctx, err)
	}
	// An alias of several indexes answers with the hits of those that
	// did not fail.
	set.mu.Lock()
	calls := set.calls
	set.mu.Unlock()
	if calls > 1 || (res.Status != nil && res.Status.Failed > 0) {
		set.release()
		return nil, fmt.Errorf("export: %w", errManyIndexes)
	}
	if set.reader == nil { // no index searched (an empty alias)
		return nil, fmt.Errorf("%w: no index to export from", ErrUnavailable)
	}
	set.sortHits()
	return set, nil
}

// refCounted is an index reader that can be kept past its search (a scorch
// snapshot).
type refCounted interface {
	AddRef()
	DecRef() error
}

// exportHit is one match of an export: its document number, its place in
// the order of collection (bleve's last tie-break) and score, and where its
// sort keys start in exportSet.keys.
type exportHit struct {
	num   uint32
	at    uint32
	seq   uint64
	score float64
	// Set when grouped by page (groupExport).
	grouped bool
	more    int
	next    []uint32
}

// exportSet gathers the matches of one search through bleve's document
// match handler hook, and keeps the snapshot searched for reading them.
type exportSet struct {
	order   bsearch.SortOrder
	scoring []bool // per sort key: by score (not kept in keys)
	desc    []bool
	kept    []int // the positions of the sort keys kept in keys
	src     *hitSet
	max     int
	relaxed bool // the hits of a relaxed search (relax.go)

	mu     sync.Mutex // an alias of several indexes calls handler concurrently
	calls  int
	hits   []exportHit
	keys   []string // len(kept) per hit
	reader index.IndexReader
	ref    refCounted
	seen   time.Time // Engine.seen
}

func newExportSet(order bsearch.SortOrder, src *hitSet, limit int) *exportSet {
	s := &exportSet{order: order, scoring: order.CacheIsScore(), desc: order.CacheDescending(), src: src, max: limit}
	for i, sc := range s.scoring {
		if !sc {
			s.kept = append(s.kept, i)
		}
	}
	return s
}

// context returns ctx with the hook installed.
func (s *exportSet) context(ctx context.Context) context.Context {
	return context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(s.handler))
}

func (s *exportSet) handler(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls++; s.calls > 1 {
		return nil, false, errManyIndexes
	}
	ref, ok := sctx.IndexReader.(refCounted)
	if !ok {
		return nil, false, fmt.Errorf("export: index reader %T cannot be kept", sctx.IndexReader)
	}
	if s.src != nil { // nil: no sort reads the facet index (changes.go)
		fx, err := facetIndexOf(sctx.IndexReader)
		if err != nil {
			return nil, false, err
		}
		s.src.fx = fx // browseOrder reads it for every match
	}
	ref.AddRef()
	s.reader, s.ref = sctx.IndexReader, ref
	return func(d *bsearch.DocumentMatch) error {
		if d == nil {
			return nil
		}
		if len(s.hits) >= s.max {
			return &exportTooLargeError{max: s.max}
		}
		s.hits = append(s.hits, exportHit{num: docNum(d.IndexInternalID), at: uint32(len(s.keys)), seq: d.HitNumber, score: d.Score})
		for _, k := range s.kept {
			s.keys = append(s.keys, d.Sort[k])
		}
		sctx.DocumentMatchPool.Put(d)
		return nil
	}, false, nil
}

// sortHits puts the hits in the order of the search's pages: bleve's
// comparison of sort keys, score and collection order (a total order).
func (s *exportSet) sortHits() {
	a := &bsearch.DocumentMatch{Sort: make([]string, len(s.order))}
	b := &bsearch.DocumentMatch{Sort: make([]string, len(s.order))}
	fill := func(d *bsearch.DocumentMatch, h *exportHit) {
		d.Score, d.HitNumber = h.score, h.seq
		for i, k := range s.kept {
			d.Sort[k] = s.keys[int(h.at)+i]
		}
	}
	slices.SortFunc(s.hits, func(x, y exportHit) int {
		fill(a, &x)
		fill(b, &y)
		return s.order.Compare(s.scoring, s.desc, a, b)
	})
	s.keys = nil // no longer needed
}

// stream reads the stored passage of each hit, in order, and passes it to fn.
func (s *exportSet) stream(ctx context.Context, fn func(Hit) error) (int, error) {
	for i, h := range s.hits {
		if err := ctx.Err(); err != nil {
			return i, fmt.Errorf("export: %w", err)
		}
		d, err := s.load(h.num)
		if err != nil {
			return i, err
		}
		hit := Hit{Document: *d, Score: h.score, Grouped: h.grouped, MorePassages: h.more}
		for _, n := range h.next {
			sec, err := s.sectionOf(n)
			if err != nil {
				return i, err
			}
			hit.MoreSections = append(hit.MoreSections, sec)
		}
		if s.relaxed {
			unbonus(&hit)
		}
		if err := fn(hit); err != nil {
			return i, err
		}
	}
	return len(s.hits), nil
}

// load reads the stored passage of document number n of the snapshot.
func (s *exportSet) load(n uint32) (*Document, error) {
	id, err := s.reader.ExternalID(index.NewIndexInternalID(nil, uint64(n)))
	if err != nil {
		return nil, fmt.Errorf("export: document %d: %w", n, err)
	}
	doc, err := s.reader.Document(id)
	if err != nil {
		return nil, fmt.Errorf("export: document %s: %w", id, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("export: document %s: %w", id, ErrNotFound)
	}
	stored := make(map[string]any, 2)
	doc.VisitFields(func(f index.Field) {
		if name := f.Name(); name == fieldDoc || name == fieldText {
			if tf, ok := f.(index.TextField); ok {
				stored[name] = tf.Text()
			}
		}
	})
	return decodeDocument(id, stored, s.seen)
}

// release lets the snapshot go.
func (s *exportSet) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ref != nil {
		_ = s.ref.DecRef()
		s.ref, s.reader = nil, nil
	}
}
