package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

// addInFlight is the number of bleve batches a writer keeps in flight. A
// scorch batch is analysed on every core (scorch's analysis queue), then
// its segment is built in the goroutine that called Batch; with two in
// flight one batch's segment is built while the next is mapped and
// analysed, and the two segments of two batches are built at once.
const addInFlight = 2

// buildBatch is the number of documents per bleve batch of a build
// (Store.BeginBuild). A batch becomes one segment, and the analysis of its
// documents is held until the segment is built. 1,000 instead of 500
// halves the segments the merger rewrites (15 against 33 of a 16,000
// passage build) for 3–20 % less CPU per passage, but the build's peak RSS
// went from about 900 MB to 1.3 GB; a crawl job may run inside the server,
// so the batch stays at BatchSize.
const buildBatch = BatchSize

// keepFunc decides whether a document is written, given its fields and
// their fingerprint.
type keepFunc func(d *Document, m map[string]any, fp fingerprint) bool

// addDocsFunc indexes docs in batches of BatchSize, addInFlight at a time.
// When an id occurs more than once only its last document is indexed, as
// if the batches had run one after another. seen is the time of the crawl
// that saw the passages (see fields); when keep is not nil, a document is
// indexed only when keep, given it, its fields and their fingerprint, says
// so. It returns
// when every batch has been written, or at the first error (the batches
// before it may have been written).
func addDocsFunc(ctx context.Context, bi bleve.Index, docs []Document, seen time.Time, keep keepFunc) error {
	return addDocsInFlight(ctx, bi, docs, seen, keep, addInFlight)
}

// addDocsInFlight is addDocsFunc with inFlight batches in flight.
func addDocsInFlight(ctx context.Context, bi bleve.Index, docs []Document, seen time.Time, keep keepFunc, inFlight int) error {
	w := newWriter(bi, BatchSize, inFlight)
	if err := w.add(ctx, docs, seen, keep); err != nil {
		w.stop()
		return err
	}
	return w.drain()
}

// writer writes documents into one bleve index in batches of size, up to
// inFlight batches at once, each in its own goroutine: the mapping of a
// batch's documents, scorch's analysis and the building of its segment
// run there, so that several batches use several cores. A batch is
// handed to a goroutine as soon as it is full, so the writing of one call
// of add goes on while the caller prepares the next (a Build keeps one
// writer from BeginBuild to Commit). Errors are sticky: the first one is
// returned by every later add and by drain.
type writer struct {
	bi       batcher
	size     int
	slots    chan struct{}
	wg       sync.WaitGroup
	cur      []mapped
	inFlight map[string]bool // ids queued since the last drain

	mu  sync.Mutex
	err error
}

// batcher is what a writer needs of a bleve index.
type batcher interface {
	NewBatch() *bleve.Batch
	Batch(b *bleve.Batch) error
	Mapping() mapping.IndexMapping
}

// mapped is a document as fields makes it.
type mapped struct {
	id string
	m  map[string]any
}

func newWriter(bi batcher, size, inFlight int) *writer {
	return &writer{bi: bi, size: size, slots: make(chan struct{}, inFlight), inFlight: map[string]bool{}}
}

// add queues docs for writing, as addDocsFunc describes; it returns
// before the last batches are written (drain waits for them).
func (w *writer) add(ctx context.Context, docs []Document, seen time.Time, keep keepFunc) error {
	last := make(map[string]int, len(docs))
	for i := range docs {
		if docs[i].ID == "" {
			return fmt.Errorf("add: document %d (%s) has no id", i, docs[i].URL)
		}
		last[docs[i].ID] = i
	}
	ms, fps, err := prepare(ctx, docs, last, seen, keep != nil)
	if err != nil {
		return err
	}
	for i := range docs {
		if i%w.size == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.failed(); err != nil {
				return err
			}
		}
		d := &docs[i]
		if last[d.ID] != i {
			continue
		}
		if keep != nil && !keep(d, ms[i], fps[i]) {
			continue
		}
		if err := w.put(d.ID, ms[i]); err != nil {
			return err
		}
	}
	return w.failed()
}

// prepare makes the fields of the documents of docs that last keeps (the
// last of each id) and, when hash, their fingerprints, on every core: an
// incremental build that writes little spends most of its time here.
func prepare(ctx context.Context, docs []Document, last map[string]int, seen time.Time, hash bool) ([]map[string]any, []fingerprint, error) {
	ms := make([]map[string]any, len(docs))
	var fps []fingerprint
	if hash {
		fps = make([]fingerprint, len(docs))
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(docs)/64))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			for i := k; i < len(docs); i += workers {
				if i%256 == k && ctx.Err() != nil {
					errs[k] = ctx.Err()
					return
				}
				d := &docs[i]
				if last[d.ID] != i {
					continue
				}
				m, err := fields(d, seen)
				if err != nil {
					errs[k] = fmt.Errorf("add %s: %w", d.ID, err)
					return
				}
				ms[i] = m
				if hash {
					fps[i] = fingerprintOf(m)
				}
			}
		})
	}
	wg.Wait()
	return ms, fps, errors.Join(errs...)
}

// put queues one document. A document whose id is still in flight (an
// earlier call of add wrote it) waits for every batch in flight first, so
// that the later one is introduced last and replaces it.
func (w *writer) put(id string, m map[string]any) error {
	if w.inFlight[id] {
		if err := w.drain(); err != nil {
			return err
		}
	}
	w.inFlight[id] = true
	w.cur = append(w.cur, mapped{id, m})
	if len(w.cur) >= w.size {
		w.send()
	}
	return nil
}

// send hands the current batch to a goroutine, waiting for a free slot.
func (w *writer) send() {
	if len(w.cur) == 0 {
		return
	}
	docs := w.cur
	w.cur = make([]mapped, 0, w.size)
	w.slots <- struct{}{}
	w.wg.Go(func() {
		defer func() { <-w.slots }()
		if w.failed() != nil {
			return
		}
		b := w.bi.NewBatch()
		im := w.bi.Mapping()
		for _, d := range docs {
			doc, err := compactDocument(im, d.id, d.m)
			if err == nil {
				err = b.IndexAdvanced(doc)
			}
			if err != nil {
				w.fail(fmt.Errorf("add %s: %w", d.id, err))
				return
			}
		}
		if err := w.bi.Batch(b); err != nil {
			w.fail(fmt.Errorf("add batch: %w", err))
		}
	})
}

// drain writes what is queued, waits for every batch in flight and
// returns the first error of any of them.
func (w *writer) drain() error {
	w.send()
	w.wg.Wait()
	clear(w.inFlight)
	return w.failed()
}

// stop drops what is queued and waits for the batches in flight, for a
// caller that gives up (an error, an aborted build).
func (w *writer) stop() {
	w.cur = nil
	w.wg.Wait()
	clear(w.inFlight)
}

func (w *writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
