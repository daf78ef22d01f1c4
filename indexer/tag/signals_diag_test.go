package tag

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestDiagSignals reports, for every topic signal that occurs on the demo gold
// pages or the holdout tuning pages, on how many pages it occurs and on how
// many of those the gold carries its topic (SIGNALS=1; SIGNALS=all lists the
// signals that agree too). A signal that often occurs on pages without its
// topic collides with another sense or another topic. Text only: titles and
// headings are left out, organization names are masked.
func TestDiagSignals(t *testing.T) {
	mode := os.Getenv("SIGNALS")
	if mode == "" {
		t.Skip("SIGNALS not set")
	}
	demo, hold := sweepLoad(t)
	tg := MustNew()
	type stat struct {
		pages, agree int
		misses       []string
	}
	stats := map[[2]string]*stat{} // topic, signal
	for _, pg := range append(demo, hold...) {
		seen := map[[2]string]bool{}
		for _, ps := range pg.ps {
			s := &source{text: tg.stripBoilerplate(ps.Text)}
			s.toks = tokenize(s.text)
			spans := tg.orgSpans(s)
			for _, h := range tg.topicM.find(s.text, s.toks) {
				if h.e.kind != kindTopic || overlaps(h, spans) {
					continue
				}
				seen[[2]string{tg.topics[h.e.id].Name, h.e.text}] = true
			}
		}
		for k := range seen {
			st := stats[k]
			if st == nil {
				st = &stat{}
				stats[k] = st
			}
			st.pages++
			if pg.want[k[0]] {
				st.agree++
			} else {
				st.misses = append(st.misses, pg.url[strings.LastIndex(strings.TrimRight(pg.url, "/"), "/")+1:])
			}
		}
	}
	var lines []string
	for k, st := range stats {
		if mode != "all" && st.agree == st.pages {
			continue
		}
		lines = append(lines, fmt.Sprintf("%-36s %-28q %2d/%2d %v", k[0], k[1], st.agree, st.pages, st.misses))
	}
	sort.Strings(lines)
	t.Logf("topic signal agree/pages (pages without the topic)\n%s", strings.Join(lines, "\n"))
}
