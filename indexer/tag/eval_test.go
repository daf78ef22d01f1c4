package tag_test

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
	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/indexer/tag/learn"
)

func mustGold(tb testing.TB) []learn.GoldPage {
	tb.Helper()
	names, err := filepath.Glob("../../corpus/gold/*.json")
	if err != nil {
		tb.Fatal(err)
	}
	var out []learn.GoldPage
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		var gp []learn.GoldPage
		if err := json.Unmarshal(b, &gp); err != nil {
			tb.Fatalf("parse %s: %v", n, err)
		}
		out = append(out, gp...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// tagPage renders, extracts and tags one page of the demo site.
func tagPage(tb testing.TB, tg *tag.Tagger, path string) (tag.Tags, string) {
	tb.Helper()
	body, ctype, err := corpus.Render(path)
	if err != nil {
		tb.Fatalf("render %s: %v", path, err)
	}
	return tagHTML(tb, tg, "http://127.0.0.1:8080"+path, body, ctype)
}

// tagHTML decodes, extracts and tags one page as the crawl job does
// (Tagger.TagPage): the union of its passages' tags, the year of its date,
// and its type.
func tagHTML(tb testing.TB, tg *tag.Tagger, pageURL string, body []byte, ctype string) (tag.Tags, string) {
	tb.Helper()
	tags, typ, _ := tagHTMLText(tb, tg, pageURL, body, ctype)
	return tags, typ
}

// tagHTMLText is tagHTML that also returns the text the tagger read: the
// page's title, and each passage's innermost heading and text.
func tagHTMLText(tb testing.TB, tg *tag.Tagger, pageURL string, body []byte, ctype string) (tag.Tags, string, string) {
	tb.Helper()
	r, err := charset.NewReader(bytes.NewReader(body), ctype)
	if err != nil {
		tb.Fatalf("charset %s: %v", pageURL, err)
	}
	utf8Body, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("decode %s: %v", pageURL, err)
	}
	page, err := extract.Extract(pageURL, utf8Body)
	if err != nil {
		tb.Fatalf("extract %s: %v", pageURL, err)
	}
	sets := map[string]map[string]bool{"o": {}, "c": {}, "r": {}, "t": {}, "found": {}}
	years := map[int]bool{}
	var full strings.Builder
	in := tag.Page{URL: pageURL, Title: page.Title, Site: page.Site, Published: page.Published}
	for _, p := range page.Passages {
		in.Passages = append(in.Passages, tag.PagePassage{Headings: p.Headings, Text: p.Text})
	}
	for i, tags := range tg.TagPage(in) {
		p := page.Passages[i]
		for k, list := range map[string][]string{"o": tags.Organizations, "c": tags.Countries, "r": tags.Regions, "t": tags.Topics,
			"found": tags.FoundOrganizations} {
			for _, v := range list {
				sets[k][v] = true
			}
		}
		for _, y := range tags.Years {
			years[y] = true
		}
		if n := len(p.Headings); n > 0 {
			full.WriteString(p.Headings[n-1] + "\n")
		}
		full.WriteString(p.Text + "\n")
	}
	if !page.Published.IsZero() {
		years[page.Published.Year()] = true
	}
	// the gold lists taxonomy organizations; found ones are scored apart
	for v := range sets["found"] {
		delete(sets["o"], v)
	}
	out := tag.Tags{FoundOrganizations: keys(sets["found"])}
	out.Organizations, out.Countries, out.Regions, out.Topics = keys(sets["o"]), keys(sets["c"]), keys(sets["r"]), keys(sets["t"])
	for y := range years {
		out.Years = append(out.Years, y)
	}
	sort.Ints(out.Years)
	return out, tg.TypeOf(pageURL, page.Title, page.Site, full.String()), page.Title + "\n" + full.String()
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func yearStrings(ys []int) []string {
	out := make([]string, len(ys))
	for i, y := range ys {
		out[i] = fmt.Sprint(y)
	}
	return out
}

// TestEvalGold measures the tagger on the demo site's gold tags (page level)
// and fails below the thresholds of the project brief.
func TestEvalGold(t *testing.T) {
	gold := mustGold(t)
	if len(gold) == 0 {
		t.Skip("no gold files yet")
	}
	tg := tag.MustNew()
	facets := []string{"organization", "country", "region", "topic", "year"}
	scores := map[string]*learn.Score{}
	for _, f := range facets {
		scores[f] = &learn.Score{}
	}
	typeOK := 0
	for _, g := range gold {
		got, typ := tagPage(t, tg, g.Path)
		pairs := map[string][2][]string{
			"organization": {got.Organizations, g.Organizations},
			"country":      {got.Countries, g.Countries},
			"region":       {got.Regions, g.Regions},
			"topic":        {got.Topics, g.Topics},
			"year":         {yearStrings(got.Years), yearStrings(g.Years)},
		}
		var misses []string
		for _, f := range facets {
			fp, fn := scores[f].Compare(pairs[f][0], pairs[f][1])
			if len(fp)+len(fn) > 0 {
				misses = append(misses, fmt.Sprintf("  %s: +%q -%q", f, fp, fn))
			}
		}
		if typ == g.Type {
			typeOK++
		} else {
			misses = append(misses, fmt.Sprintf("  type: got %q, want %q", typ, g.Type))
		}
		if testing.Verbose() && len(misses) > 0 {
			t.Logf("%s\n%s", g.Path, strings.Join(misses, "\n"))
		}
	}
	thresholds := map[string]float64{"organization": 0.90, "country": 0.95, "topic": 0.80, "year": 0.90}
	for _, f := range facets {
		p, r, f1 := scores[f].PRF()
		t.Logf("%-12s P %.3f  R %.3f  F1 %.3f  (tp %d fp %d fn %d)", f, p, r, f1, scores[f].TP, scores[f].FP, scores[f].FN)
		if min, ok := thresholds[f]; ok && f1 < min {
			t.Errorf("%s F1 = %.3f, want >= %.2f", f, f1, min)
		}
	}
	t.Logf("type accuracy %.3f (%d/%d)", float64(typeOK)/float64(len(gold)), typeOK, len(gold))
}
