package learn

import (
	"fmt"
	"sort"
	"strings"

	"github.com/inlsearch/inlsearch/indexer/tag"
)

// Diagnosis counts, per facet and value, the pages where a tagger gave the
// value against the labels (false positives) and where it missed it (false
// negatives), with the pages of each.
type Diagnosis struct {
	Values map[string]map[string]*ValueMiss
	Scores map[string]*Score
}

// ValueMiss is one facet value's false positive and false negative pages.
type ValueMiss struct{ FP, FN []string }

// Diagnose tags docs with tg and collects the organization, country, year,
// topic and type errors by value (the type's under "type", as "got → want").
func Diagnose(tg *tag.Tagger, docs []*Doc) Diagnosis {
	dg := Diagnosis{Values: map[string]map[string]*ValueMiss{}, Scores: map[string]*Score{}}
	add := func(facet, value, page string, fp bool) {
		if dg.Values[facet] == nil {
			dg.Values[facet] = map[string]*ValueMiss{}
		}
		v := dg.Values[facet][value]
		if v == nil {
			v = &ValueMiss{}
			dg.Values[facet][value] = v
		}
		if fp {
			v.FP = append(v.FP, page)
		} else {
			v.FN = append(v.FN, page)
		}
	}
	for _, d := range docs {
		tags := tg.TagPage(d.Page)
		ev := map[string]string{}
		for _, t := range tags {
			for k, v := range t.Evidence {
				if ev[k] == "" {
					ev[k] = v
				}
			}
		}
		got, want := gotValues(tags, d), wantValues(d)
		for _, f := range []struct {
			name      string
			got, want []string
		}{{"topic", got.topics, want.topics}, {"organization", got.orgs, want.orgs},
			{"country", got.countries, want.countries}, {"year", got.years, want.years},
			{"found organization", got.found, want.found}} {
			if dg.Scores[f.name] == nil {
				dg.Scores[f.name] = &Score{}
			}
			fp, fn := dg.Scores[f.name].Compare(f.got, f.want)
			for _, x := range fp {
				page := d.Path
				if e := ev[f.name+":"+x]; e != "" && f.name != "topic" {
					page += " «" + e + "»"
				}
				add(f.name, x, page, true)
			}
			for _, x := range fn {
				add(f.name, x, d.Path, false)
			}
		}
		if typ := tg.TypeOf(d.URL, d.Page.Title, d.Page.Site, d.Text); typ != d.Label.Type {
			add("type", typ+" → "+d.Label.Type, d.Path, true)
		}
	}
	return dg
}

// String lists each facet's values by their error count, most first.
func (dg Diagnosis) String() string {
	var b strings.Builder
	facets := make([]string, 0, len(dg.Values))
	for f := range dg.Values {
		facets = append(facets, f)
	}
	sort.Strings(facets)
	for _, f := range facets {
		vals := make([]string, 0, len(dg.Values[f]))
		for v := range dg.Values[f] {
			vals = append(vals, v)
		}
		sort.Slice(vals, func(i, j int) bool {
			a, c := dg.Values[f][vals[i]], dg.Values[f][vals[j]]
			if x, y := len(a.FP)+len(a.FN), len(c.FP)+len(c.FN); x != y {
				return x > y
			}
			return vals[i] < vals[j]
		})
		if s := dg.Scores[f]; s != nil {
			p, r, f1 := s.PRF()
			fmt.Fprintf(&b, "## %s: P %.3f R %.3f F1 %.3f (%d true positives, %d false positives, %d false negatives)\n",
				f, p, r, f1, s.TP, s.FP, s.FN)
		} else {
			fmt.Fprintf(&b, "## %s\n", f)
		}
		for _, v := range vals {
			m := dg.Values[f][v]
			fmt.Fprintf(&b, "%-50s +%d -%d\n", v, len(m.FP), len(m.FN))
			for _, p := range m.FP {
				fmt.Fprintf(&b, "    + %s\n", p)
			}
			if len(m.FN) > 0 {
				fmt.Fprintf(&b, "    - %s\n", strings.Join(m.FN, " "))
			}
		}
	}
	return b.String()
}
