package tag_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/indexer/tag/learn"
)

// The held-out pages (testdata/holdout) were written in templates unlike the
// demo site's and tagged by hand before the tagger ever saw them. Pages whose
// name starts with finalPrefix were written last and never used for tuning;
// those starting with final2Prefix are a second such set, written after them
// in ten more templates by a different hand, and those starting with
// final3Prefix a third, in ten further templates. Each set's figures are
// reported apart. The base URL hides the publisher's host on purpose: the
// tagger must work from what the page says.
const (
	holdoutDir   = "testdata/holdout"
	holdoutBase  = "https://example.gov/"
	finalPrefix  = "final-"
	final2Prefix = "final2-"
	final3Prefix = "final3-"
)

// isFinal reports whether a held-out page belongs to a final set (never tuned on).
func isFinal(path string) bool {
	return strings.HasPrefix(path, finalPrefix) || strings.HasPrefix(path, final2Prefix) ||
		strings.HasPrefix(path, final3Prefix)
}

// holdoutThresholds are the F1 floors of the project brief.
var holdoutThresholds = map[string]float64{"organization": 0.90, "country": 0.95, "topic": 0.80, "year": 0.90}

var holdoutFacets = []string{"organization", "country", "region", "topic", "year"}

func mustHoldoutGold(tb testing.TB) []learn.GoldPage {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(holdoutDir, "gold.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var gold []learn.GoldPage
	if err := json.Unmarshal(b, &gold); err != nil {
		tb.Fatalf("parse gold.json: %v", err)
	}
	sort.Slice(gold, func(i, j int) bool { return gold[i].Path < gold[j].Path })
	return gold
}

// setScore is the outcome of one set of pages.
type setScore struct {
	facets map[string]*learn.Score
	typeOK int
	pages  int
}

func newSetScore() *setScore {
	s := &setScore{facets: map[string]*learn.Score{}}
	for _, f := range holdoutFacets {
		s.facets[f] = &learn.Score{}
	}
	return s
}

// add scores one page against its gold and returns its misses.
func (s *setScore) add(g learn.GoldPage, got tag.Tags, typ string) []string {
	pairs := map[string][2][]string{
		"organization": {got.Organizations, g.Organizations},
		"country":      {got.Countries, g.Countries},
		"region":       {got.Regions, g.Regions},
		"topic":        {got.Topics, g.Topics},
		"year":         {yearStrings(got.Years), yearStrings(g.Years)},
	}
	var misses []string
	for _, f := range holdoutFacets {
		fp, fn := s.facets[f].Compare(pairs[f][0], pairs[f][1])
		if len(fp)+len(fn) > 0 {
			misses = append(misses, fmt.Sprintf("  %s: +%q -%q", f, fp, fn))
		}
	}
	s.pages++
	if typ == g.Type {
		s.typeOK++
	} else {
		misses = append(misses, fmt.Sprintf("  type: got %q, want %q", typ, g.Type))
	}
	return misses
}

func (s *setScore) log(t *testing.T, name string) {
	t.Helper()
	for _, f := range holdoutFacets {
		p, r, f1 := s.facets[f].PRF()
		t.Logf("%-7s %-12s P %.3f  R %.3f  F1 %.3f  (tp %d fp %d fn %d)", name, f, p, r, f1,
			s.facets[f].TP, s.facets[f].FP, s.facets[f].FN)
	}
	if s.pages > 0 {
		t.Logf("%-7s type accuracy %.3f (%d/%d)", name, float64(s.typeOK)/float64(s.pages), s.typeOK, s.pages)
	}
}

// TestHoldout measures the extractor and tagger on the held-out pages (micro
// precision, recall and F1 per facet, type accuracy) and fails below the
// thresholds of the brief on the whole set. With -v it prints each page's misses;
// HOLDOUT_SKIP_FINAL=1 leaves the pages of all final sets out (while tuning).
func TestHoldout(t *testing.T) {
	gold := mustHoldoutGold(t)
	if len(gold) < 20 {
		t.Fatalf("holdout has %d pages, want >= 20", len(gold))
	}
	tg := tag.MustNew()
	all, tuning := newSetScore(), newSetScore()
	final, final2, final3 := newSetScore(), newSetScore(), newSetScore()
	skipFinal := os.Getenv("HOLDOUT_SKIP_FINAL") != ""
	for _, g := range gold {
		if skipFinal && isFinal(g.Path) {
			continue
		}
		body, err := os.ReadFile(filepath.Join(holdoutDir, g.Path))
		if err != nil {
			t.Fatal(err)
		}
		got, typ := tagHTML(t, tg, holdoutBase+g.Path, body, "text/html")
		misses := all.add(g, got, typ)
		switch {
		case strings.HasPrefix(g.Path, finalPrefix):
			final.add(g, got, typ)
		case strings.HasPrefix(g.Path, final2Prefix):
			final2.add(g, got, typ)
		case strings.HasPrefix(g.Path, final3Prefix):
			final3.add(g, got, typ)
		default:
			tuning.add(g, got, typ)
		}
		if testing.Verbose() && len(misses) > 0 {
			t.Logf("%s\n%s", g.Path, strings.Join(misses, "\n"))
		}
	}
	tuning.log(t, "tuning")
	if final.pages > 0 {
		final.log(t, "final")
	}
	if final2.pages > 0 {
		final2.log(t, "final2")
	}
	if final3.pages > 0 {
		final3.log(t, "final3")
	}
	all.log(t, "all")
	for _, f := range holdoutFacets {
		_, _, f1 := all.facets[f].PRF()
		if min, ok := holdoutThresholds[f]; ok && f1 < min {
			t.Errorf("holdout %s F1 = %.3f, want >= %.2f", f, f1, min)
		}
	}
}

// TestHoldoutGoldValues checks that the gold uses only canonical values.
func TestHoldoutGoldValues(t *testing.T) {
	topics := map[string]bool{}
	for _, n := range tag.CanonicalTopics {
		topics[n] = true
	}
	types := map[string]bool{}
	for _, n := range tag.DocumentTypes {
		types[n] = true
	}
	for _, g := range mustHoldoutGold(t) {
		if !types[g.Type] {
			t.Errorf("%s: type %q is not canonical", g.Path, g.Type)
		}
		for _, x := range g.Topics {
			if !topics[x] {
				t.Errorf("%s: topic %q is not canonical", g.Path, x)
			}
		}
		if _, err := os.Stat(filepath.Join(holdoutDir, g.Path)); err != nil {
			t.Errorf("%s: %v", g.Path, err)
		}
	}
}
