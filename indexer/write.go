package indexer

import (
	"context"
	"fmt"

	"github.com/inlsearch/inlsearch/indexer/record"
	"github.com/inlsearch/inlsearch/search"
)

// testWriteHook, when a test sets it, runs before each batch is written;
// its error stands for a failing disk (ENOSPC).
var testWriteHook func() error

// batchSize is the number of passages handed to the index at once (four of
// its bleve batches, search.BatchSize). Build.Add writes in the background
// across calls, so the size no longer decides what overlaps; it bounds the
// passages this loop holds while the previous ones are written.
const batchSize = 4 * search.BatchSize

// write fills the new generation's index with the passages of every live
// page: those the crawl staged, and the published ones it left as they were
// (a degraded host's). It fills each host's pages, passages and stale counts.
func (b *builder) write(ctx context.Context, ix *search.Build) (pages, passages int, err error) {
	common, err := b.repeated()
	if err != nil {
		return 0, 0, err
	}
	seen := map[string]bool{}
	var batch []search.Document
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if testWriteHook != nil {
			if err := testWriteHook(); err != nil {
				return fmt.Errorf("index batch: %w", err)
			}
		}
		if err := ix.Add(ctx, batch); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		batch = batch[:0]
		return nil
	}
	add := func(rec *record.Record) error {
		if !rec.Live() || len(rec.Docs) == 0 {
			return nil
		}
		n, nFound := 0, 0
		for _, d := range common.Filter(rec.Docs) {
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			batch = append(batch, d)
			n++
			if len(d.FoundOrganizations) > 0 {
				nFound++
			}
		}
		if n == 0 {
			return nil
		}
		pages++
		passages += n
		b.mu.Lock()
		hs := b.host(rec.Host)
		hs.Pages++
		hs.Passages += n
		b.foundPassages += nFound
		for _, d := range batch[len(batch)-n:] {
			for _, o := range d.FoundOrganizations {
				b.found[o] = true
			}
		}
		if !rec.StaleSince.IsZero() {
			hs.Counts.Stale++
		}
		b.mu.Unlock()
		if len(batch) >= batchSize {
			return flush()
		}
		return nil
	}
	err = b.eachLive(add)
	if err == nil {
		err = flush()
	}
	if err != nil {
		return 0, 0, err
	}
	return pages, passages, nil
}

// eachLive calls fn for the record of every page of the new generation: the
// staged ones and the published ones the crawl left as they were.
func (b *builder) eachLive(fn func(*record.Record) error) error {
	err := b.db.EachPublished(func(rec *record.Record) error {
		b.mu.Lock()
		_, staged := b.staged[rec.URL]
		b.mu.Unlock()
		if staged {
			return nil
		}
		return fn(rec)
	})
	if err != nil {
		return err
	}
	return b.db.EachStaged(fn)
}

// repeated finds the passages that recur, word for word, on several pages of
// one host (see Boilerplate).
func (b *builder) repeated() (Boilerplate, error) {
	var bp Boilerplate
	err := b.eachLive(func(rec *record.Record) error {
		if rec.Live() {
			bp.AddPage(rec.Docs)
		}
		return nil
	})
	return bp, err
}
