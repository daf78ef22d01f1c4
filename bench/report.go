package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/inlsearch/inlsearch/search"
)

// Report is the JSON of issue #5.
type Report struct {
	Docs        int                      `json:"docs"`
	CorpusBytes int64                    `json:"corpus_bytes"`
	Engines     map[string]*EngineReport `json:"engines"`
	Ratios      Ratios                   `json:"ratios"`
}

// EngineReport is the "E" of issue #5.
type EngineReport struct {
	BuildDocsPerS float64               `json:"build_docs_per_s"`
	IndexBytes    int64                 `json:"index_bytes"`
	PeakRSSBytes  int64                 `json:"peak_rss_bytes"`
	Queries       map[string]ClassStats `json:"queries"`
	// QueriesCold are a JVM engine's first queries per class after its
	// open, before its JIT warm-up (lucene only).
	QueriesCold map[string]ClassStats `json:"queries_cold,omitempty"`
	HTTP        *HTTPStats            `json:"http,omitempty"`     // inlsearch only
	Reindex     *Reindex              `json:"reindex,omitempty"`  // inlsearch only
	Research    *Research             `json:"research,omitempty"` // inlsearch only
}

// HTTPStats are the figures of the load test of `inlsearch serve`.
type HTTPStats struct {
	QPS    float64 `json:"qps"`
	P50    float64 `json:"p50_ms"`
	P99    float64 `json:"p99_ms"`
	Errors int     `json:"errors"`
}

// Ratios compare inlsearch with FTS5 and with Lucene (inlsearch ÷ the
// other): build > 1 and the others < 1 mean inlsearch leads. Zero when an
// engine was not run.
type Ratios struct {
	Build              float64 `json:"build"`
	FacetedP99         float64 `json:"faceted_p99"`
	PhraseP50          float64 `json:"phrase_p50"`
	BuildVsLucene      float64 `json:"build_vs_lucene"`
	FacetedP99VsLucene float64 `json:"faceted_p99_vs_lucene"`
	PhraseP50VsLucene  float64 `json:"phrase_p50_vs_lucene"`
	// FacetedP99VsLuceneCold is inlsearch's faceted p99 ÷ Lucene's over
	// its first queries after the open, before its JIT warm-up (issue 14's
	// target names Lucene's cold p99).
	FacetedP99VsLuceneCold float64 `json:"faceted_p99_vs_lucene_cold"`
}

// Extra holds what the JSON of the issue has no place for; it is written
// next to it (FILE.extra.json).
type Extra struct {
	Machine Machine `json:"machine"`
	Seconds float64 `json:"seconds"`
	// Load is the load average (1, 5, 15 minutes) at the start and at the
	// end of the run: the machine may be shared.
	Load       []string               `json:"load,omitempty"`
	Queries    int                    `json:"queries_per_class"`
	Warmup     int                    `json:"warmup_per_class"`
	JITWarmup  int                    `json:"jit_warmup_per_class,omitempty"` // lucene only
	Engines    map[string]*EngineMore `json:"engines"`
	Mismatches []Mismatch             `json:"mismatches,omitempty"`
	HTTP       *HTTPMore              `json:"http,omitempty"`
	Crawl      *CrawlStats            `json:"crawl,omitempty"`
	PDF        *PDFStats              `json:"pdf,omitempty"`
	// ReindexBuilds say what inlsearch's three re-index builds wrote.
	ReindexBuilds []search.BuildStats `json:"reindex_builds,omitempty"`
	Notes         []string            `json:"notes,omitempty"`
}

// Machine describes where the figures come from.
type Machine struct {
	CPU    string `json:"cpu"`
	Cores  int    `json:"cores"`
	Memory string `json:"memory"`
	Go     string `json:"go"`
}

// EngineMore are per-engine details: the two processes' peak RSS, errors,
// and the number of answers that differ from the exact one.
type EngineMore struct {
	BuildSeconds  float64        `json:"build_seconds"`
	BuildRSS      int64          `json:"build_rss_bytes"`
	QueryRSS      int64          `json:"query_rss_bytes"`
	OpenSeconds   float64        `json:"open_seconds"`
	Errors        map[string]int `json:"errors,omitempty"`
	Mismatches    int            `json:"mismatches"`
	TotalMismatch int            `json:"total_mismatches"`
	FacetMismatch int            `json:"facet_mismatches"`
	Failed        string         `json:"failed,omitempty"`
	Skipped       string         `json:"skipped,omitempty"` // why the engine did not run (lucene without Java)
}

// Mismatch is one answer that differs from the exact one.
type Mismatch struct {
	Engine string `json:"engine"`
	Class  string `json:"class"`
	Query  string `json:"query"`
	What   string `json:"what"`
	Want   string `json:"want"`
	Got    string `json:"got"`
}

func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), CPU: "unknown"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		_ = f.Close()
	}
	if kb := procMeminfo(); kb > 0 {
		m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
	}
	return m
}

// loadAverage is the 1, 5 and 15 minute load average of /proc/loadavg, or "?".
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func procMeminfo() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kb); n == 1 {
			return kb
		}
	}
	return 0
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return round3(a / b)
}

func mb(b int64) string { return fmt.Sprintf("%.0f", float64(b)/(1<<20)) }

// writeMarkdown prints the table the README takes.
func writeMarkdown(w io.Writer, r *Report, x *Extra, engines []string) {
	fmt.Fprintf(w, "%d passages, %.0f MB of text; %s, %d cores, %s, %s",
		r.Docs, float64(r.CorpusBytes)/(1<<20), x.Machine.CPU, x.Machine.Cores, x.Machine.Memory, x.Machine.Go)
	if len(x.Load) == 2 {
		fmt.Fprintf(w, "; load average %s at the start, %s at the end", x.Load[0], x.Load[1])
	}
	fmt.Fprint(w, "\n\n")
	fmt.Fprintf(w, "| | %s |\n|---|%s\n", strings.Join(engines, " | "), strings.Repeat("---:|", len(engines)))
	row := func(label string, f func(e *EngineReport, m *EngineMore) string) {
		cells := make([]string, len(engines))
		for i, name := range engines {
			e, m := r.Engines[name], x.Engines[name]
			switch {
			case m != nil && m.Failed != "":
				cells[i] = "failed"
			case m != nil && m.Skipped != "":
				cells[i] = "skipped"
			case e == nil:
				cells[i] = "–"
			default:
				cells[i] = f(e, m)
			}
		}
		fmt.Fprintf(w, "| %s | %s |\n", label, strings.Join(cells, " | "))
	}
	row("build (passages/s)", func(e *EngineReport, _ *EngineMore) string { return fmt.Sprintf("%.0f", e.BuildDocsPerS) })
	row("index size (MB)", func(e *EngineReport, _ *EngineMore) string { return mb(e.IndexBytes) })
	row("peak RSS build / query (MB)", func(_ *EngineReport, m *EngineMore) string {
		return mb(m.BuildRSS) + " / " + mb(m.QueryRSS)
	})
	for _, c := range Classes {
		row(c+" p50 / p95 / p99 (ms)", func(e *EngineReport, _ *EngineMore) string {
			s := e.Queries[c]
			return fmt.Sprintf("%.1f / %.1f / %.1f", s.P50, s.P95, s.P99)
		})
	}
	for _, c := range Classes {
		row(c+" mean hits", func(e *EngineReport, _ *EngineMore) string { return fmt.Sprintf("%.0f", e.Queries[c].MeanHits) })
	}
	row("answers ≠ exact (totals / facets)", func(_ *EngineReport, m *EngineMore) string {
		return fmt.Sprintf("%d / %d", m.TotalMismatch, m.FacetMismatch)
	})
	if h := r.Engines["inlsearch"]; h != nil && h.HTTP != nil {
		fmt.Fprintf(w, "\nHTTP (`inlsearch serve`, %d connections, %s, mixed queries): %.0f queries/s, p50 %.1f ms, p99 %.1f ms, %d errors; server peak RSS %s MB.\n",
			x.HTTP.Conns, x.HTTP.Duration, h.HTTP.QPS, h.HTTP.P50, h.HTTP.P99, h.HTTP.Errors, mb(x.HTTP.ServerRSS))
		fmt.Fprintf(w, "The query file holds %d distinct queries, so after one pass the server answers from its cache of results; the cold pass before it (each query once, nothing cached): %.0f queries/s, p50 %.1f ms, p99 %.1f ms, %d errors.\n",
			x.Queries*len(Classes), x.HTTP.ColdQPS, x.HTTP.ColdP50, x.HTTP.ColdP99, x.HTTP.ColdErrors)
	} else if x.HTTP != nil && x.HTTP.Failed != "" {
		fmt.Fprintf(w, "\nHTTP: not measured (%s).\n", x.HTTP.Failed)
	}
	fmt.Fprintf(w, "\nRatios inlsearch ÷ FTS5: build %.2f (target ≥ 1.5), faceted p99 %.2f (target ≤ 0.05), phrase p50 %.2f (target ≤ 1).\n",
		r.Ratios.Build, r.Ratios.FacetedP99, r.Ratios.PhraseP50)
	if l := r.Engines["lucene"]; l != nil && r.Engines["inlsearch"] != nil {
		fmt.Fprintf(w, "Ratios inlsearch ÷ Lucene: build %.2f (target ≥ 0.7), faceted p99 %.2f (target ≤ 1), phrase p50 %.2f (target ≤ 1.5).\n",
			r.Ratios.BuildVsLucene, r.Ratios.FacetedP99VsLucene, r.Ratios.PhraseP50VsLucene)
		if cold, ok := l.QueriesCold["faceted"]; ok {
			fmt.Fprintf(w, "Lucene cold (its first %d queries per class after the open, before its JIT warm-up): faceted p50 %.1f, p99 %.1f ms; inlsearch's faceted p99 ÷ that: %.2f (target ≤ 1).\n",
				x.JITWarmup, cold.P50, cold.P99, r.Ratios.FacetedP99VsLuceneCold)
		}
	}
	if e := r.Engines["inlsearch"]; e != nil && e.Reindex != nil {
		ri := e.Reindex
		fmt.Fprintf(w, "inlsearch re-index (index step to publication, incremental after the first): full %.1f s, 1%% of pages changed %.1f s (%.0f%% of full; target ≤ 10%%; %d passages written, %d deleted), unchanged %.1f s (%.0f%%; target ≤ 5%%; %d written).\n",
			ri.Full, ri.Changed1, 100*ratio(ri.Changed1, ri.Full), ri.Builds[1].Added, ri.Builds[1].Deleted,
			ri.Unchanged, 100*ratio(ri.Unchanged, ri.Full), ri.Builds[2].Added)
	}
	writeResearch(w, r.Engines["inlsearch"])
	if c := x.Crawl; c != nil {
		if c.Failed != "" {
			fmt.Fprintf(w, "Crawl side: not measured (%s).\n", c.Failed)
		} else {
			fmt.Fprintf(w, "Crawl side (extract + tag, demo site × %d = %d pages, %d passages): %.0f pages/s on 1 core, %.0f pages/s on %d.\n",
				c.Reps, c.Pages, c.Passages, c.PagesPerS, c.PagesPerSParallel, c.Workers)
		}
	}
	writePDF(w, x.PDF)
	for _, n := range x.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
}

// writeResearch prints the figures of the research features (issue #12)
// against their targets.
func writeResearch(w io.Writer, e *EngineReport) {
	if e == nil || e.Research == nil {
		return
	}
	rs := e.Research
	if len(rs.Classes) > 0 {
		fmt.Fprint(w, "\nResearch features (issue #12), inlsearch, in process:\n\n| | p50 / p95 / p99 (ms) | mean hits | target |\n|---|---:|---:|---|\n")
		targets := map[string]string{
			"facet_values":    "p99 ≤ 10 ms",
			"region_timeline": fmt.Sprintf("p99 ≤ 1.2 × faceted_base (%.2f ×)", rs.RegionTimelineVsFaceted),
			"grouped":         fmt.Sprintf("p99 ≤ 1.3 × ungrouped (%.2f ×)", rs.GroupedVsUngrouped),
			"similar":         "p99 ≤ 50 ms",
		}
		for _, c := range ResearchClasses {
			s := rs.Classes[c]
			fmt.Fprintf(w, "| %s | %.1f / %.1f / %.1f | %.0f | %s |\n", c, s.P50, s.P95, s.P99, s.MeanHits, targets[c])
		}
		fmt.Fprintf(w, "\nThe first similar call on the opened index (it reads the document frequencies of the text terms once): %.0f ms.\n", rs.SimilarFirstMS)
	}
	if ch := rs.Changes; ch != nil {
		fmt.Fprintf(w, "\nChanges between the re-index's first generation and the last (%d passages changed): %.3f s the first call (opens the earlier generation), %.3f s warm at most (target ≤ 1 s).\n",
			ch.Changed, ch.FirstS, ch.WarmS)
	}
}
