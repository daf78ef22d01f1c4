package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/inlsearch/inlsearch/indexer/pdf"
)

// Options are the settings of one run.
type Options struct {
	Docs         int
	Seed         uint64
	Queries      int // per class
	Warmup       int // per class
	JITWarmup    int // per class, for lucene only, before the warm-up
	Engines      []string
	HTTP         bool
	HTTPDuration time.Duration
	HTTPConns    int
	ServeEnv     []string // extra environment of `inlsearch serve`, e.g. GOMAXPROCS=32
	Crawl        bool
	Reindex      bool // time inlsearch's re-index (full, 1 % changed, unchanged) and changes between them
	Research     bool // time inlsearch's research features (research.go)
	CrawlReps    int
	Dir          string // work folder for the indexes; a temporary one when empty
	Keep         bool   // keep the work folder
	Reuse        bool   // query an engine's index left in Dir by an earlier run instead of building it
	AddBatch     int    // passages handed to an engine at a time
	Root         string // the project (for `go build ./cmd/inlsearch`)
	JSON         string // where to write the report; FILE.md and FILE.extra.json beside it
}

func main() {
	pdf.ServeChild() // the PDF extraction child of pdfSide
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv(childEnv) != "" {
		if err := runChild(ctx, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			os.Exit(1)
		}
		return
	}
	var o Options
	var engines string
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	fs.IntVar(&o.Docs, "docs", 10000, "number of passages")
	fs.Uint64Var(&o.Seed, "seed", 1, "corpus seed")
	fs.IntVar(&o.Queries, "queries", 200, "measured queries per class")
	fs.IntVar(&o.Warmup, "warmup", 20, "warm-up queries per class")
	fs.IntVar(&o.JITWarmup, "jit-warmup", 300, "queries per class the lucene engine answers unmeasured before its warm-up, for the JVM to compile its code")
	fs.StringVar(&engines, "engines", strings.Join(EngineNames, ","), "engines to run")
	fs.BoolVar(&o.HTTP, "http", true, "load-test `inlsearch serve`")
	fs.DurationVar(&o.HTTPDuration, "http-duration", 20*time.Second, "length of the load test")
	fs.IntVar(&o.HTTPConns, "http-conns", 64, "connections of the load test")
	var serveProcs int
	fs.IntVar(&serveProcs, "serve-gomaxprocs", 0, "GOMAXPROCS of `inlsearch serve` (0: unset); the server admits 2×GOMAXPROCS searches at once")
	fs.BoolVar(&o.Crawl, "crawl", true, "time extract + tag on the demo site")
	fs.BoolVar(&o.Reindex, "reindex", true, "time inlsearch's index step for a first crawl, a re-crawl with 1% of pages changed and an unchanged one (three more builds)")
	fs.BoolVar(&o.Research, "research", true, "time inlsearch's research features (issue #12): facet value search, region hierarchy and timeline, grouped search, similar passages")
	fs.IntVar(&o.CrawlReps, "crawl-reps", 20, "times the demo site is parsed")
	fs.StringVar(&o.Dir, "dir", "", "work folder for the indexes (default: a temporary folder, removed)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the work folder")
	fs.IntVar(&o.AddBatch, "add-batch", 1000, "passages handed to each engine at a time (one FTS5 transaction, one inlsearch Add)")
	fs.BoolVar(&o.Reuse, "reuse", false, "with -dir: query the indexes an earlier -keep run left there (build figures then come from its build.json)")
	fs.StringVar(&o.Root, "root", "..", "the inlsearch project folder")
	fs.StringVar(&o.JSON, "json", "", "write the report to `FILE` (and FILE.md, FILE.extra.json)")
	_ = fs.Parse(os.Args[1:])
	o.Engines = strings.Split(engines, ",")
	if serveProcs > 0 {
		o.ServeEnv = []string{fmt.Sprintf("GOMAXPROCS=%d", serveProcs)}
	}
	if err := run(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run runs the benchmark, prints the table to stdout and writes the files.
func run(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	r, x, err := Run(ctx, o, stderr)
	if err != nil {
		return err
	}
	writeMarkdown(stdout, r, x, o.Engines)
	if o.JSON == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(o.JSON), 0o755); err != nil {
		return fmt.Errorf("results folder: %w", err)
	}
	base := strings.TrimSuffix(o.JSON, ".json")
	for path, v := range map[string]any{o.JSON: r, base + ".extra.json": x} {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("encode %s: %w", path, err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
	}
	f, err := os.Create(base + ".md")
	if err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	writeMarkdown(f, r, x, o.Engines)
	return f.Close()
}

// Run builds and queries every engine, compares their answers with the
// exact ones, and runs the HTTP and crawl-side parts.
func Run(ctx context.Context, o Options, logTo io.Writer) (*Report, *Extra, error) {
	start := time.Now()
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "inlbench-")
		if err != nil {
			return nil, nil, fmt.Errorf("work folder: %w", err)
		}
		o.Dir = d
		if !o.Keep {
			defer func() { _ = os.RemoveAll(d) }()
		}
	}
	tx, err := LoadTaxonomy()
	if err != nil {
		return nil, nil, err
	}
	c := NewCorpus(o.Seed, o.Docs, tx)
	r := &Report{Docs: o.Docs, Engines: map[string]*EngineReport{}}
	load := loadAverage()
	x := &Extra{Machine: machine(), Queries: o.Queries, Warmup: o.Warmup, JITWarmup: o.JITWarmup, Engines: map[string]*EngineMore{}}

	fmt.Fprintf(logTo, "bench: %d passages, %d queries per class, work folder %s\n", o.Docs, o.Queries, o.Dir)
	want, wantInl := map[string][]Answer{}, map[string][]Answer{}
	var all []Query
	for _, class := range Classes {
		qs := c.Queries(class, o.Queries, querySeed)
		all = append(all, qs...)
		want[class] = c.Truth(qs)
		if containsStr(o.Engines, "inlsearch") {
			wantInl[class] = c.TruthInl(qs)
		}
	}
	for i, name := range o.Engines {
		dir := filepath.Join(o.Dir, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("work folder: %w", err)
		}
		more := &EngineMore{Errors: map[string]int{}}
		x.Engines[name] = more
		if name == "lucene" {
			if _, err := findLucene(luceneBuild); err != nil {
				more.Skipped = err.Error()
				x.Notes = append(x.Notes, "lucene skipped: "+err.Error())
				fmt.Fprintf(logTo, "bench: lucene skipped: %v\n", err)
				continue
			}
		}
		task := Task{Engine: name, Dir: dir, Docs: o.Docs, Seed: o.Seed, Queries: o.Queries, Warmup: o.Warmup, Bytes: i == 0, AddBatch: o.AddBatch, JITWarmup: o.JITWarmup}
		t0 := time.Now()
		task.Phase = "build"
		b, reused := reusedBuild(o, dir)
		if !reused {
			b, err = spawn(ctx, task, logTo)
			if err != nil {
				more.Failed = err.Error()
				fmt.Fprintf(logTo, "bench: %s: %v\n", name, err)
				continue
			}
			saveBuild(dir, b)
			fmt.Fprintf(logTo, "bench: %s built in %.1fs (engine time), %.1fs in all, %.1fs of CPU\n", name, b.BuildSeconds, time.Since(t0).Seconds(), b.CPUSeconds)
		} else {
			fmt.Fprintf(logTo, "bench: %s: reusing the index in %s (built in %.1fs)\n", name, dir, b.BuildSeconds)
		}
		if b.CorpusBytes > 0 {
			r.CorpusBytes = b.CorpusBytes
		}
		task.Phase = "query"
		q, err := spawn(ctx, task, logTo)
		if err != nil {
			more.Failed = err.Error()
			fmt.Fprintf(logTo, "bench: %s: %v\n", name, err)
			continue
		}
		e := &EngineReport{
			BuildDocsPerS: round3(float64(o.Docs) / b.BuildSeconds),
			IndexBytes:    dirSize(dir),
			PeakRSSBytes:  max(b.RSS, q.RSS),
			Queries:       q.Classes,
			QueriesCold:   q.Cold,
		}
		r.Engines[name] = e
		more.BuildSeconds, more.BuildRSS, more.QueryRSS, more.OpenSeconds = b.BuildSeconds, b.RSS, q.RSS, q.OpenSeconds
		for class, st := range q.Classes {
			if st.Errors > 0 {
				more.Errors[class] = st.Errors
			}
		}
		exact := want
		if name == "inlsearch" {
			exact = wantInl
		}
		x.Mismatches = append(x.Mismatches, compare(name, c, exact, q.Answers, more)...)
		fmt.Fprintf(logTo, "bench: %s queried; %d answers differ from the exact ones\n", name, more.Mismatches)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if e, f := r.Engines["inlsearch"], r.Engines["fts5"]; e != nil && f != nil {
		r.Ratios.Build = ratio(e.BuildDocsPerS, f.BuildDocsPerS)
		r.Ratios.FacetedP99 = ratio(e.Queries["faceted"].P99, f.Queries["faceted"].P99)
		r.Ratios.PhraseP50 = ratio(e.Queries["phrase"].P50, f.Queries["phrase"].P50)
	}
	if e, l := r.Engines["inlsearch"], r.Engines["lucene"]; e != nil && l != nil {
		r.Ratios.BuildVsLucene = ratio(e.BuildDocsPerS, l.BuildDocsPerS)
		r.Ratios.FacetedP99VsLucene = ratio(e.Queries["faceted"].P99, l.Queries["faceted"].P99)
		r.Ratios.FacetedP99VsLuceneCold = ratio(e.Queries["faceted"].P99, l.QueriesCold["faceted"].P99)
		r.Ratios.PhraseP50VsLucene = ratio(e.Queries["phrase"].P50, l.Queries["phrase"].P50)
	}
	if e := r.Engines["inlsearch"]; o.Research && e != nil {
		t := Task{Phase: "research", Engine: "inlsearch", Dir: filepath.Join(o.Dir, "inlsearch"), Docs: o.Docs, Seed: o.Seed, Queries: o.Queries, Warmup: o.Warmup}
		res, err := spawn(ctx, t, logTo)
		switch {
		case err != nil:
			x.Notes = append(x.Notes, "research features not measured: "+err.Error())
			fmt.Fprintf(logTo, "bench: research: %v\n", err)
		case res.Research == nil:
			x.Notes = append(x.Notes, "research features not measured: no figures in the child's result")
		default:
			e.Research = res.Research
			fmt.Fprintf(logTo, "bench: inlsearch research features measured\n")
		}
	}
	if o.Reindex && r.Engines["inlsearch"] != nil {
		ri, ch, err := reindex(ctx, o, logTo)
		if err != nil {
			x.Notes = append(x.Notes, "re-index not measured: "+err.Error())
			fmt.Fprintf(logTo, "bench: reindex: %v\n", err)
		}
		e := r.Engines["inlsearch"]
		e.Reindex = ri
		if ch != nil {
			if e.Research == nil {
				e.Research = &Research{}
			}
			e.Research.Changes = ch
		}
		if ri != nil {
			x.ReindexBuilds = ri.Builds[:]
		}
	}
	if o.HTTP && r.Engines["inlsearch"] != nil {
		paths := mixedPaths(all)
		h, more, err := httpTest(ctx, o.Root, filepath.Join(o.Dir, "inlsearch"), paths, o.HTTPConns, o.HTTPDuration, o.ServeEnv, logTo)
		x.HTTP = more
		if err != nil {
			more.Failed = err.Error()
			fmt.Fprintf(logTo, "bench: http: %v\n", err)
		} else {
			r.Engines["inlsearch"].HTTP = h
		}
	}
	if o.Crawl {
		cs, err := crawlSide(o.CrawlReps)
		if err != nil {
			cs = &CrawlStats{Failed: err.Error()}
		}
		x.Crawl = cs
		ps, err := pdfSide(ctx)
		if err != nil {
			ps = &PDFStats{Failed: err.Error()}
		}
		x.PDF = ps
	}
	x.Notes = append(x.Notes, "unchanged re-crawl count: not measured by this harness (needs the indexer job; see the e2e tests)")
	x.Seconds = round3(time.Since(start).Seconds())
	x.Load = []string{load, loadAverage()}
	return r, x, nil
}

// reindex times inlsearch's index step three times (see measureReindex),
// and Changes between its generations, in a child process, in a data
// folder of its own that it removes after.
func reindex(ctx context.Context, o Options, logTo io.Writer) (*Reindex, *ChangesStats, error) {
	dir := filepath.Join(o.Dir, "inlsearch-reindex")
	defer func() { _ = os.RemoveAll(dir) }()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("work folder: %w", err)
	}
	t := Task{Phase: "reindex", Engine: "inlsearch", Dir: dir, Docs: o.Docs, Seed: o.Seed}
	res, err := spawn(ctx, t, logTo)
	if err != nil {
		return nil, nil, err
	}
	if res.Reindex == nil || res.Research == nil || res.Research.Changes == nil {
		return nil, nil, fmt.Errorf("reindex: no figures in the child's result")
	}
	if res.ReindexBuilds != nil {
		res.Reindex.Builds = *res.ReindexBuilds
	}
	ch := res.Research.Changes
	fmt.Fprintf(logTo, "bench: inlsearch re-index: full %.1fs, 1%% of pages changed %.1fs, unchanged %.1fs; changes %.3fs first, %.3fs warm\n",
		res.Reindex.Full, res.Reindex.Changed1, res.Reindex.Unchanged, ch.FirstS, ch.WarmS)
	return res.Reindex, ch, nil
}

// mixedPaths interleaves the queries of every class as API paths.
func mixedPaths(qs []Query) []string {
	by := map[string][]Query{}
	for _, q := range qs {
		by[q.Class] = append(by[q.Class], q)
	}
	var out []string
	for i := 0; ; i++ {
		added := false
		for _, class := range Classes {
			if i < len(by[class]) {
				out = append(out, by[class][i].URL())
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// maxExamples bounds the mismatches kept per engine.
const maxExamples = 5

// compare checks an engine's answers against the exact ones.
func compare(engine string, c *Corpus, want, got map[string][]Answer, more *EngineMore) []Mismatch {
	var out []Mismatch
	for _, class := range Classes {
		qs := c.Queries(class, len(want[class]), querySeed)
		for j, w := range want[class] {
			if j >= len(got[class]) {
				break
			}
			g := got[class][j]
			desc := describe(qs[j])
			add := func(what, wv, gv string) {
				more.Mismatches++
				if len(out) < maxExamples {
					out = append(out, Mismatch{Engine: engine, Class: class, Query: desc, What: what, Want: wv, Got: gv})
				}
			}
			switch {
			case g.Err != "":
				add("error", "", g.Err)
				continue
			case g.Total != w.Total:
				more.TotalMismatch++
				add("total", fmt.Sprint(w.Total), fmt.Sprint(g.Total))
				continue
			}
			for _, f := range sortedKeys(w.Facets) {
				if strings.Join(w.Facets[f], ",") != strings.Join(g.Facets[f], ",") {
					more.FacetMismatch++
					add("facet "+f, strings.Join(w.Facets[f], ","), strings.Join(g.Facets[f], ","))
					break
				}
			}
		}
	}
	return out
}

func describe(q Query) string {
	s := q.Text()
	for _, f := range q.Filters {
		s += fmt.Sprintf(" [%s=%s]", f.Facet, f.Value)
	}
	if q.Page > 1 {
		s += fmt.Sprintf(" page %d", q.Page)
	}
	return strings.TrimSpace(s)
}
