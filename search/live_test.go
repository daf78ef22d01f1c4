package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// corrupt makes the index of generation id unreadable.
func corrupt(tb testing.TB, st *Store, id string) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(st.IndexPath(id), "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func TestOpenLiveFallsBackToPrevious(t *testing.T) {
	st := MustStore(t)
	a := MustPublish(t, st, genDocs("a", "aviation", 6), false)
	b := MustPublish(t, st, genDocs("b", "aviation", 6), false)
	corrupt(t, st, b)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := l.Status()
	if !s.Serving || s.Generation.ID != a || !strings.Contains(s.Degraded, b) || !strings.Contains(s.Degraded, "previous") {
		t.Fatalf("Status() = %+v, want generation %s served, degraded naming %s", s, a, b)
	}
	res, err := l.Search(context.Background(), Query{Q: "alpha", Page: 1, PerPage: 10})
	if err != nil || res.Total != 6 || !strings.HasPrefix(res.Hits[0].ID, "a-") {
		t.Fatalf("search on the fallback = %v, %v", res, err)
	}
	// Nothing was deleted.
	if _, err := os.Stat(st.IndexPath(b)); err != nil {
		t.Errorf("the unreadable generation was removed: %v", err)
	}
	// Reload keeps the fallback and says the same thing.
	if swapped, err := l.Reload(); swapped || err == nil || err.Error() != s.Degraded {
		t.Errorf("Reload() = %v, %v; want no swap and %q", swapped, err, s.Degraded)
	}
}

func TestWatchReportsARepeatedFailureOnce(t *testing.T) {
	st := MustStore(t)
	bad := MustPublish(t, st, genDocs("a", "aviation", 3), false)
	corrupt(t, st, bad)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if s := l.Status(); s.Serving || s.Error == "" {
		t.Fatalf("Status() = %+v, want nothing served and an error", s)
	}
	var failures, swaps atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Watch(ctx, 2*time.Millisecond, func(swapped bool, err error) {
			if swapped {
				swaps.Add(1)
			} else if err != nil {
				failures.Add(1)
			}
		})
	}()
	time.Sleep(100 * time.Millisecond) // dozens of ticks
	good := MustPublish(t, st, genDocs("b", "aviation", 3), true)
	for deadline := time.Now().Add(5 * time.Second); swaps.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if failures.Load() != 1 || swaps.Load() != 1 {
		t.Errorf("Watch reported %d failures and %d swaps, want 1 and 1", failures.Load(), swaps.Load())
	}
	if s := l.Status(); s.Generation.ID != good || s.Error != "" {
		t.Errorf("Status() = %+v, want %s served", s, good)
	}
}

// TestSwapUnderLoad swaps between two generations 50 times while 32
// goroutines search with facets: no search fails and each answer comes
// wholly from one generation (D5).
func TestSwapUnderLoad(t *testing.T) {
	st := MustStore(t)
	a := MustPublish(t, st, genDocs("a", "aviation", 30), false)
	b := MustPublish(t, st, genDocs("b", "corrections", 40), false)
	// The deadline is not what this test is about: on a loaded 2-core
	// machine 32 searchers can queue past the default 2 s.
	l, err := OpenLiveLimits(st.Dir, Limits{Deadline: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	q := Query{Q: "alpha", Page: 1, PerPage: 5, Filters: map[string][]string{FacetCountry: {"Mexico", "Peru"}}}
	point := func(cur, prev string) {
		t.Helper()
		if err := writeAtomic(filepath.Join(st.Dir, pointerFile), fmt.Appendf(nil, `{"current":%q,"previous":%q}`, cur, prev)); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{}
	for _, g := range []struct{ cur, prev string }{{a, b}, {b, a}} {
		point(g.cur, g.prev)
		res, err := l.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		want[answer(res)] = g.cur
	}
	if len(want) != 2 {
		t.Fatalf("the two generations answer alike: %v", want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var searches, failures atomic.Int64
	var mixed sync.Map
	for range 32 {
		wg.Go(func() {
			for ctx.Err() == nil {
				res, err := l.Search(context.Background(), q)
				searches.Add(1)
				if err != nil {
					failures.Add(1)
					mixed.Store("error: "+err.Error(), true)
					continue
				}
				if _, ok := want[answer(res)]; !ok {
					mixed.Store(answer(res), true)
				}
			}
		})
	}
	for i := range 50 {
		if i%2 == 0 {
			point(a, b)
		} else {
			point(b, a)
		}
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	mixed.Range(func(k, _ any) bool {
		t.Errorf("answer from no single generation: %v", k)
		return true
	})
	if failures.Load() != 0 || searches.Load() < 50 {
		t.Errorf("%d of %d searches failed", failures.Load(), searches.Load())
	}
}

// answer sums up a result: total, hit ids and facet counts.
func answer(res *Result) string {
	var parts []string
	for _, h := range res.Hits {
		parts = append(parts, h.ID)
	}
	for f, vals := range res.Facets {
		for _, v := range vals {
			parts = append(parts, fmt.Sprintf("%s=%s:%d", f, v.Value, v.Count))
		}
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d|%s", res.Total, strings.Join(parts, ","))
}
