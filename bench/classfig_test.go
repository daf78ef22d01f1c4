package main

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestClassFigures measures one query class against an inlsearch index a
// -keep run left, when INLBENCH_KEPT names that run's work folder (with
// INLBENCH_DOCS its -docs, 100000 unless set, and INLBENCH_CLASS the class,
// phrase unless set): each of 200 queries of the class runs five times and
// keeps its fastest run, and the p50 and p95 of those are logged. Less
// sensitive to a shared machine than the bench's one pass, it compares two
// versions of the search code on one index (go test -cpuprofile profiles
// it). It checks only that every query ran.
func TestClassFigures(t *testing.T) {
	kept := os.Getenv("INLBENCH_KEPT")
	if kept == "" {
		t.Skip("set INLBENCH_KEPT to the work folder of a -keep run")
	}
	docs := 100000
	if n, err := strconv.Atoi(os.Getenv("INLBENCH_DOCS")); err == nil && n > 0 {
		docs = n
	}
	class := os.Getenv("INLBENCH_CLASS")
	if class == "" {
		class = "phrase"
	}
	c := mustCorpus(t, docs)
	e := &inlEngine{}
	if err := e.Open(kept); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = e.Close() }()
	qs := c.Queries(class, 200, 1)
	best := make([]time.Duration, len(qs))
	for round := range 5 {
		for k, q := range qs {
			t0 := time.Now()
			if _, err := e.Run(context.Background(), q); err != nil {
				t.Fatalf("%s: %v", q.Text(), err)
			}
			if d := time.Since(t0); round == 0 || d < best[k] {
				best[k] = d
			}
		}
	}
	slices.Sort(best)
	t.Logf("%s, %d queries, fastest of 5 runs each: p50 %v, p95 %v", class, len(qs), best[len(best)/2], best[len(best)*95/100])
}
