package search

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// addInFlight is the number of bleve batches one Add keeps in flight. A
// scorch batch is analysed on every core, then its segment is built on
// one; with two batches in flight the next batch's analysis (and the
// mapping of its documents, here) overlaps the previous one's segment.
const addInFlight = 2

// addDocsFunc indexes docs in batches of BatchSize, addInFlight at a time.
// When an id occurs more than once only its last document is indexed, as
// if the batches had run one after another. seen is the time of the crawl
// that saw the passages (see fields); when keep is not nil, a document is
// indexed only when keep, given it and its fields, says so. It returns
// when every batch has been written, or at the first error (the batches
// before it may have been written).
func addDocsFunc(ctx context.Context, bi bleve.Index, docs []Document, seen time.Time, keep func(*Document, map[string]any) bool) error {
	return addDocsInFlight(ctx, bi, docs, seen, keep, addInFlight)
}

// addDocsInFlight is addDocsFunc with inFlight batches in flight.
func addDocsInFlight(ctx context.Context, bi bleve.Index, docs []Document, seen time.Time, keep func(*Document, map[string]any) bool, inFlight int) error {
	last := make(map[string]int, len(docs))
	for i := range docs {
		if docs[i].ID == "" {
			return fmt.Errorf("add: document %d (%s) has no id", i, docs[i].URL)
		}
		last[docs[i].ID] = i
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
		}
	}
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil
	}
	slots := make(chan struct{}, inFlight)
	for start := 0; start < len(docs) && !failed(); start += BatchSize {
		if err := ctx.Err(); err != nil {
			fail(err)
			break
		}
		b := bi.NewBatch()
		for i := start; i < min(start+BatchSize, len(docs)); i++ {
			d := &docs[i]
			if last[d.ID] != i {
				continue
			}
			m, err := fields(d, seen)
			if err == nil && keep != nil && !keep(d, m) {
				continue
			}
			if err == nil {
				err = b.Index(d.ID, m)
			}
			if err != nil {
				fail(fmt.Errorf("add %s: %w", d.ID, err))
				break
			}
		}
		if failed() {
			break
		}
		if b.Size() == 0 {
			continue
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := bi.Batch(b); err != nil {
				fail(fmt.Errorf("add batch: %w", err))
			}
		})
	}
	wg.Wait()
	return first
}
