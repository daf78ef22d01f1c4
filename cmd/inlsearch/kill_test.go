package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/search"
)

// TestKillDuringCrawl runs the built binary, kills `inlsearch crawl` with
// SIGKILL at seeded random moments (fetch, build, publish), and checks each
// time that the data folder serves a complete generation with the same
// passages, not degraded, and at the end that the next crawl succeeds and
// leaves no partial generation behind (D1, D2).
func TestKillDuringCrawl(t *testing.T) {
	bin := mustBinary(t)
	site := httptest.NewServer(corpus.Handler())
	t.Cleanup(site.Close)
	data := t.TempDir()
	// Keep only the current and previous generations (serve's
	// --keep-generations 2), so that the count at the end tells whether
	// the crawls cleaned up after themselves.
	st, err := search.NewStore(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetKeep(search.KeepPolicy{Generations: 2}); err != nil {
		t.Fatal(err)
	}
	args := []string{"crawl", "--data", data, "--seed", site.URL + "/", "--delay", "1ms", "--log-level", "error"}
	crawl := func() (time.Duration, error) {
		start := time.Now()
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("%w\n%s", err, out)
		}
		return time.Since(start), nil
	}
	if _, err := crawl(); err != nil {
		t.Fatalf("first crawl: %v", err)
	}
	d, err := crawl() // an unchanged re-crawl, as the killed ones are
	if err != nil {
		t.Fatalf("second crawl: %v", err)
	}
	want := servedFingerprint(t, data)

	rng := rand.New(rand.NewPCG(4, 2026))
	var midway, partial, published int
	for i := range 10 {
		before, _ := os.ReadFile(filepath.Join(data, "CURRENT"))
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		at := time.Duration(rng.Int64N(int64(d * 11 / 10)))
		time.Sleep(at)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee) && ee.ProcessState.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL:
			midway++
		case err != nil:
			t.Fatalf("kill %d: %v", i, err)
		}
		if after, _ := os.ReadFile(filepath.Join(data, "CURRENT")); string(after) != string(before) {
			published++
		}
		gens, _ := os.ReadDir(filepath.Join(data, "generations"))
		for _, g := range gens {
			if _, err := os.Stat(filepath.Join(data, "generations", g.Name(), "COMPLETE")); err != nil {
				partial++
			}
		}
		if got := servedFingerprint(t, data); got != want {
			t.Fatalf("kill %d after %s: served passages changed", i, at.Round(time.Millisecond))
		}
	}
	t.Logf("%d of 10 crawls killed midway; %d left a partial generation; %d published before their end", midway, partial, published)
	if midway < 5 {
		t.Errorf("only %d of 10 crawls were killed before they ended", midway)
	}
	if _, err := crawl(); err != nil {
		t.Fatalf("crawl after the kills: %v", err)
	}
	if got := servedFingerprint(t, data); got != want {
		t.Errorf("crawl after the kills: passages changed")
	}
	gens, _ := os.ReadDir(filepath.Join(data, "generations"))
	for _, g := range gens {
		if _, err := os.Stat(filepath.Join(data, "generations", g.Name(), "COMPLETE")); err != nil {
			t.Errorf("partial generation %s left after a successful crawl", g.Name())
		}
	}
	if len(gens) > 2 {
		t.Errorf("%d generations on disk, want current and previous", len(gens))
	}
}

// servedFingerprint opens the data folder as a server does and returns the
// served generation's passage count and sorted ids; it fails the test when
// nothing, or a fallback, is served.
func servedFingerprint(t *testing.T, data string) string {
	t.Helper()
	l, err := search.OpenLive(data)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	st := l.Status()
	if !st.Serving || st.Degraded != "" || st.Error != "" {
		t.Fatalf("status %+v, want a complete generation served", st)
	}
	var ids []string
	for page := 1; ; page++ {
		res, err := l.Search(context.Background(), search.Query{Page: page, PerPage: 100, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if page*100 >= res.Total {
			break
		}
	}
	sort.Strings(ids)
	if len(ids) != st.Generation.Passages {
		t.Fatalf("generation %s holds %d passages, COMPLETE says %d", st.Generation.ID, len(ids), st.Generation.Passages)
	}
	return fmt.Sprintf("%d:%s", len(ids), strings.Join(ids, ","))
}
