package eval

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/search"
)

// matchDepth is how many hits of a query are read to bound its nDCG.
const matchDepth = 100

// minMeanNDCG is the mean nDCG@10 below which the relevance test fails.
const minMeanNDCG = 0.80

var detail = flag.Bool("eval.detail", false, "print every query's top ten with their grades")

// judgment grades the passages of a page, or one section of it.
type judgment struct {
	Page    string `json:"page"`
	Section string `json:"section,omitempty"`
	Grade   int    `json:"grade"`
}

// relQuery is one query of testdata/relevance.json with its judgments.
type relQuery struct {
	ID   string `json:"id"`
	Q    string `json:"q"`
	Note string `json:"note"`
	// Split is "dev" for queries that ranking changes were tried on and
	// "holdout" for queries judged and run only after those changes.
	Split     string              `json:"split"`
	Filters   map[string][]string `json:"filters,omitempty"`
	Judgments []judgment          `json:"judgments"`
}

// MustReadRelevance reads the relevance set.
func MustReadRelevance(tb testing.TB) []relQuery {
	tb.Helper()
	raw, err := os.ReadFile("testdata/relevance.json")
	if err != nil {
		tb.Fatal(err)
	}
	var set struct {
		Queries []relQuery `json:"queries"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		tb.Fatalf("relevance.json: %v", err)
	}
	return set.Queries
}

// sectionMatches reports whether a passage's heading path is want, or ends
// with want after a " › " separator.
func sectionMatches(section, want string) bool {
	return section == want || strings.HasSuffix(section, " › "+want)
}

// grade is the judged grade of d for q: the best matching section
// judgment, else the page's own judgment, else 0.
func (q *relQuery) grade(d *search.Document) int {
	page, sec := -1, -1
	path := pagePath(d)
	for _, j := range q.Judgments {
		switch {
		case j.Page != path:
		case j.Section == "":
			page = max(page, j.Grade)
		case sectionMatches(d.Section, j.Section):
			sec = max(sec, j.Grade)
		}
	}
	if sec >= 0 {
		return sec
	}
	return max(page, 0)
}

// validate checks that every judgment is well formed and grades at least
// one passage of the index.
func (q *relQuery) validate(docs []search.Document) error {
	if q.ID == "" || strings.TrimSpace(q.Q) == "" || len(q.Judgments) == 0 {
		return fmt.Errorf("query %q: id, q and judgments are required", q.ID)
	}
	for _, j := range q.Judgments {
		if j.Grade < 1 || j.Grade > 3 {
			return fmt.Errorf("query %s: grade %d of %s %q is not 1, 2 or 3", q.ID, j.Grade, j.Page, j.Section)
		}
		found := false
		for i := range docs {
			if pagePath(&docs[i]) == j.Page && (j.Section == "" || sectionMatches(docs[i].Section, j.Section)) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("query %s: no passage of %s %q in the index", q.ID, j.Page, j.Section)
		}
	}
	return nil
}

// outcome is one query's scores.
type outcome struct {
	q           *relQuery
	ranked      []int
	hits        []search.Hit
	ndcg, rr    float64
	p5, bound   float64
	total       int
	unreachable int // judged ≥ relevant but excluded by the query's filters
}

func TestRelevance(t *testing.T) {
	ix, docs := MustIndexDemo(t)
	queries := MustReadRelevance(t)
	if len(queries) < 25 {
		t.Fatalf("relevance set has %d queries, want at least 25", len(queries))
	}
	ids := map[string]bool{}
	var outs []outcome
	for i := range queries {
		q := &queries[i]
		if ids[q.ID] {
			t.Fatalf("query id %s is repeated", q.ID)
		}
		ids[q.ID] = true
		if err := q.validate(docs); err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), search.Query{Q: q.Q, Filters: q.Filters, PerPage: matchDepth, NoFacets: true})
		if err != nil {
			t.Fatalf("query %s %q: %v", q.ID, q.Q, err)
		}
		o := outcome{q: q, hits: res.Hits[:min(cutoff, len(res.Hits))], total: res.Total}
		var matched []int
		for j := range res.Hits {
			g := q.grade(&res.Hits[j].Document)
			matched = append(matched, g)
			if j < cutoff {
				o.ranked = append(o.ranked, g)
			}
		}
		var judged []int
		for j := range docs {
			if g := q.grade(&docs[j]); g > 0 {
				judged = append(judged, g)
				if g >= relevant && !passes(&docs[j], q.Filters) {
					o.unreachable++
				}
			}
		}
		o.ndcg, o.rr, o.p5 = ndcg(o.ranked, judged), reciprocalRank(o.ranked), precisionAt(5, o.ranked)
		// the best nDCG any order of the matched passages could reach:
		// what ranking alone can win, the rest is recall
		slices.SortFunc(matched, func(a, b int) int { return b - a })
		o.bound = ndcg(matched, judged)
		outs = append(outs, o)
	}
	report(t, outs)
}

// report logs the table and the means, and fails below minMeanNDCG.
func report(t *testing.T, outs []outcome) {
	t.Helper()
	var sumN, sumRR, sumP, sumB float64
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-26s %6s %5s %4s %5s %4s  %s\n", "query", "nDCG", "RR", "P@5", "bound", "hits", "top 3 (grade: page › section)")
	for _, o := range outs {
		sumN += o.ndcg
		sumRR += o.rr
		sumP += o.p5
		sumB += o.bound
		var top []string
		for i, h := range o.hits[:min(3, len(o.hits))] {
			top = append(top, fmt.Sprintf("%d:%s", o.ranked[i], label(&h.Document)))
		}
		mark := ""
		if o.unreachable > 0 {
			mark = fmt.Sprintf(" [%d relevant outside filters]", o.unreachable)
		}
		fmt.Fprintf(&b, "%-26s %6.3f %5.2f %4.1f %5.2f %4d  %s%s\n", o.q.ID, o.ndcg, o.rr, o.p5, o.bound, o.total, strings.Join(top, " | "), mark)
		if *detail {
			fmt.Fprintf(&b, "    q=%q filters=%v\n", o.q.Q, o.q.Filters)
			for i, h := range o.hits {
				fmt.Fprintf(&b, "    %2d %d %6.3f %s\n", i+1, o.ranked[i], h.Score, label(&h.Document))
			}
		}
	}
	splits := map[string][]float64{}
	for _, o := range outs {
		splits[o.q.Split] = append(splits[o.q.Split], o.ndcg)
	}
	for _, name := range slices.Sorted(maps.Keys(splits)) {
		fmt.Fprintf(&b, "%s: %d queries, nDCG@10 %.3f\n", name, len(splits[name]), meanOf(splits[name]))
	}
	n := float64(len(outs))
	mean := sumN / n
	fmt.Fprintf(&b, "mean over %d queries: nDCG@10 %.3f · MRR %.3f · P@5 %.3f · bound %.3f (best order of the matched passages)\n",
		len(outs), mean, sumRR/n, sumP/n, sumB/n)
	t.Log(b.String())
	if mean < minMeanNDCG {
		t.Errorf("mean nDCG@10 = %.3f, want ≥ %.2f", mean, minMeanNDCG)
	}
}

func meanOf(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// label names a passage briefly: its page title and last heading.
func label(d *search.Document) string {
	sec := d.Section
	if i := strings.LastIndex(sec, " › "); i >= 0 {
		sec = sec[i+len(" › "):]
	}
	if sec == d.Title || sec == "" {
		return clip(d.Title, 48)
	}
	return clip(d.Title, 28) + " › " + clip(sec, 32)
}

// clip shortens s to at most n runes, keeping both ends (page titles tell
// apart at their end: "… Primary Concern – Kenya").
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := (n - 1) / 2
	return string(r[:head]) + "…" + string(r[len(r)-(n-1-head):])
}

// passes reports whether d carries a value of every filtered facet (values
// as display names; an acronym filter would need the vocabulary).
func passes(d *search.Document, filters map[string][]string) bool {
	for facet, vals := range filters {
		var have []string
		switch facet {
		case search.FacetCountry:
			have = d.Countries
		case search.FacetTopic:
			have = d.Topics
		case search.FacetOrganization:
			have = d.Organizations
		case search.FacetRegion:
			have = d.Regions
		default:
			continue
		}
		ok := false
		for _, v := range vals {
			for _, h := range have {
				ok = ok || strings.EqualFold(v, h)
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
