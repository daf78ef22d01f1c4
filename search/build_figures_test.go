//go:build unix

package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestBuildFigures measures the ways of a full build that issue 14 names,
// on INLSEARCH_BUILD_FIGURES synthetic passages (proseDocs), in rounds that
// interleave them (the machine is shared, its speed moves): one bleve
// batch in flight, two (what Add does), three, two shards behind an alias
// (each index fed by its own goroutine, one batch in flight each), and
// bleve's offline builder (bleve.NewBuilder). It logs passages per second
// of wall time (what two cores give when the machine is quiet) and per
// second of CPU (what a way costs, less sensitive to other load) of each
// round, and checks only that every way indexed every passage.
func TestBuildFigures(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("INLSEARCH_BUILD_FIGURES"))
	if n <= 0 {
		t.Skip("set INLSEARCH_BUILD_FIGURES=passages to measure")
	}
	rounds := 3
	if r, err := strconv.Atoi(os.Getenv("INLSEARCH_BUILD_ROUNDS")); err == nil && r > 0 {
		rounds = r
	}
	docs := proseDocs(n)
	ctx := context.Background()
	create := func(path string) bleve.Index {
		bi, err := bleve.NewUsing(path, NewMapping(), scorch.Name, bleve.Config.DefaultKVStore, segmentConfig(map[string]any{}))
		if err != nil {
			t.Fatal(err)
		}
		return bi
	}
	// Each way builds docs under dir and returns the passages it indexed.
	inFlight := func(k int) func(dir string) uint64 {
		return func(dir string) uint64 {
			bi := create(filepath.Join(dir, "index"))
			for s := 0; s < len(docs); s += 4 * BatchSize {
				if err := addDocsInFlight(ctx, bi, docs[s:min(s+4*BatchSize, len(docs))], time.Time{}, nil, k); err != nil {
					t.Fatal(err)
				}
			}
			c, _ := bi.DocCount()
			if err := bi.Close(); err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	ways := []struct {
		name  string
		build func(dir string) uint64
	}{
		{"batches in flight 1", inFlight(1)},
		{"batches in flight 2", inFlight(2)},
		{"batches in flight 3", inFlight(3)},
		{"2 shards, alias", func(dir string) uint64 {
			shards := []bleve.Index{create(filepath.Join(dir, "a")), create(filepath.Join(dir, "b"))}
			var wg sync.WaitGroup
			for i, bi := range shards {
				var mine []Document
				for j := i; j < len(docs); j += len(shards) {
					mine = append(mine, docs[j])
				}
				wg.Go(func() {
					for s := 0; s < len(mine); s += 4 * BatchSize {
						if err := addDocsInFlight(ctx, bi, mine[s:min(s+4*BatchSize, len(mine))], time.Time{}, nil, 1); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			c, err := bleve.NewIndexAlias(shards...).DocCount()
			if err != nil {
				t.Fatal(err)
			}
			for _, bi := range shards {
				if err := bi.Close(); err != nil {
					t.Fatal(err)
				}
			}
			return c
		}},
		{"offline builder", func(dir string) uint64 {
			path := filepath.Join(dir, "index")
			b, err := bleve.NewBuilder(path, NewMapping(), map[string]any{"batchSize": BatchSize, "buildPathPrefix": dir})
			if err != nil {
				t.Fatal(err)
			}
			for i := range docs {
				m, err := fields(&docs[i], time.Time{})
				if err == nil {
					err = b.Index(docs[i].ID, m)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			bi, err := bleve.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer bi.Close()
			c, _ := bi.DocCount()
			return c
		}},
	}
	rates, perCPU := map[string][]float64{}, map[string][]float64{}
	for r := range rounds {
		for _, w := range ways {
			dir := t.TempDir()
			t0, c0 := time.Now(), cpuTime()
			got := w.build(dir)
			took, cpu := time.Since(t0), cpuTime()-c0
			if got != uint64(len(docs)) {
				t.Errorf("%s: %d passages indexed, want %d", w.name, got, len(docs))
			}
			rates[w.name] = append(rates[w.name], float64(len(docs))/took.Seconds())
			perCPU[w.name] = append(perCPU[w.name], float64(len(docs))/cpu.Seconds())
			t.Logf("round %d: %-20s %6.0f passages/s (%.1fs), %6.0f passages per CPU second (%.1fs), load %s",
				r+1, w.name, float64(len(docs))/took.Seconds(), took.Seconds(), float64(len(docs))/cpu.Seconds(), cpu.Seconds(), loadAvg())
			_ = os.RemoveAll(dir)
		}
	}
	median := func(xs []float64) float64 { return slices.Sorted(slices.Values(xs))[len(xs)/2] }
	for _, w := range ways {
		t.Logf("%-20s median %6.0f passages/s, %6.0f per CPU second (%s)", w.name, median(rates[w.name]), median(perCPU[w.name]), fmt.Sprint(rates[w.name]))
	}
}

// cpuTime is the CPU time (user and system) of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAvg is the first three fields of /proc/loadavg, or "?".
func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(raw) < 14 {
		return "?"
	}
	return string(raw[:14])
}
