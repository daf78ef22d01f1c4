package indexer

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// TestFailedCrawlLeavesServedGeneration: a crawl refused by the checks or
// cancelled midway changes neither the pointer, nor the served passages,
// nor the crawl record.
func TestFailedCrawlLeavesServedGeneration(t *testing.T) {
	site := MustFakeSite(t, 8)
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	clock.advance()
	MustRun(t, dir, site, clock)
	before := MustCurrent(t, dir)
	pointer := mustPointer(t, dir)

	t.Run("shrink refused", func(t *testing.T) {
		for i := 1; i <= 7; i++ {
			site.set(pagePath(i), func(p *fakePage) { p.status = http.StatusNotFound })
		}
		defer func() {
			for i := 1; i <= 7; i++ {
				site.set(pagePath(i), func(p *fakePage) { p.status = 0 })
			}
		}()
		clock.advance()
		sum, err := newTestJob(dir, site, clock, nil).Run(context.Background())
		var ce *search.CheckError
		if !errors.As(err, &ce) || sum.State != StateFailed {
			t.Fatalf("Run = %v (state %s), want a refused check", err, sum.State)
		}
		checkUntouched(t, dir, pointer, before)
		saved, err := LastSummary(dir)
		if err != nil || saved == nil || saved.State != StateFailed || saved.Error == "" {
			t.Errorf("LastSummary = %+v, %v; want the failed job", saved, err)
		}
	})

	t.Run("cancelled midway", func(t *testing.T) {
		site.set(pagePath(4), func(p *fakePage) { p.stall = true })
		defer site.set(pagePath(4), func(p *fakePage) { p.stall = false })
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		clock.advance()
		go func() {
			_, err := newTestJob(dir, site, clock, nil).Run(ctx)
			done <- err
		}()
		for deadline := time.Now().Add(10 * time.Second); ; {
			if hasRequest(site, pagePath(4)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the crawl never reached the stalled page")
			}
			time.Sleep(5 * time.Millisecond)
		}
		checkUntouched(t, dir, pointer, before) // while the job runs
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
		checkUntouched(t, dir, pointer, before)
	})

	// The record was not touched either: a healthy crawl now finds every page
	// unchanged, none removed.
	clock.advance()
	sum := MustRun(t, dir, site, clock)
	wantCounts(t, "after the failed crawls", sum, Counts{Unchanged: 9})
	if got := MustCurrent(t, dir); got.fingerprint() != before.fingerprint() {
		t.Errorf("after the failed crawls: passages differ")
	}
}

func TestForcePublishesShrink(t *testing.T) {
	site := MustFakeSite(t, 4)
	dir := t.TempDir()
	MustRun(t, dir, site, nil)
	for i := 1; i <= 3; i++ {
		site.set(pagePath(i), func(p *fakePage) { p.status = http.StatusGone })
	}
	var ce *search.CheckError
	if _, err := newTestJob(dir, site, nil, nil).Run(context.Background()); !errors.As(err, &ce) {
		t.Fatalf("Run after losing 3 of 4 pages = %v, want a refused check", err)
	}
	j := newTestJob(dir, site, nil, nil)
	j.Force = true
	sum, err := j.Run(context.Background())
	if err != nil {
		t.Fatalf("forced Run = %v", err)
	}
	if sum.Counts.Removed != 3 || len(MustCurrent(t, dir).byPage[site.url(pagePath(4))]) == 0 {
		t.Errorf("forced Run removed %d pages, want 3, keeping page 4", sum.Counts.Removed)
	}
}

func hasRequest(site *fakeSite, path string) bool {
	for _, r := range site.requests() {
		if r.path == path {
			return true
		}
	}
	return false
}

func mustPointer(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func checkUntouched(t *testing.T, dir, pointer string, before generation) {
	t.Helper()
	if got := mustPointer(t, dir); got != pointer {
		t.Errorf("pointer changed: %s, was %s", got, pointer)
	}
	if got := MustCurrent(t, dir); got.fingerprint() != before.fingerprint() {
		t.Errorf("served passages changed: %d, were %d", len(got.docs), len(before.docs))
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "generations"))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("generations on disk: %v, want only the served one", names)
	}
}
