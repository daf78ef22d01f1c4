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
//
// It then times search.Live.Changes between the first generation and the
// last (see measureChanges).
func measureReindex(ctx context.Context, c *Corpus, dir string) (*Reindex, *ChangesStats, error) {
	tg, err := tag.New()
	if err != nil {
		return nil, nil, fmt.Errorf("tagger: %w", err)
	}
	voc := tg.Vocabulary()
	store, err := search.NewStore(dir)
	if err != nil {
		return nil, nil, err
	}
	// changedAt is when the crawl saw the changed passages change: after
	// the first generation was built, the same for both re-crawls (the
	// second changed nothing more).
	var changedAt time.Time
	var first string
	step := func(changed bool) (float64, error) {
		t0 := time.Now()
		if changed && changedAt.IsZero() {
			changedAt = t0.UTC()
		}
		var gen time.Duration
		b, err := store.Begin(voc)
		if err != nil {
			return 0, err
		}
		if first == "" {
			first = b.ID
		}
		batch := make([]search.Document, 0, reindexBatch)
		for start := 0; start < c.N; start += reindexBatch {
			g0 := time.Now()
			batch = batch[:0]
			for i := start; i < min(start+reindexBatch, c.N); i++ {
				d := c.Passage(i)
				if changed && changedPage(i/passagesPerPage) {
					d.Text += " This passage was revised since the last crawl."
					d.ChangedAt = changedAt
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
		return nil, nil, fmt.Errorf("full: %w", err)
	}
	if r.Changed1, err = step(true); err != nil {
		return nil, nil, fmt.Errorf("1 %% changed: %w", err)
	}
	// The same passages as the generation before: nothing changed.
	if r.Unchanged, err = step(true); err != nil {
		return nil, nil, fmt.Errorf("unchanged: %w", err)
	}
	want := 0
	for p := 0; p*passagesPerPage < c.N; p++ {
		if changedPage(p) {
			want += min(passagesPerPage, c.N-p*passagesPerPage)
		}
	}
	ch, err := measureChanges(ctx, dir, first, want)
	if err != nil {
		return nil, nil, fmt.Errorf("changes: %w", err)
	}
	return &r, ch, nil
}

// changesWarm is the number of calls of Changes timed after the first.
const changesWarm = 5

// measureChanges times search.Live.Changes of every passage (an empty
// search) between generation since and the served one, as
// GET /api/v1/changes?since= answers it: the first call, which opens
// since beside the served generation, then changesWarm more. Each must
// find want changed passages, no new and no removed ones.
func measureChanges(ctx context.Context, dir, since string, want int) (*ChangesStats, error) {
	l, err := search.OpenLive(dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = l.Close() }()
	var st ChangesStats
	for i := range 1 + changesWarm {
		t0 := time.Now()
		ch, err := l.Changes(ctx, search.Query{}, since)
		took := round3(time.Since(t0).Seconds())
		if err != nil {
			return nil, err
		}
		if ch.Changed != want || ch.New != 0 || ch.Removed != 0 {
			return nil, fmt.Errorf("found %d changed, %d new, %d removed passages; want %d, 0, 0", ch.Changed, ch.New, ch.Removed, want)
		}
		st.Changed = ch.Changed
		if i == 0 {
			st.FirstS = took
		} else {
			st.WarmS = max(st.WarmS, took)
		}
	}
	return &st, nil
}
