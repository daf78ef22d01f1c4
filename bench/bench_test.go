package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	porter "github.com/blevesearch/go-porterstemmer"
	"github.com/inlsearch/inlsearch/indexer/pdf"
)

// TestMain lets the test binary serve as the harness's child process.
func TestMain(m *testing.M) {
	pdf.ServeChild()
	if os.Getenv(childEnv) != "" {
		if err := runChild(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Stderr.WriteString("bench child: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func mustCorpus(tb testing.TB, n int) *Corpus {
	tb.Helper()
	tx, err := LoadTaxonomy()
	if err != nil {
		tb.Fatal(err)
	}
	return NewCorpus(1, n, tx)
}

// TestHarness runs the whole harness on a tiny corpus: every engine builds,
// answers every class, and agrees with the exact answers.
func TestHarness(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := Options{Docs: 300, Seed: 1, Queries: 6, Warmup: 1, JITWarmup: 2, Engines: EngineNames, Crawl: true, CrawlReps: 1,
		Reindex: true, Research: true, Dir: t.TempDir(), JSON: filepath.Join(t.TempDir(), "r.json")}
	var log strings.Builder
	var table strings.Builder
	if err := run(ctx, o, &table, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	raw, err := os.ReadFile(o.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if got, want := sortedKeys(r), []string{"corpus_bytes", "docs", "engines", "ratios"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("report keys %v, want %v", got, want)
	}
	var rep Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	var x Extra
	if err := readJSON(strings.TrimSuffix(o.JSON, ".json")+".extra.json", &x); err != nil {
		t.Fatal(err)
	}
	if rep.Docs != 300 || rep.CorpusBytes < 300*minTextBytes {
		t.Errorf("docs %d, corpus bytes %d", rep.Docs, rep.CorpusBytes)
	}
	for _, name := range EngineNames {
		e, m := rep.Engines[name], x.Engines[name]
		if name == "lucene" && m != nil && m.Skipped != "" {
			// No Java here: the engine is left out, and the report says why.
			if _, err := findLucene(luceneBuild); err == nil {
				t.Errorf("lucene skipped (%s) though it is set up", m.Skipped)
			}
			if e != nil || !strings.Contains(strings.Join(x.Notes, "\n"), "lucene skipped: ") || !strings.Contains(table.String(), "| skipped |") {
				t.Errorf("lucene skipped without a note: %+v %v\n%s", e, x.Notes, table.String())
			}
			t.Logf("lucene skipped: %s", m.Skipped)
			continue
		}
		if e == nil || m == nil || m.Failed != "" {
			t.Errorf("%s: no figures (%+v)\n%s", name, m, log.String())
			continue
		}
		if e.BuildDocsPerS <= 0 || e.IndexBytes <= 0 || e.PeakRSSBytes <= 0 {
			t.Errorf("%s: build %v docs/s, %d bytes, rss %d", name, e.BuildDocsPerS, e.IndexBytes, e.PeakRSSBytes)
		}
		for _, c := range Classes {
			if _, ok := e.Queries[c]; !ok {
				t.Errorf("%s: no %s figures", name, c)
			}
		}
		if m.Mismatches != 0 || len(m.Errors) != 0 {
			t.Errorf("%s: %d answers differ from the exact ones, errors %v", name, m.Mismatches, m.Errors)
		}
	}
	for _, mm := range x.Mismatches {
		t.Logf("mismatch: %+v", mm)
	}
	if rep.Ratios.Build <= 0 {
		t.Errorf("ratios %+v", rep.Ratios)
	}
	if rep.Engines["lucene"] != nil && (rep.Ratios.BuildVsLucene <= 0 || rep.Ratios.FacetedP99VsLucene <= 0 || rep.Ratios.PhraseP50VsLucene <= 0) {
		t.Errorf("ratios against lucene %+v", rep.Ratios)
	}
	if e := rep.Engines["inlsearch"]; e == nil || e.Reindex == nil || e.Reindex.Full <= 0 || e.Reindex.Changed1 <= 0 || e.Reindex.Unchanged <= 0 {
		t.Errorf("inlsearch re-index figures missing: %+v", e)
	} else if m := r["engines"].(map[string]any)["inlsearch"].(map[string]any)["reindex"].(map[string]any); len(m) != 3 || m["full_s"] == nil || m["changed_1pct_s"] == nil || m["unchanged_s"] == nil {
		t.Errorf("reindex JSON %v", m)
	}
	if e := rep.Engines["inlsearch"]; e == nil || e.Research == nil {
		t.Errorf("inlsearch research figures missing: %+v", e)
	} else {
		rs := e.Research
		for _, c := range ResearchClasses {
			if st, ok := rs.Classes[c]; !ok || st.P50 <= 0 || st.P99 < st.P50 {
				t.Errorf("research class %s: %+v (present %v)", c, st, ok)
			}
		}
		if rs.Classes["grouped"].MeanHits != rs.Classes["ungrouped"].MeanHits || rs.Classes["similar"].MeanHits <= 0 {
			t.Errorf("research hits: grouped %v, ungrouped %v, similar %v", rs.Classes["grouped"].MeanHits, rs.Classes["ungrouped"].MeanHits, rs.Classes["similar"].MeanHits)
		}
		// 300 passages, pages of 8: page 0 (8 passages) and page 100 (none) changed.
		if rs.Changes == nil || rs.Changes.Changed != 8 || rs.Changes.FirstS <= 0 || rs.RegionTimelineVsFaceted <= 0 || rs.GroupedVsUngrouped <= 0 || rs.SimilarFirstMS <= 0 {
			t.Errorf("research figures %+v, changes %+v", rs, rs.Changes)
		}
	}
	if !strings.Contains(table.String(), "| similar |") || !strings.Contains(table.String(), "Changes between") {
		t.Errorf("table without the research figures:\n%s", table.String())
	}
	if x.Crawl == nil || x.Crawl.Failed != "" || x.Crawl.Pages == 0 {
		t.Errorf("crawl side: %+v", x.Crawl)
	}
	t.Log("\n" + table.String())
	if !strings.Contains(table.String(), "| faceted p50 / p95 / p99 (ms) |") {
		t.Errorf("table:\n%s", table.String())
	}
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// TestHTTP builds `inlsearch serve`, serves a tiny index and loads it.
func TestHTTP(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build inlsearch")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := mustCorpus(t, 200)
	dir := t.TempDir()
	if _, err := (&inlEngine{}).Build(ctx, c, dir); err != nil {
		t.Fatal(err)
	}
	paths := mixedPaths(append(c.Queries("term", 3, querySeed), c.Queries("faceted", 3, querySeed)...))
	var log strings.Builder
	h, more, err := httpTest(ctx, "..", dir, paths, 2, time.Second, nil, &log)
	if err != nil {
		t.Fatalf("http: %v\n%s", err, log.String())
	}
	if h.QPS <= 0 || h.Errors != 0 || more.Requests == 0 {
		t.Errorf("http %+v, %+v", h, more)
	}
}

// TestWords checks the premises of the exact answers: synthetic words are
// distinct, the Porter stemmer leaves them as they are, planted words are
// not in the vocabulary, and phrases share no adjacent pair.
func TestWords(t *testing.T) {
	c := mustCorpus(t, 10)
	seen := map[string]bool{}
	check := func(w string) {
		if seen[w] {
			t.Errorf("word %q twice", w)
		}
		seen[w] = true
		if s := porter.StemString(w); s != w {
			t.Errorf("porter stems %q to %q", w, s)
		}
	}
	for _, w := range c.vocab {
		check(w)
	}
	for _, ts := range c.Terms {
		for _, w := range ts {
			check(w)
		}
	}
	for _, w := range c.Pool {
		check(w)
	}
	pairs := map[string]bool{}
	for _, ps := range c.Phrases {
		for _, p := range ps {
			for i := 0; i+1 < len(p); i++ {
				k := p[i] + " " + p[i+1]
				if pairs[k] {
					t.Errorf("pair %q in two phrases", k)
				}
				pairs[k] = true
			}
		}
	}
}

// TestPassages checks that passages are deterministic, 3–8 KB, and hold their planted words.
func TestPassages(t *testing.T) {
	c := mustCorpus(t, 2000)
	for _, i := range []int{0, 1, 77, 1999} {
		t.Run(c.Passage(i).ID, func(t *testing.T) {
			a, b := c.Passage(i), c.Passage(i)
			if a.Text != b.Text || strings.Join(a.Countries, ",") != strings.Join(b.Countries, ",") {
				t.Fatal("passage differs between two calls")
			}
			if n := len(a.Text); n < minTextBytes || n > maxTextBytes+1000 {
				t.Errorf("text of %d bytes", n)
			}
			words := strings.Fields(strings.ReplaceAll(a.Text, ".", " "))
			for l, ts := range c.Terms {
				for k, w := range ts {
					if c.has(kindTerm, l, k, i) != containsStr(words, w) {
						t.Errorf("term %s: planted %v, in text %v", w, c.has(kindTerm, l, k, i), containsStr(words, w))
					}
				}
			}
			if len(a.Organizations) == 0 || len(a.Countries) == 0 || len(a.Topics) == 0 || len(a.Years) == 0 {
				t.Errorf("tags %+v", a)
			}
		})
	}
}

// TestTruthLevels checks that planted frequencies are near their levels.
func TestTruthLevels(t *testing.T) {
	c := mustCorpus(t, 20000)
	var qs []Query
	for l := range Levels {
		qs = append(qs, Query{Words: []string{c.Terms[l][0]}, Op: "and"})
	}
	ans := c.Truth(qs)
	for l, a := range ans {
		want := Levels[l] * float64(c.N)
		if f := float64(a.Total); f < want*0.5-3 || f > want*1.5+3 {
			t.Errorf("level %s: %d passages, want about %.0f", LevelNames[l], a.Total, want)
		}
	}
}

func TestPercentiles(t *testing.T) {
	ms := make([]float64, 100)
	for i := range ms {
		ms[i] = float64(100 - i)
	}
	sort.Float64s(ms)
	got := percentiles(ms)
	if got.P50 != 50 || got.P95 != 95 || got.P99 != 99 {
		t.Errorf("percentiles %+v", got)
	}
}

// TestIncrementalReindex: the re-crawl where 1 % of the pages changed
// writes only their passages, the unchanged one writes none, and both
// publish every passage.
func TestIncrementalReindex(t *testing.T) {
	c := mustCorpus(t, 1600)
	r, _, err := measureReindex(context.Background(), c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("index step: full %.3fs, 1%% changed %.3fs, unchanged %.3fs", r.Full, r.Changed1, r.Unchanged)
	changed := 0
	for i := range c.N {
		if incrChanged(i) {
			changed++
		}
	}
	want := [3]struct{ added, kept, deleted int }{{c.N, 0, 0}, {changed, c.N - changed, changed}, {0, c.N, 0}}
	for i, b := range r.Builds {
		if b.Added != want[i].added || b.Kept != want[i].kept || b.Deleted != want[i].deleted {
			t.Errorf("build %d: %+v, want %+v", i, b, want[i])
		}
	}
	if r.Full <= 0 || r.Changed1 <= 0 || r.Unchanged <= 0 {
		t.Errorf("times %+v, want each measured", r)
	}
}
