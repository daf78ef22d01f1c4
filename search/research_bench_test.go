package search

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestResearchFigures measures the research features on two generations of
// N passages (INLSEARCH_RESEARCH_BENCH=N; skipped without it), the second
// with 1 % of the passages changed, removed or added: Changes between them
// (target ≤ 1 s at 100,000) and the p99 of Similar over 200 passages
// (target ≤ 50 ms at 100,000). It logs the figures; it asserts nothing on
// time (shared machines), only that the changes found are the ones made.
func TestResearchFigures(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("INLSEARCH_RESEARCH_BENCH"))
	if n < 1000 {
		t.Skip("set INLSEARCH_RESEARCH_BENCH=N (at least 1000) to measure changes and similar at N passages")
	}
	ctx := context.Background()
	st := MustStore(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	st.Now = func() time.Time { return now }
	docs := benchDocs(n)
	for i := range docs {
		docs[i].PageURL = fmt.Sprintf("https://www.example.gov/p/%d", i/5)
		docs[i].FirstSeen, docs[i].ChangedAt = t0.Add(-time.Hour), t0.Add(-time.Hour)
	}
	start := time.Now()
	a := MustPublish(t, st, docs, false)
	now = t0.Add(24 * time.Hour)
	// 1 %: a third rewritten, a third removed, a third new.
	step := 100
	var changed, removed int
	next := make([]Document, 0, n)
	for i, d := range docs {
		switch {
		case i%step == 0:
			d.Text += " extradition treaty signed"
			d.ChangedAt = now.Add(-time.Hour)
			changed++
		case i%step == 1:
			removed++
			continue
		}
		next = append(next, d)
	}
	added := removed
	for i := range added {
		d := docs[i]
		d.ID, d.FirstSeen, d.ChangedAt = fmt.Sprintf("new-%05d", i), now.Add(-time.Hour), now.Add(-time.Hour)
		next = append(next, d)
	}
	MustPublish(t, st, next, false)
	t.Logf("built two generations of %d passages in %s", n, time.Since(start).Round(time.Millisecond))
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	var took []time.Duration
	for range 3 {
		s := time.Now()
		ch, err := l.Changes(ctx, Query{}, a)
		took = append(took, time.Since(s))
		if err != nil {
			t.Fatal(err)
		}
		if ch.New != added || ch.Changed != changed || ch.Removed != removed {
			t.Fatalf("changes = %d new, %d changed, %d removed; want %d, %d, %d", ch.New, ch.Changed, ch.Removed, added, changed, removed)
		}
	}
	t.Logf("changes between two generations of %d passages (1 %% changed), 3 runs: %v", n, took)

	took = took[:0]
	for i := range 200 {
		id := next[(i*7919)%len(next)].ID
		s := time.Now()
		if _, err := l.Similar(ctx, "", id, SimilarOptions{Size: 10}); err != nil {
			t.Fatal(err)
		}
		took = append(took, time.Since(s))
	}
	slices.Sort(took)
	t.Logf("similar at %d passages over 200 passages: p50 %s, p99 %s", n, took[len(took)/2], took[len(took)*99/100])
}
