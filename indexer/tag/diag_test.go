package tag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html/charset"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer/extract"
)

// Diagnostics for tuning, run by hand and skipped otherwise:
//
//	TAG_DEBUG=/path/ [TAG_KEY=topic] [TAG_TEXT=1] go test -run TestDiagPage -v   passages and provenance of one demo page
//	TAG_SCORES=1 go test -run TestDiagTopicScores -v                              topic scores of the gold misses
//	TAG_SWEEP=1 go test -run TestDiagSweep -v                                     topic F1 over a grid of parameters

type diagGold struct {
	Path   string   `json:"path"`
	Topics []string `json:"topics"`
}

func diagLoad(tb testing.TB, path string) *extract.Page {
	tb.Helper()
	body, ctype, err := corpus.Render(path)
	if err != nil {
		tb.Fatalf("render %s: %v", path, err)
	}
	r, err := charset.NewReader(bytes.NewReader(body), ctype)
	if err != nil {
		tb.Fatalf("charset %s: %v", path, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	page, err := extract.Extract("http://127.0.0.1:8080"+path, b)
	if err != nil {
		tb.Fatalf("extract %s: %v", path, err)
	}
	return page
}

func diagGoldPages(tb testing.TB) []diagGold {
	tb.Helper()
	names, err := filepath.Glob("../../corpus/gold/*.json")
	if err != nil {
		tb.Fatal(err)
	}
	var gold []diagGold
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		var g []diagGold
		if err := json.Unmarshal(b, &g); err != nil {
			tb.Fatal(err)
		}
		gold = append(gold, g...)
	}
	sort.Slice(gold, func(i, j int) bool { return gold[i].Path < gold[j].Path })
	return gold
}

func TestDiagPage(t *testing.T) {
	path := os.Getenv("TAG_DEBUG")
	if path == "" {
		t.Skip("TAG_DEBUG not set")
	}
	tg := MustNew()
	page := diagLoad(t, path)
	t.Logf("title %q published %v", page.Title, page.Published)
	for _, p := range page.Passages {
		tags := tg.Tag(Input{URL: "http://127.0.0.1:8080" + path, Title: page.Title, Headings: p.Headings, Text: p.Text, Published: page.Published})
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
		t.Logf("%s", strings.Join(prov, "\n"))
	}
}

func TestDiagTopicScores(t *testing.T) {
	if os.Getenv("TAG_SCORES") == "" {
		t.Skip("TAG_SCORES not set")
	}
	tg := MustNew()
	defer func() { tg.debugTopics = nil }()
	for _, g := range diagGoldPages(t) {
		page := diagLoad(t, g.Path)
		best, why := map[string]float64{}, map[string]string{}
		tg.debugTopics = func(topic string, head, body, th float64, words []string) {
			ratio := (head + body) / th
			if head >= headingAlone {
				ratio = max(ratio, head/headingAlone)
			}
			if ratio > best[topic] {
				best[topic] = ratio
				why[topic] = fmt.Sprintf("%.2f (h %.1f b %.1f th %.1f) %q", ratio, head, body, th, words)
			}
		}
		for _, p := range page.Passages {
			tg.Tag(Input{Title: page.Title, Headings: p.Headings, Text: p.Text})
		}
		want := map[string]bool{}
		for _, x := range g.Topics {
			want[x] = true
		}
		var lines []string
		for topic, ratio := range best {
			if (ratio >= 1) != want[topic] && ratio > 0.3 {
				mark := map[bool]string{true: "FN", false: "FP"}[want[topic]]
				lines = append(lines, fmt.Sprintf("  %s %-35s %s", mark, topic, why[topic]))
			}
		}
		for topic := range want {
			if _, ok := best[topic]; !ok {
				lines = append(lines, fmt.Sprintf("  FN %-35s no signal", topic))
			}
		}
		sort.Strings(lines)
		if len(lines) > 0 {
			t.Logf("%s\n%s", g.Path, strings.Join(lines, "\n"))
		}
	}
}

func TestDiagSweep(t *testing.T) {
	if os.Getenv("TAG_SWEEP") == "" {
		t.Skip("TAG_SWEEP not set")
	}
	tg := MustNew()
	type page struct {
		title string
		ps    []extract.Passage
		want  map[string]bool
	}
	var pages []page
	for _, g := range diagGoldPages(t) {
		pg := diagLoad(t, g.Path)
		w := map[string]bool{}
		for _, x := range g.Topics {
			w[x] = true
		}
		pages = append(pages, page{pg.Title, pg.Passages, w})
	}
	saved := [4]float64{baseThreshold, listFactor, weakCap, repeatBonus}
	defer func() { baseThreshold, listFactor, weakCap, repeatBonus = saved[0], saved[1], saved[2], saved[3] }()
	for _, th := range []float64{3, 3.5, 4} {
		for _, rb := range []float64{0.5, 1} {
			for _, wc := range []float64{2, 2.5, 3} {
				baseThreshold, repeatBonus, weakCap = th, rb, wc
				tp, fp, fn := 0, 0, 0
				for _, p := range pages {
					got := map[string]bool{}
					for _, ps := range p.ps {
						for _, x := range tg.Tag(Input{Title: p.title, Headings: ps.Headings, Text: ps.Text}).Topics {
							got[x] = true
						}
					}
					for x := range got {
						if p.want[x] {
							tp++
						} else {
							fp++
						}
					}
					for x := range p.want {
						if !got[x] {
							fn++
						}
					}
				}
				pr, rc := float64(tp)/float64(max(1, tp+fp)), float64(tp)/float64(max(1, tp+fn))
				t.Logf("threshold %.1f repeat %.2f weakcap %.1f  P %.3f R %.3f F1 %.3f", th, rb, wc, pr, rc, 2*pr*rc/max(1e-9, pr+rc))
			}
		}
	}
}
