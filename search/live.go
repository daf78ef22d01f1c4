package search

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Live serves the current generation of a data folder and swaps to a newer one
// when a crawl publishes it. A search holds a reference to the generation it
// started on for all its bleve searches (hits and every disjunctive facet
// count), so none sees a mix of two generations; the old index is closed once
// the last search on it has finished.
type Live struct {
	store *Store
	lim   Limits // given to every generation opened; zero: DefaultLimits

	reloadMu sync.Mutex     // one Reload at a time: bleve opens a path once per process
	closing  sync.WaitGroup // old generations waiting for their searches to end
	mu       sync.RWMutex
	cur      *handle
	info     Generation
	degraded string // why the current generation is not the pointer's current
	lastErr  error

	snap snapshots     // named generations opened beside the served one (snapshot.go)
	cov  coverageCache // coverage of generations (coverage.go)

	exportsMu sync.Mutex
	exports   map[*context.CancelFunc]bool // exports in flight, stopped by Close
	closed    bool

	swaps, fallbacks atomic.Uint64 // for LiveCounters
}

// LiveCounters count what a Live has done since it was opened.
type LiveCounters struct {
	// Swaps counts the generations it started serving (the first one included).
	Swaps uint64
	// Fallbacks counts the swaps to the previous generation because the
	// current one could not be opened.
	Fallbacks uint64
	// CacheHits and CacheMisses count the searches its generations answered
	// from their result caches and by searching.
	CacheHits, CacheMisses uint64
}

// Counters returns the counters so far.
func (l *Live) Counters() LiveCounters {
	return LiveCounters{Swaps: l.swaps.Load(), Fallbacks: l.fallbacks.Load(),
		CacheHits: cacheHits.Load(), CacheMisses: cacheMisses.Load()}
}

type handle struct {
	ix   *Index
	id   string
	refs sync.WaitGroup
}

// OpenLive opens the current generation of dir, falling back to the previous
// one when the current does not open. It returns a Live with no index (every
// search ErrUnavailable) rather than an error when nothing can be opened, so a
// server can start and wait for a crawl.
func OpenLive(dir string) (*Live, error) {
	return OpenLiveLimits(dir, Limits{})
}

// OpenLiveLimits is OpenLive with the search limits every generation it
// opens applies (zero fields take DefaultLimits).
func OpenLiveLimits(dir string, lim Limits) (*Live, error) {
	st, err := NewStore(dir)
	if err != nil {
		return nil, err
	}
	l := &Live{store: st, lim: lim.withDefaults()}
	_, err = l.Reload()
	if err != nil && !errors.Is(err, ErrNoGeneration) {
		l.lastErr = err
	}
	return l, nil
}

// Limits returns the search limits of the generations l serves.
func (l *Live) Limits() Limits { return l.lim }

// Store returns the store behind l.
func (l *Live) Store() *Store { return l.store }

// Reload looks at the pointer and swaps to its current generation when it is
// not the one served. It reports whether it swapped. When the current
// generation does not open it swaps to the previous one instead and returns
// an error saying so; while it stays on that fallback, it returns the same
// error each time. It is safe to call from several goroutines.
func (l *Live) Reload() (bool, error) {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	cur, prev, err := l.store.Pointer()
	if err != nil {
		return false, err
	}
	l.mu.RLock()
	served := ""
	if l.cur != nil {
		served = l.cur.id
	}
	l.mu.RUnlock()
	if served == cur {
		return false, nil
	}
	degraded := ""
	h, info, err := l.openHandle(cur, false)
	if err != nil {
		openErr := err
		if prev != "" && prev == served {
			l.mu.RLock()
			degraded := l.degraded
			l.mu.RUnlock()
			if degraded != "" {
				return false, errors.New(degraded)
			}
		}
		if prev == "" || prev == served {
			l.setErr(openErr)
			return false, fmt.Errorf("generation %s unreadable: %w", cur, openErr)
		}
		h, info, err = l.openHandle(prev, false)
		if err != nil {
			l.setErr(openErr)
			return false, fmt.Errorf("generation %s unreadable: %w; previous %s unreadable: %v", cur, openErr, prev, err)
		}
		degraded = fmt.Sprintf("generation %s unreadable (%v); serving previous generation %s", cur, openErr, prev)
		l.fallbacks.Add(1)
	}
	l.swap(h, info, degraded)
	if degraded != "" {
		return true, errors.New(degraded)
	}
	return true, nil
}

func (l *Live) setErr(err error) {
	l.mu.Lock()
	l.lastErr = err
	l.mu.Unlock()
}

// open opens generation id read-only and checks it; lazy leaves its facet
// index and BM25 statistics to the first search that needs them (openLazy):
// a generation opened beside the served one, for a citation or Changes.
func (l *Live) open(id string, lazy bool) (*Index, Generation, error) {
	info, err := l.store.Info(id)
	if err != nil {
		return nil, info, err
	}
	openIndex := Open
	if lazy {
		openIndex = openLazy
	}
	ix, err := openIndex(l.store.IndexPath(id))
	if err != nil {
		return nil, info, err
	}
	if err := verify(ix, info); err != nil {
		closeQuietly(ix)
		return nil, info, err
	}
	ix.SetLimits(l.lim)
	return ix, info, nil
}

// verify checks that an opened generation holds what its COMPLETE record
// says (the passage count) and that a stored passage can be read, so that a
// damaged generation is found at open, where the previous one can stand in,
// rather than by the searches. A panic or memory fault is an ErrCorrupt.
func verify(ix *Index, info Generation) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("generation %s: %w: %v", info.ID, ErrCorrupt, v)
		}
	}()
	n, err := ix.Count()
	if err != nil {
		return fmt.Errorf("generation %s: %w", info.ID, err)
	}
	if info.Passages > 0 && int(n) != info.Passages {
		return fmt.Errorf("generation %s: %w: index holds %d passages, COMPLETE says %d", info.ID, ErrCorrupt, n, info.Passages)
	}
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 1, 0, false)
	req.Fields = []string{fieldDoc, fieldText}
	res, err := ix.bi.Search(req)
	if err != nil {
		return fmt.Errorf("generation %s: probe search: %w", info.ID, err)
	}
	if n > 0 && len(res.Hits) == 0 {
		return fmt.Errorf("generation %s: %w: probe search found nothing", info.ID, ErrCorrupt)
	}
	for _, h := range res.Hits {
		if _, err := decodeDocument(h.ID, h.Fields, ix.eng.seen); err != nil {
			return fmt.Errorf("generation %s: %w: %v", info.ID, ErrCorrupt, err)
		}
	}
	return nil
}

// closeQuietly closes an index that failed its checks; a damaged index may
// panic even then.
func closeQuietly(ix *Index) {
	defer func() { _ = recover() }()
	_ = ix.Close()
}

func (l *Live) swap(h *handle, info Generation, degraded string) {
	l.swaps.Add(1)
	l.mu.Lock()
	old := l.cur
	l.cur, l.info, l.degraded, l.lastErr = h, info, degraded, nil
	l.mu.Unlock()
	if old != nil {
		l.closeHandle(old)
	}
}

func (l *Live) acquire() (*handle, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return nil, ErrUnavailable
	}
	l.cur.refs.Add(1)
	return l.cur, nil
}

// Compile compiles q on the served generation (see Index.Compile) and keeps
// that generation open until the plan's Release, whatever swaps happen
// meanwhile: the search it admits reads the generation its filters were
// resolved on. Errors: ErrUnavailable when nothing is served, else those of
// Engine.Compile.
//
// A query naming a generation (Query.Generation) is compiled on that one
// while the data folder keeps it, and records its citation (Cite). Errors
// then also ErrGenerationGone.
func (l *Live) Compile(q Query) (*Plan, error) {
	h, err := l.acquireAt(q.Generation)
	if err != nil {
		return nil, err
	}
	if q.Generation != "" {
		_ = l.Cite(q.Generation) // best effort: a read-only folder still answers
	}
	p, err := h.ix.Compile(q)
	if err != nil {
		h.refs.Done()
		return nil, err
	}
	p.live, p.gen, p.pin = l, h.id, &pin{release: h.refs.Done}
	return p, nil
}

// Search runs q on the served generation.
func (l *Live) Search(ctx context.Context, q Query) (*Result, error) {
	p, err := l.Compile(q)
	if err != nil {
		return nil, err
	}
	defer p.Release()
	return l.SearchPlan(ctx, p)
}

// SearchPlan runs a plan l compiled, on the generation it holds.
func (l *Live) SearchPlan(ctx context.Context, p *Plan) (*Result, error) {
	if p.live != l {
		return nil, errForeignPlan
	}
	res, err := p.ix.SearchPlan(ctx, p)
	if err != nil {
		return nil, err
	}
	named := *res // the index's result may be shared (its cache)
	named.Generation = p.gen
	return &named, nil
}

// Export passes every hit of q to fn, in the order of q.Sort, all from the
// generation served when it starts (see ExportPlan).
func (l *Live) Export(ctx context.Context, q Query, begin func(ExportInfo) error, fn func(Hit) error) (int, error) {
	p, err := l.Compile(ExportQuery(q))
	if err != nil {
		return 0, err
	}
	defer p.Release()
	return l.ExportPlan(ctx, p, begin, fn)
}

// ExportPlan passes every hit of a plan l compiled to fn, in the order of
// its sort, from the generation the plan holds (see Engine.Export): that
// generation stays open until the export ends, whatever swaps happen
// meanwhile, and ExportInfo.Generation names it. Close stops the exports in
// flight (their error wraps context.Canceled) rather than waiting for them
// to end.
func (l *Live) ExportPlan(ctx context.Context, p *Plan, begin func(ExportInfo) error, fn func(Hit) error) (int, error) {
	if p.live != l {
		return 0, errForeignPlan
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer l.trackExport(&cancel)()
	return p.ix.ExportPlan(ctx, p, begin, fn)
}

// trackExport registers the cancel function of an export in flight, for
// Close, and returns the function that forgets it. After Close it cancels
// at once.
func (l *Live) trackExport(cancel *context.CancelFunc) func() {
	l.exportsMu.Lock()
	defer l.exportsMu.Unlock()
	if l.closed {
		(*cancel)()
		return func() {}
	}
	if l.exports == nil {
		l.exports = map[*context.CancelFunc]bool{}
	}
	l.exports[cancel] = true
	return func() {
		l.exportsMu.Lock()
		delete(l.exports, cancel)
		l.exportsMu.Unlock()
	}
}

// stopExports cancels the exports in flight, and those to come.
func (l *Live) stopExports() {
	l.exportsMu.Lock()
	defer l.exportsMu.Unlock()
	l.closed = true
	for cancel := range l.exports {
		(*cancel)()
	}
}

// Get returns one passage of the served generation.
func (l *Live) Get(ctx context.Context, id string) (*Document, error) {
	return l.GetAt(ctx, "", id)
}

// LiveStatus says what is served.
type LiveStatus struct {
	Generation Generation
	Serving    bool
	Degraded   string
	Error      string
}

// Status reports the served generation.
func (l *Live) Status() LiveStatus {
	l.mu.RLock()
	defer l.mu.RUnlock()
	s := LiveStatus{Generation: l.info, Serving: l.cur != nil, Degraded: l.degraded}
	if l.lastErr != nil {
		s.Error = l.lastErr.Error()
	}
	return s
}

// Watch reloads every interval until ctx ends. It calls onSwap after each
// swap, and after a failed reload only when the failure differs from the
// previous one, so that a generation that stays unreadable is reported once
// rather than at every tick.
func (l *Live) Watch(ctx context.Context, every time.Duration, onSwap func(swapped bool, err error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		swapped, err := l.Reload()
		if errors.Is(err, ErrNoGeneration) {
			last = ""
			continue
		}
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		report := swapped || (err != nil && msg != last)
		last = msg
		if report && onSwap != nil {
			onSwap(swapped, err)
		}
	}
}

// Close closes the served index, waiting for searches in flight, and the
// generations swapped out before it. Exports in flight are stopped first.
func (l *Live) Close() error {
	l.stopExports()
	l.closeSnapshots()
	l.mu.Lock()
	h := l.cur
	l.cur = nil
	l.mu.Unlock()
	defer l.closing.Wait()
	if h == nil {
		return nil
	}
	h.refs.Wait()
	return h.ix.Close()
}
