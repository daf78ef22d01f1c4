package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// Reindex are the wall seconds of the crawl job's index step as it runs
// since issue #14 (indexer/index.go): from the start of a new generation to
// its publication, for the first crawl (a full build), a re-crawl where 1 %
// of the pages changed and one where none did (both built incrementally
// from the generation before), with what each build wrote. It is
// engines.inlsearch.reindex in the bench's JSON.
type Reindex struct {
	Full      float64 `json:"full_s"`
	Changed1  float64 `json:"changed_1pct_s"`
	Unchanged float64 `json:"unchanged_s"`
	// Builds say what each build wrote; they travel beside the figures
	// (Extra.ReindexBuilds), whose JSON keeps the three times of issue 14.
	Builds [3]search.BuildStats `json:"-"`
}

// incrBatch is the number of passages the crawl job hands to Build.Add at
// a time (indexer's batchSize).
const incrBatch = 4 * search.BatchSize

// writeCrawl writes the passages a crawl at time crawl sees to path, in
// batches of incrBatch: every passage seen at crawl, and, when changed, the
// passages of 1 % of the pages revised at changedAt.
func writeCrawl(c *Corpus, path string, crawl time.Time, changed bool, changedAt time.Time) error {
	return writeBatches(path, func(emit func([]search.Document) error) error {
		batch := make([]search.Document, 0, incrBatch)
		for start := 0; start < c.N; start += incrBatch {
			batch = batch[:0]
			for i := start; i < min(start+incrBatch, c.N); i++ {
				d := c.Passage(i)
				d.LastSeen = crawl
				if changed && incrChanged(i) {
					d.Text += " This passage was revised since the last crawl."
					d.ChangedAt = changedAt
				}
				batch = append(batch, d)
			}
			if err := emit(batch); err != nil {
				return err
			}
		}
		return nil
	})
}

// incrChanged reports whether passage i is on one of the 1 % of pages
// (8 passages each, see Corpus.Passage) a re-crawl changed.
func incrChanged(i int) bool { return (i/8)%100 == 0 }

// measureReindex runs the index step of the crawl job three times on one
// data folder under dir, as the job does: Store.BeginBuild (from the
// published generation after the first), Build.Add of every live passage
// of the crawl, seen at the crawl's time, and Commit (the deletions, the
// merge policy, close, reopen, checks, publication): the first crawl, a
// re-crawl where the passages of 1 % of the pages changed (their text
// gained a sentence) and one where nothing changed. The making of the
// passages is not counted (the job reads them from its crawl record; here
// they are read back from a file, and that is counted).
//
// It then times search.Live.Changes between the first generation and the
// last (see measureChanges).
func measureReindex(ctx context.Context, c *Corpus, dir string) (*Reindex, *ChangesStats, error) {
	tg, err := tag.New()
	if err != nil {
		return nil, nil, fmt.Errorf("tagger: %w", err)
	}
	store, err := search.NewStore(dir)
	if err != nil {
		return nil, nil, err
	}
	// changedAt is when the crawl saw the changed passages change: after
	// the first generation was built, the same for both re-crawls (the
	// second changed nothing more).
	var changedAt time.Time
	var first string
	crawl := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	// The passages of each crawl are written to a file first, untimed, and
	// the step is timed from that file, reading included (as the build
	// phase, inlEngine.Build): Build.Add writes in the background while the
	// caller makes the next passages, so subtracting the time spent making
	// them from the wall time would leave out the writing that overlapped
	// it (the full build's figure came out about a quarter short).
	tmp, err := os.CreateTemp("", "inlsearch-reindex-*.gob")
	if err != nil {
		return nil, nil, fmt.Errorf("passages file: %w", err)
	}
	passages := tmp.Name()
	_ = tmp.Close()
	defer func() { _ = os.Remove(passages) }()
	step := func(name string, changed bool) (float64, search.BuildStats, error) {
		crawl = crawl.Add(24 * time.Hour)
		if changed && changedAt.IsZero() {
			changedAt = time.Now().UTC()
		}
		if err := writeCrawl(c, passages, crawl, changed, changedAt); err != nil {
			return 0, search.BuildStats{}, err
		}
		base, _, err := store.Pointer()
		if err != nil {
			base = ""
		}
		f, err := os.Open(passages)
		if err != nil {
			return 0, search.BuildStats{}, fmt.Errorf("passages file: %w", err)
		}
		defer f.Close()
		stop := startProfile("inlsearch", "reindex-"+name)
		defer stop()
		t0 := time.Now()
		b, err := store.BeginBuild(search.BuildOptions{Vocabulary: tg.Vocabulary(), Base: base, SeenAt: crawl})
		if err != nil {
			return 0, search.BuildStats{}, err
		}
		if first == "" {
			first = b.ID
		}
		if err := addFromFile(ctx, b, f); err != nil {
			return 0, search.BuildStats{}, err
		}
		g := search.Generation{Passages: c.N, Pages: (c.N + 7) / 8, Stats: map[string]int{"bench": 1}}
		if err := b.Commit(g, false); err != nil {
			return 0, search.BuildStats{}, err
		}
		return round3(time.Since(t0).Seconds()), b.Stats(), nil
	}
	var r Reindex
	if r.Full, r.Builds[0], err = step("full", false); err != nil {
		return nil, nil, fmt.Errorf("full: %w", err)
	}
	if r.Changed1, r.Builds[1], err = step("changed1", true); err != nil {
		return nil, nil, fmt.Errorf("1 %% changed: %w", err)
	}
	// The same passages as the crawl before, seen again: nothing changed.
	if r.Unchanged, r.Builds[2], err = step("unchanged", true); err != nil {
		return nil, nil, fmt.Errorf("unchanged: %w", err)
	}
	want := 0
	for i := range c.N {
		if incrChanged(i) {
			want++
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
