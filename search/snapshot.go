package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Citable snapshots: a Live answers a query from a named generation
// (Query.Generation, the gen= of a URL) while the data folder keeps it,
// opening it beside the served one. At most maxOpenSnapshots such
// generations stay open, the least recently used closed first.

const maxOpenSnapshots = 2

// citedEvery bounds how often a generation's last citation is written.
const citedEvery = time.Hour

type snapshots struct {
	mu      sync.Mutex
	open    map[string]*handle // opened for a named generation
	order   []string           // ids of open, least recently used first
	closing map[string]chan struct{}
	cited   map[string]time.Time  // last MarkCited written, per id
	infos   map[string]Generation // records of complete generations read
}

// closeHandle closes h once its searches end; a later open of the same
// generation waits for it (bleve opens a path once per process).
func (l *Live) closeHandle(h *handle) {
	ch := make(chan struct{})
	l.snap.mu.Lock()
	if l.snap.closing == nil {
		l.snap.closing = map[string]chan struct{}{}
	}
	l.snap.closing[h.id] = ch
	l.snap.mu.Unlock()
	l.closing.Go(func() {
		h.refs.Wait()
		_ = h.ix.Close()
		l.snap.mu.Lock()
		if l.snap.closing[h.id] == ch {
			delete(l.snap.closing, h.id)
		}
		l.snap.mu.Unlock()
		close(ch)
		failpoint("old-closed")
	})
}

// take removes generation id from the open snapshots and returns its
// handle, or nil.
func (l *Live) take(id string) *handle {
	l.snap.mu.Lock()
	defer l.snap.mu.Unlock()
	h := l.snap.open[id]
	if h != nil {
		delete(l.snap.open, id)
		l.snap.order = without(l.snap.order, id)
	}
	return h
}

func without(ids []string, id string) []string {
	out := ids[:0]
	for _, v := range ids {
		if v != id {
			out = append(out, v)
		}
	}
	return out
}

// openHandle opens generation id, or takes it from the open snapshots.
// lazy opens it with openLazy (a snapshot beside the served one); else a
// generation to serve has its facet index and BM25 statistics read now,
// also when it was open lazily as a snapshot. Call with reloadMu held.
func (l *Live) openHandle(id string, lazy bool) (*handle, Generation, error) {
	if h := l.take(id); h != nil {
		info, err := l.store.Info(id)
		if err == nil && !lazy {
			err = h.ix.warm()
		}
		if err == nil {
			return h, info, nil
		}
		l.closeHandle(h)
	}
	l.snap.mu.Lock()
	ch := l.snap.closing[id]
	l.snap.mu.Unlock()
	if ch != nil {
		<-ch
	}
	ix, info, err := l.open(id, lazy)
	if err != nil {
		return nil, info, err
	}
	return &handle{ix: ix, id: id}, info, nil
}

func (l *Live) kept(id string) bool {
	_, err := os.Stat(filepath.Join(l.store.genPath(id), completeFile))
	return err == nil
}

// acquireAt holds generation id open for a search: the served one when id
// is empty or names it, else a kept generation of the folder. Errors:
// ErrUnavailable, ErrGenerationGone, ErrBadQuery (malformed id).
func (l *Live) acquireAt(id string) (*handle, error) {
	if id == "" {
		return l.acquire()
	}
	l.mu.RLock()
	if l.cur != nil && l.cur.id == id {
		l.cur.refs.Add(1)
		h := l.cur
		l.mu.RUnlock()
		return h, nil
	}
	l.mu.RUnlock()
	if _, err := l.store.Generation(id); err != nil {
		if h := l.take(id); h != nil { // pruned while open
			l.closeHandle(h)
		}
		return nil, err
	}
	if h := l.holdOpen(id); h != nil {
		return h, nil
	}
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	if h := l.holdOpen(id); h != nil {
		return h, nil
	}
	l.mu.RLock()
	closed := l.closedFlag()
	l.mu.RUnlock()
	if closed {
		return nil, ErrUnavailable
	}
	h, _, err := l.openHandle(id, true)
	if err != nil {
		if !l.kept(id) {
			return nil, errors.Join(ErrGenerationGone, err)
		}
		return nil, err
	}
	h.refs.Add(1)
	l.snap.mu.Lock()
	if l.snap.open == nil {
		l.snap.open = map[string]*handle{}
	}
	l.snap.open[id] = h
	l.snap.order = append(l.snap.order, id)
	var evict []*handle
	for len(l.snap.order) > maxOpenSnapshots {
		old := l.snap.order[0]
		l.snap.order = l.snap.order[1:]
		evict = append(evict, l.snap.open[old])
		delete(l.snap.open, old)
	}
	l.snap.mu.Unlock()
	for _, e := range evict {
		l.closeHandle(e)
	}
	return h, nil
}

// closedFlag reports whether Close has begun.
func (l *Live) closedFlag() bool {
	l.exportsMu.Lock()
	defer l.exportsMu.Unlock()
	return l.closed
}

// holdOpen adds a reference to generation id when it is open as a snapshot.
func (l *Live) holdOpen(id string) *handle {
	l.snap.mu.Lock()
	defer l.snap.mu.Unlock()
	h := l.snap.open[id]
	if h == nil {
		return nil
	}
	h.refs.Add(1)
	l.snap.order = append(without(l.snap.order, id), id)
	return h
}

// closeSnapshots closes every generation opened for a named search.
func (l *Live) closeSnapshots() {
	l.snap.mu.Lock()
	hs := make([]*handle, 0, len(l.snap.open))
	for _, h := range l.snap.open {
		hs = append(hs, h)
	}
	l.snap.open, l.snap.order = nil, nil
	l.snap.mu.Unlock()
	for _, h := range hs {
		l.closeHandle(h)
	}
}

// Cite records that generation id is cited now (a search named it, or a
// citation of it was made), which keeps it for CitedKeep; it writes at
// most once an hour per generation. Errors: ErrGenerationGone, ErrBadQuery.
func (l *Live) Cite(id string) error {
	now := l.store.Now()
	l.snap.mu.Lock()
	last, ok := l.snap.cited[id]
	l.snap.mu.Unlock()
	if ok && now.Sub(last) < citedEvery {
		return nil
	}
	if err := l.store.MarkCited(id, now); err != nil {
		return err
	}
	l.snap.mu.Lock()
	if l.snap.cited == nil {
		l.snap.cited = map[string]time.Time{}
	}
	l.snap.cited[id] = now
	l.snap.mu.Unlock()
	return nil
}

// Current returns the record of the generation served (zero when none).
func (l *Live) Current() Generation {
	l.mu.RLock()
	defer l.mu.RUnlock()
	g := l.info
	if l.cur != nil {
		g.ID = l.cur.id
	}
	return g
}

// Generation returns the record of generation id (see Store.Generation).
// Records are read once: a complete generation never changes.
func (l *Live) Generation(id string) (Generation, error) {
	if g := l.Current(); g.ID == id && id != "" {
		return g, nil
	}
	if !ValidGenerationID(id) || !l.kept(id) {
		return l.store.Generation(id) // the error that says why
	}
	l.snap.mu.Lock()
	g, ok := l.snap.infos[id]
	l.snap.mu.Unlock()
	if ok {
		return g, nil
	}
	g, err := l.store.Generation(id)
	if err != nil {
		return g, err
	}
	l.snap.mu.Lock()
	if l.snap.infos == nil {
		l.snap.infos = map[string]Generation{}
	}
	l.snap.infos[id] = g
	l.snap.mu.Unlock()
	return g, nil
}

// Generations lists the kept generations, newest first.
func (l *Live) Generations() []Generation {
	var out []Generation
	for _, id := range l.store.list() {
		if g, err := l.Generation(id); err == nil {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b Generation) int {
		if c := b.BuiltAt.Compare(a.BuiltAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

// GetAt returns one passage of generation gen ("" the served one).
func (l *Live) GetAt(ctx context.Context, gen, id string) (*Document, error) {
	h, err := l.acquireAt(gen)
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Get(ctx, id)
}
