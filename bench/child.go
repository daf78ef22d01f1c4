package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"syscall"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// childEnv marks a process started by the harness to run one task: building
// one engine's index, or querying it. Each task has a process of its own so
// that its peak resident set (VmHWM) is that engine's alone.
const childEnv = "INLBENCH_CHILD"

// Task is the work of one child process, read as JSON from its stdin.
type Task struct {
	Phase   string // "build", "query", "research" or "reindex"
	Engine  string
	Dir     string
	Docs    int
	Seed    uint64
	Queries int // per class, measured
	Warmup  int // per class, before measuring
	Bytes   bool
	// AddBatch is the number of passages handed to the engine at a time (0: 1000).
	AddBatch int
	// JITWarmup is the number of queries per class an engine that runs in a
	// JVM (lucene) answers after opening and before the per-class warm-up,
	// so that its code is compiled, as in a server that has been running.
	JITWarmup int
}

// An outOfProcess engine does its work in a process of its own (Lucene's
// JVM): the peak RSS and the CPU time of a task are that process's, not
// the harness's.
type outOfProcess interface {
	ProcessStats() (rss int64, cpuSeconds float64)
}

// TaskResult is what a child writes as JSON to its stdout.
type TaskResult struct {
	BuildSeconds float64 `json:"build_seconds,omitempty"`
	CPUSeconds   float64 `json:"cpu_seconds,omitempty"` // user + system time of the whole task
	CorpusBytes  int64   `json:"corpus_bytes,omitempty"`
	IndexBytes   int64   `json:"index_bytes,omitempty"`
	OpenSeconds  float64 `json:"open_seconds,omitempty"`
	RSS          int64   `json:"rss"`
	// Classes holds the latency statistics of each query class.
	Classes map[string]ClassStats `json:"classes,omitempty"`
	// Cold holds, for an engine in a JVM, the latency statistics of its
	// JIT warm-up queries: the first queries of each class after the open,
	// before its compiler has warmed up.
	Cold map[string]ClassStats `json:"cold,omitempty"`
	// Answers are the answers of the measured queries, class by class.
	Answers map[string][]Answer `json:"answers,omitempty"`
	// Reindex are the figures of the reindex phase (inlsearch only).
	Reindex *Reindex `json:"reindex,omitempty"`
	// ReindexBuilds are Reindex.Builds.
	ReindexBuilds *[3]search.BuildStats `json:"reindex_builds,omitempty"`
	// Research are the figures of the research phase (inlsearch only);
	// the reindex phase fills its Changes.
	Research *Research `json:"research,omitempty"`
}

// ClassStats are the latencies of one query class, as issue #5 names them.
type ClassStats struct {
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	MeanHits float64 `json:"mean_hits"`
	Errors   int     `json:"-"`
}

// runChild runs the task of a child process.
func runChild(ctx context.Context, in io.Reader, out io.Writer) error {
	var t Task
	if err := json.NewDecoder(in).Decode(&t); err != nil {
		return fmt.Errorf("read task: %w", err)
	}
	tx, err := LoadTaxonomy()
	if err != nil {
		return err
	}
	c := NewCorpus(t.Seed, t.Docs, tx)
	eng, err := newEngine(t.Engine)
	if err != nil {
		return err
	}
	if t.AddBatch > 0 {
		buildBatch = t.AddBatch
	}
	var res TaskResult
	// The reindex phase profiles each of its steps apart (measureReindex).
	if t.Phase != "reindex" {
		stop := startProfile(t.Engine, t.Phase)
		defer stop()
	}
	switch t.Phase {
	case "build":
		took, err := eng.Build(ctx, c, t.Dir)
		if err != nil {
			return fmt.Errorf("build %s: %w", t.Engine, err)
		}
		res.BuildSeconds = took.Seconds()
		if t.Bytes {
			res.CorpusBytes = generatedBytes
		}
	case "reindex":
		if t.Engine != "inlsearch" {
			return fmt.Errorf("reindex: only for inlsearch, not %s", t.Engine)
		}
		ri, ch, err := measureReindex(ctx, c, t.Dir)
		if err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		res.Reindex, res.ReindexBuilds, res.Research = ri, &ri.Builds, &Research{Changes: ch}
	case "research":
		if t.Engine != "inlsearch" {
			return fmt.Errorf("research: only for inlsearch, not %s", t.Engine)
		}
		r, err := measureResearch(ctx, c, t.Dir, t.Queries, t.Warmup)
		if err != nil {
			return fmt.Errorf("research: %w", err)
		}
		res.Research = r
	case "query":
		t0 := time.Now()
		if err := eng.Open(t.Dir); err != nil {
			return fmt.Errorf("open %s: %w", t.Engine, err)
		}
		res.OpenSeconds = time.Since(t0).Seconds()
		if _, jvm := eng.(outOfProcess); jvm && t.JITWarmup > 0 {
			res.Cold = map[string]ClassStats{}
			for _, class := range Classes {
				var lat []float64
				for _, q := range c.Queries(class, t.JITWarmup, jitWarmupSeed) {
					t0 := time.Now()
					_, _ = eng.Run(ctx, q)
					lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
				}
				res.Cold[class] = percentiles(lat)
			}
		}
		res.Classes, res.Answers = runQueries(ctx, eng, c, t.Queries, t.Warmup)
		if err := eng.Close(); err != nil {
			return fmt.Errorf("close %s: %w", t.Engine, err)
		}
	default:
		return fmt.Errorf("unknown phase %q", t.Phase)
	}
	res.RSS = peakRSS("self")
	res.CPUSeconds = cpuSeconds()
	if op, ok := eng.(outOfProcess); ok {
		res.RSS, res.CPUSeconds = op.ProcessStats()
	}
	return json.NewEncoder(out).Encode(res)
}

// querySeed and warmupSeed draw the measured and the warm-up queries.
const (
	querySeed  = 0x5EED
	warmupSeed = 0xAA
	// jitWarmupSeed draws the queries that warm a JVM up (Task.JITWarmup).
	jitWarmupSeed = 0x717
)

// runQueries runs, per class, warm-up queries then the measured ones, one
// at a time, and times each.
func runQueries(ctx context.Context, eng Engine, c *Corpus, n, warmup int) (map[string]ClassStats, map[string][]Answer) {
	stats := map[string]ClassStats{}
	answers := map[string][]Answer{}
	for _, class := range Classes {
		for _, q := range c.Queries(class, warmup, warmupSeed) {
			_, _ = eng.Run(ctx, q)
		}
		qs := c.Queries(class, n, querySeed)
		lat := make([]float64, 0, len(qs))
		var hits, errs int
		for _, q := range qs {
			t0 := time.Now()
			a, err := eng.Run(ctx, q)
			lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
			if err != nil {
				errs++
				a.Err = err.Error()
			}
			hits += a.Total
			answers[class] = append(answers[class], a)
		}
		st := percentiles(lat)
		st.MeanHits = float64(hits) / float64(max(1, len(qs)))
		st.Errors = errs
		stats[class] = st
	}
	return stats, answers
}

// percentiles are nearest-rank percentiles of latencies in milliseconds.
func percentiles(ms []float64) ClassStats {
	if len(ms) == 0 {
		return ClassStats{}
	}
	s := append([]float64(nil), ms...)
	sort.Float64s(s)
	at := func(p float64) float64 {
		i := int(p*float64(len(s))+0.999999) - 1
		return round3(s[min(max(i, 0), len(s)-1)])
	}
	return ClassStats{P50: at(0.50), P95: at(0.95), P99: at(0.99)}
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// spawn runs t in a child process of this same executable and decodes its result.
func spawn(ctx context.Context, t Task, logTo io.Writer) (*TaskResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find executable: %w", err)
	}
	in, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode task: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin = bytes.NewReader(in)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = logTo
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", t.Phase, t.Engine, err)
	}
	var res TaskResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("%s %s: decode result: %w", t.Phase, t.Engine, err)
	}
	return &res, nil
}

// buildRecord is where a build's result is kept beside its index, so that a
// later run with -reuse can report it without building again.
func buildRecord(dir string) string { return filepath.Join(dir, "build.json") }

func saveBuild(dir string, b *TaskResult) {
	if raw, err := json.Marshal(b); err == nil {
		_ = os.WriteFile(buildRecord(dir), raw, 0o644)
	}
}

// reusedBuild reads the build record an earlier run left in dir, when o
// asks for reuse.
func reusedBuild(o Options, dir string) (*TaskResult, bool) {
	if !o.Reuse {
		return nil, false
	}
	raw, err := os.ReadFile(buildRecord(dir))
	if err != nil {
		return nil, false
	}
	var b TaskResult
	if json.Unmarshal(raw, &b) != nil || b.BuildSeconds <= 0 {
		return nil, false
	}
	return &b, true
}

// profileEnv names a file prefix; when set, each child writes a CPU profile
// of its task to PREFIX-ENGINE-PHASE.pprof.
const profileEnv = "INLBENCH_CPUPROFILE"

// startProfile starts the CPU profile profileEnv asks for, in
// <prefix>-<engine>-<phase>.pprof; the returned function stops it.
func startProfile(engine, phase string) func() {
	prefix := os.Getenv(profileEnv)
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s-%s-%s.pprof", prefix, engine, phase))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

// cpuSeconds is the user and system time this process has used so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
