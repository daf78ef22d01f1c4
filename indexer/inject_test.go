package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/search"
)

// TestInjectedFailuresLeaveServedGeneration injects the failures of
// RELIABILITY.md D3 and D4 into a re-index: a parser panic on one page, a
// full disk while the new index is written, too little free space before
// the crawl. The served generation's fingerprint (every passage id and
// text) is the same while the job runs and after it; a failed job leaves no
// partial generation and says why; the next run succeeds.
func TestInjectedFailuresLeaveServedGeneration(t *testing.T) {
	site := MustFakeSite(t, 8)
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	clock.advance()
	MustRun(t, dir, site, clock)
	before := MustCurrent(t, dir)
	pointer := mustPointer(t, dir)

	t.Run("parser panic on one page", func(t *testing.T) {
		// The page changed, so it is parsed again; the parser dies on it.
		site.set(pagePath(4), func(p *fakePage) { p.finance += " Edited."; p.version++ })
		target := site.url(pagePath(4))
		panicked := false
		testParseHook = func(u string) {
			if u == target {
				checkUntouched(t, dir, pointer, before) // while the job runs
				panicked = true
				panic("parser bug")
			}
		}
		defer func() { testParseHook = nil }()
		clock.advance()
		sum, err := newTestJob(dir, site, clock, nil).Run(context.Background())
		if err != nil || !panicked {
			t.Fatalf("Run = %v (panicked %v), want a job that goes on past the page", err, panicked)
		}
		if sum.FailReasons[crawl.ReasonPanic] != 1 || sum.Counts.CarriedOver != 1 {
			t.Errorf("failures %v, carried over %d; want the page failed with %q and carried over",
				sum.FailReasons, sum.Counts.CarriedOver, crawl.ReasonPanic)
		}
		// The page keeps its previous passages: same ids, same text.
		if got := MustCurrent(t, dir); got.fingerprint() != before.fingerprint() {
			t.Errorf("passages changed after a parser panic")
		}
		pointer = mustPointer(t, dir) // a generation was published, identical
	})
	gens := generationDirs(t, dir)

	t.Run("disk full while writing", func(t *testing.T) {
		enospc := &os.PathError{Op: "write", Path: dir + "/generations/x/index/store/000001.zap", Err: syscall.ENOSPC}
		calls := 0
		testWriteHook = func() error {
			calls++
			checkUntouched2(t, dir, pointer, before)
			return enospc
		}
		defer func() { testWriteHook = nil }()
		clock.advance()
		sum, err := newTestJob(dir, site, clock, nil).Run(context.Background())
		if !errors.Is(err, syscall.ENOSPC) || calls == 0 {
			t.Fatalf("Run = %v, want ENOSPC", err)
		}
		if sum.State != StateFailed || !strings.Contains(sum.Error, "no space left on device") {
			t.Errorf("summary %s %q, want failed: no space left on device", sum.State, sum.Error)
		}
		checkUntouched2(t, dir, pointer, before)
		if got := generationDirs(t, dir); got != gens {
			t.Errorf("generations on disk: %s, want %s (the partial one removed)", got, gens)
		}
		if saved, _ := LastSummary(dir); saved == nil || saved.State != StateFailed {
			t.Errorf("LastSummary = %+v, want the failed job", saved)
		}
	})

	t.Run("too little free space", func(t *testing.T) {
		n := len(site.requests())
		j := newTestJob(dir, site, clock, nil)
		j.Space = search.SpaceRule{Free: func(string) (uint64, error) { return 1 << 20, nil }}
		clock.advance()
		_, err := j.Run(context.Background())
		var se *search.SpaceError
		if !errors.As(err, &se) || se.Free != 1<<20 || se.Need == 0 {
			t.Fatalf("Run = %v, want a SpaceError with the numbers", err)
		}
		if got := len(site.requests()); got != n {
			t.Errorf("the refused job fetched %d URLs", got-n)
		}
		checkUntouched2(t, dir, pointer, before)
		if got := generationDirs(t, dir); got != gens {
			t.Errorf("generations on disk: %s, want %s", got, gens)
		}
	})

	// The next run succeeds, with nothing to unlock or clean by hand.
	clock.advance()
	MustRun(t, dir, site, clock)
	if got := MustCurrent(t, dir); len(got.docs) != len(before.docs) {
		t.Errorf("after the failures: %d passages, want %d", len(got.docs), len(before.docs))
	}
}

// checkUntouched2 is checkUntouched for the moment the new generation is
// being written: its partial folder is then on disk beside the served one.
func checkUntouched2(t *testing.T, dir, pointer string, before generation) {
	t.Helper()
	if got := mustPointer(t, dir); got != pointer {
		t.Errorf("pointer changed: %s, was %s", got, pointer)
	}
	if got := MustCurrent(t, dir); got.fingerprint() != before.fingerprint() {
		t.Errorf("served passages changed while the job runs")
	}
}

// generationDirs lists the generation folders of dir.
func generationDirs(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "generations"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, ",")
}
