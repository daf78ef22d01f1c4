package main

import (
	"context"
	"fmt"
	"time"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// Reindex are the wall seconds of inlsearch's index step, from the start of
// a new generation to its publication, for the first crawl (full), a
// re-crawl where 1 % of the pages changed, and a re-crawl where none did.
type Reindex struct {
	Full      float64 `json:"full_s"`
	Changed1  float64 `json:"changed_1pct_s"`
	Unchanged float64 `json:"unchanged_s"`
}

// reindexBatch is the number of passages the crawl job hands to Add at a
// time (indexer's batchSize).
const reindexBatch = 256

// passagesPerPage is how many passages of the corpus make one page (see Passage).
const passagesPerPage = 8

// changedPage reports whether page p is one of the 1 % a re-crawl changed.
func changedPage(p int) bool { return p%100 == 0 }

// measureReindex runs the index step of the crawl job (indexer's run: Store
// Begin, Add of every live passage, Commit, which closes, reopens, checks and
// publishes the generation) three times on one data folder under dir: the
// first crawl, a re-crawl where the passages of 1 % of the pages changed
// (their text gained a sentence), and one where nothing changed. What the
// job does today is measured: each builds a complete new generation. The
// generation of the passages is not counted (the job reads them from its
// crawl record; that is not counted either).
func measureReindex(ctx context.Context, c *Corpus, dir string) (*Reindex, error) {
	tg, err := tag.New()
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	voc := tg.Vocabulary()
	store, err := search.NewStore(dir)
	if err != nil {
		return nil, err
	}
	step := func(changed bool) (float64, error) {
		t0 := time.Now()
		var gen time.Duration
		b, err := store.Begin(voc)
		if err != nil {
			return 0, err
		}
		batch := make([]search.Document, 0, reindexBatch)
		for start := 0; start < c.N; start += reindexBatch {
			g0 := time.Now()
			batch = batch[:0]
			for i := start; i < min(start+reindexBatch, c.N); i++ {
				d := c.Passage(i)
				if changed && changedPage(i/passagesPerPage) {
					d.Text += " This passage was revised since the last crawl."
				}
				batch = append(batch, d)
			}
			gen += time.Since(g0)
			if err := b.Index.Add(ctx, batch); err != nil {
				b.Abort()
				return 0, err
			}
		}
		g := search.Generation{Passages: c.N, Pages: (c.N + passagesPerPage - 1) / passagesPerPage, Stats: map[string]int{"bench": 1}}
		if err := b.Commit(g, false); err != nil {
			return 0, err
		}
		return round3((time.Since(t0) - gen).Seconds()), nil
	}
	var r Reindex
	if r.Full, err = step(false); err != nil {
		return nil, fmt.Errorf("full: %w", err)
	}
	if r.Changed1, err = step(true); err != nil {
		return nil, fmt.Errorf("1 %% changed: %w", err)
	}
	// The same passages as the generation before: nothing changed.
	if r.Unchanged, err = step(true); err != nil {
		return nil, fmt.Errorf("unchanged: %w", err)
	}
	return &r, nil
}
