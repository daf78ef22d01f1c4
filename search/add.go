package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
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

// keepFunc decides whether a document is written, given the fingerprint of
// its fields.
type keepFunc func(d *Document, fp fingerprint) bool

// addDocsFunc indexes docs in batches of BatchSize, addInFlight at a time.
// When an id occurs more than once only its last document is indexed, as
// if the batches had run one after another. seen is the time of the crawl
// that saw the passages (see fields); when keep is not nil, a document is
// indexed only when keep, given it and the fingerprint of its fields, says
// so (its fields are made only then). It returns when every batch has been
// written, or at the first error (the batches before it may have been
// written).
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
// inFlight batches at once, each in its own goroutine: the fields of a
// batch's documents, their mapping, scorch's analysis and the building of
// its segment run there, so that several batches use several cores. A
// batch is handed to a goroutine as soon as it is full, so the writing of
// one call of add goes on while the caller prepares the next (a Build
// keeps one writer from BeginBuild to Commit, and hands it its documents
// with addAsync). Errors are sticky: the first one is returned by every
// later add and by drain.
type writer struct {
	bi       batcher
	size     int
	slots    chan struct{}
	wg       sync.WaitGroup
	cur      []queued
	inFlight map[string]bool // ids queued since the last drain
	pending  chan error      // the result of the addAsync in progress

	mu  sync.Mutex
	err error
}

// batcher is what a writer needs of a bleve index.
type batcher interface {
	NewBatch() *bleve.Batch
	Batch(b *bleve.Batch) error
	Mapping() mapping.IndexMapping
}

// queued is a document to write and its encoding: its fields are made by
// the goroutine that writes its batch.
type queued struct {
	d   *Document
	enc encodedDoc
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
	encs, fps, err := prepare(ctx, docs, last, seen, keep != nil)
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
		if keep != nil && !keep(d, fps[i]) {
			continue
		}
		if err := w.put(d, encs[i]); err != nil {
			return err
		}
	}
	return w.failed()
}

// prepare encodes the documents of docs that last keeps (the last of each
// id) and, when hash, fingerprints them, on every core: an incremental
// build that writes little spends most of its time here.
func prepare(ctx context.Context, docs []Document, last map[string]int, seen time.Time, hash bool) ([]encodedDoc, []fingerprint, error) {
	encs := make([]encodedDoc, len(docs))
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
				enc, err := encodeDoc(d, seen)
				if err != nil {
					errs[k] = fmt.Errorf("add %s: %w", d.ID, err)
					return
				}
				encs[i] = enc
				if hash {
					fps[i] = fingerprintOf(d, enc)
				}
			}
		})
	}
	wg.Wait()
	return encs, fps, errors.Join(errs...)
}

// put queues one document. A document whose id is still in flight (an
// earlier call of add wrote it) waits for every batch in flight first, so
// that the later one is introduced last and replaces it.
func (w *writer) put(d *Document, enc encodedDoc) error {
	if w.inFlight[d.ID] {
		if err := w.flush(); err != nil {
			return err
		}
	}
	w.inFlight[d.ID] = true
	w.cur = append(w.cur, queued{d, enc})
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
	w.cur = make([]queued, 0, w.size)
	w.slots <- struct{}{}
	w.wg.Go(func() {
		defer func() { <-w.slots }()
		if w.failed() != nil {
			return
		}
		b := w.bi.NewBatch()
		im := w.bi.Mapping()
		for _, q := range docs {
			doc, err := compactDocument(im, q.d.ID, fieldsOf(q.d, q.enc))
			if err == nil {
				err = b.IndexAdvanced(doc)
			}
			if err != nil {
				w.fail(fmt.Errorf("add %s: %w", q.d.ID, err))
				return
			}
		}
		if err := w.bi.Batch(b); err != nil {
			w.fail(fmt.Errorf("add batch: %w", err))
		}
	})
}

// addAsync is add of a copy of docs in a goroutine of its own, so that the
// caller reads or makes its next documents while these are encoded and
// fingerprinted (an incremental build that writes nothing spends its time
// there). One call runs at a time: addAsync first waits for the one
// before, and returns its error. docs may be reused once it returns (the
// copy is shallow: the caller must not change what the documents' slices
// hold). drain and stop wait for it too.
func (w *writer) addAsync(ctx context.Context, docs []Document, seen time.Time, keep keepFunc) error {
	if err := w.wait(); err != nil {
		return err
	}
	for i := range docs {
		if docs[i].ID == "" { // said now, not by the next call
			return fmt.Errorf("add: document %d (%s) has no id", i, docs[i].URL)
		}
	}
	own := slices.Clone(docs)
	done := make(chan error, 1)
	w.pending = done
	go func() { done <- w.add(ctx, own, seen, keep) }()
	return nil
}

// wait waits for the addAsync in progress, if any, and returns the first
// error of the writer.
func (w *writer) wait() error {
	if w.pending != nil {
		if err := <-w.pending; err != nil {
			w.fail(err)
		}
		w.pending = nil
	}
	return w.failed()
}

// drain waits for the addAsync in progress, writes what is queued, waits
// for every batch in flight and returns the first error of any of them.
func (w *writer) drain() error {
	_ = w.wait()
	return w.flush()
}

// flush writes what is queued and waits for every batch in flight.
func (w *writer) flush() error {
	w.send()
	w.wg.Wait()
	clear(w.inFlight)
	return w.failed()
}

// stop drops what is queued and waits for the addAsync in progress and
// the batches in flight, for a caller that gives up (an error, an aborted
// build).
func (w *writer) stop() {
	_ = w.wait()
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
