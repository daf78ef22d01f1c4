package tag

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/extract"
)

// TestDiagHoldoutPage prints the passages of one held-out page with their
// provenance and topic scores; run by hand and skipped otherwise:
//
//	HOLDOUT_DEBUG=file.html [TAG_KEY=topic] [TAG_TEXT=1] go test -run TestDiagHoldoutPage -v
func TestDiagHoldoutPage(t *testing.T) {
	name := os.Getenv("HOLDOUT_DEBUG")
	if name == "" {
		t.Skip("HOLDOUT_DEBUG not set")
	}
	body, err := os.ReadFile(filepath.Join("testdata", "holdout", name))
	if err != nil {
		t.Fatal(err)
	}
	pageURL := "https://example.gov/" + name
	page, err := extract.Extract(pageURL, body)
	if err != nil {
		t.Fatal(err)
	}
	tg := MustNew()
	defer func() { tg.debugTopics = nil }()
	var scores []string
	tg.debugTopics = func(topic string, head, body, th float64, words []string) {
		scores = append(scores, fmt.Sprintf("  score %-35s h %.1f b %.1f th %.1f %q", topic, head, body, th, words))
	}
	t.Logf("title %q published %v", page.Title, page.Published)
	for _, p := range page.Passages {
		scores = nil
		tags := tg.Tag(Input{URL: pageURL, Title: page.Title, Headings: p.Headings, Text: p.Text, Published: page.Published})
		var prov []string
		for k, v := range tags.Provenance {
			if strings.HasPrefix(k, os.Getenv("TAG_KEY")) {
				prov = append(prov, k+" ← "+strings.Join(v, " / "))
			}
		}
		sort.Strings(prov)
		if os.Getenv("TAG_TEXT") != "" {
			t.Logf("--- %q\n%s", p.Headings, p.Text)
		} else {
			t.Logf("--- %q (%d words)", p.Headings, len(strings.Fields(p.Text)))
		}
		t.Logf("%s\n%s", strings.Join(prov, "\n"), strings.Join(scores, "\n"))
	}
}

type sweepPage struct {
	url, title string
	ps         []extract.Passage
	want       map[string]bool
}

func sweepLoad(tb testing.TB) (demo, hold []sweepPage) {
	tb.Helper()
	for _, g := range diagGoldPages(tb) {
		pg := diagLoad(tb, g.Path)
		w := map[string]bool{}
		for _, x := range g.Topics {
			w[x] = true
		}
		demo = append(demo, sweepPage{"http://127.0.0.1:8080" + g.Path, pg.Title, pg.Passages, w})
	}
	b, err := os.ReadFile(filepath.Join("testdata", "holdout", "gold.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var hg []struct {
		Path   string   `json:"path"`
		Topics []string `json:"topics"`
	}
	if err := json.Unmarshal(b, &hg); err != nil {
		tb.Fatal(err)
	}
	for _, g := range hg {
		if strings.HasPrefix(g.Path, "final") { // final-* and final2-*: never tuned on
			continue
		}
		body, err := os.ReadFile(filepath.Join("testdata", "holdout", g.Path))
		if err != nil {
			tb.Fatal(err)
		}
		u := "https://example.gov/" + g.Path
		pg, err := extract.Extract(u, body)
		if err != nil {
			tb.Fatal(err)
		}
		w := map[string]bool{}
		for _, x := range g.Topics {
			w[x] = true
		}
		hold = append(hold, sweepPage{u, pg.Title, pg.Passages, w})
	}
	return demo, hold
}

func sweepF1(tg *Tagger, pages []sweepPage) (p, r, f float64) {
	tp, fp, fn := 0, 0, 0
	for _, pg := range pages {
		got := map[string]bool{}
		in := Page{URL: pg.url, Title: pg.title}
		for _, ps := range pg.ps {
			in.Passages = append(in.Passages, PagePassage{Headings: ps.Headings, Text: ps.Text})
		}
		for _, tags := range tg.TagPage(in) {
			for _, x := range tags.Topics {
				got[x] = true
			}
		}
		for x := range got {
			if pg.want[x] {
				tp++
			} else {
				fp++
			}
		}
		for x := range pg.want {
			if !got[x] {
				fn++
			}
		}
	}
	p, r = float64(tp)/float64(max(1, tp+fp)), float64(tp)/float64(max(1, tp+fn))
	return p, r, 2 * p * r / max(1e-9, p+r)
}

// TestDiagHoldoutSweep prints topic scores of the demo gold and the holdout
// tuning pages over a grid of scoring parameters (HOLDOUT_SWEEP=1).
func TestDiagHoldoutSweep(t *testing.T) {
	if os.Getenv("HOLDOUT_SWEEP") == "" {
		t.Skip("HOLDOUT_SWEEP not set")
	}
	demo, hold := sweepLoad(t)
	tg := MustNew()
	saved := [3]float64{baseThreshold, weakCap, listFactor}
	defer func() { baseThreshold, weakCap, listFactor = saved[0], saved[1], saved[2] }()
	for _, th := range []float64{3, 3.5, 4} {
		for _, wc := range []float64{2.5, 3} {
			for _, lf := range []float64{0.5, 1} {
				baseThreshold, weakCap, listFactor = th, wc, lf
				dp, dr, df := sweepF1(tg, demo)
				hp, hr, hf := sweepF1(tg, hold)
				t.Logf("threshold %.1f weakcap %.1f list %.1f  demo P %.3f R %.3f F1 %.3f | holdout P %.3f R %.3f F1 %.3f",
					th, wc, lf, dp, dr, df, hp, hr, hf)
			}
		}
	}
}

// TestDiagPageTopics lists, for the demo gold and the holdout tuning pages,
// the topics that only the page-level evidence adds, marked right (+) or
// wrong (-) by the gold, with the page score (PAGE_TOPICS=1).
func TestDiagPageTopics(t *testing.T) {
	if os.Getenv("PAGE_TOPICS") == "" {
		t.Skip("PAGE_TOPICS not set")
	}
	demo, hold := sweepLoad(t)
	tg := MustNew()
	for _, pg := range append(demo, hold...) {
		in := Page{URL: pg.url, Title: pg.title}
		plain := map[string]bool{}
		for _, ps := range pg.ps {
			in.Passages = append(in.Passages, PagePassage{Headings: ps.Headings, Text: ps.Text})
			for _, x := range tg.Tag(Input{URL: pg.url, Title: pg.title, Headings: ps.Headings, Text: ps.Text}).Topics {
				plain[x] = true
			}
		}
		var lines []string
		tg.debugPage = func(topic string, score, th float64, words []string) {
			if !plain[topic] && (score/th > 0.6 || pg.want[topic]) {
				mark := map[bool]string{true: "+", false: "-"}[pg.want[topic]]
				lines = append(lines, fmt.Sprintf("  score %s %-30s %.1f / %.1f = %.2f %q", mark, topic, score, th, score/th, words))
			}
		}
		for i, tags := range tg.TagPage(in) {
			for _, x := range tags.Topics {
				if !plain[x] {
					mark := map[bool]string{true: "+", false: "-"}[pg.want[x]]
					lines = append(lines, fmt.Sprintf("  %s %-30s passage %d %q ← %q", mark, x, i, pg.ps[i].Headings, tags.Provenance["topic:"+x]))
				}
			}
		}
		if len(lines) > 0 {
			t.Logf("%s (%d passages)\n%s", pg.url, len(pg.ps), strings.Join(lines, "\n"))
		}
	}
}

// TestDiagPageSweep prints the topic figures of the demo gold and the holdout
// tuning pages over a range of page-level thresholds (PAGE_SWEEP=1).
func TestDiagPageSweep(t *testing.T) {
	if os.Getenv("PAGE_SWEEP") == "" {
		t.Skip("PAGE_SWEEP not set")
	}
	demo, hold := sweepLoad(t)
	tg := MustNew()
	saved := [2]float64{pageBaseThreshold, pageMaxThreshold}
	savedList := pageListAll
	defer func() { pageBaseThreshold, pageMaxThreshold, pageListAll = saved[0], saved[1], savedList }()
	for _, base := range []float64{3.5, 4, 4.5, 5, 5.5, 6, 100} {
		for _, th := range []float64{6, 8, 10, 1000} {
			for _, la := range []bool{false, true} {
				pageBaseThreshold, pageMaxThreshold, pageListAll = base, th, la
				dp, dr, df := sweepF1(tg, demo)
				hp, hr, hf := sweepF1(tg, hold)
				t.Logf("page base %.1f cap %5.1f list %-5v demo P %.3f R %.3f F1 %.3f | holdout P %.3f R %.3f F1 %.3f", base, th, la, dp, dr, df, hp, hr, hf)
			}
		}
	}
}
