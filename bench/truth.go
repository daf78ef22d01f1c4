package main

import (
	"runtime"
	"sync"

	"github.com/inlsearch/inlsearch/search"
)

// where locates a planted word or phrase: its kind, level and number.
type where struct{ kind, level, k int }

// Truth computes the exact answer of every query from the generator alone,
// without generating any text: planted items are known by their hash, tags
// by their own random stream. Its answers are those of a flat engine (a
// selected region is the passages tagged with it; no published_year
// facet); TruthInl's are inlsearch's.
func (c *Corpus) Truth(qs []Query) []Answer { return c.truth(qs, false) }

// TruthInl is Truth as inlsearch answers since issue #12: a selected
// region also selects the passages of its countries (the hierarchy), and
// the published_year facet counts the year of each passage's date.
func (c *Corpus) TruthInl(qs []Query) []Answer { return c.truth(qs, true) }

func (c *Corpus) truth(qs []Query, inl bool) []Answer {
	loc := map[string]where{}
	for l, ts := range c.Terms {
		for k, w := range ts {
			loc[w] = where{kindTerm, l, k}
		}
	}
	for l, ps := range c.Phrases {
		for k, p := range ps {
			loc[phraseKey(p)] = where{kindPhrase, l, k}
		}
	}
	workers := runtime.GOMAXPROCS(0)
	parts := make([][]partial, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			acc := make([]partial, len(qs))
			for i := w; i < c.N; i += workers {
				t := c.TagsOf(i)
				for j := range qs {
					acc[j].add(c, loc, &qs[j], i, &t, inl)
				}
			}
			parts[w] = acc
		})
	}
	wg.Wait()
	out := make([]Answer, len(qs))
	for j := range qs {
		total := 0
		counts := map[string]map[string]int{}
		for _, p := range parts {
			total += p[j].total
			for f, m := range p[j].counts {
				if counts[f] == nil {
					counts[f] = map[string]int{}
				}
				for v, n := range m {
					counts[f][v] += n
				}
			}
		}
		out[j].Total = total
		if qs[j].Facets {
			out[j].Facets = map[string][]string{}
			for _, f := range search.Facets {
				if f == search.FacetPublishedYear && !inl {
					continue
				}
				out[j].Facets[f] = topValues(counts[f])
			}
		}
	}
	return out
}

func phraseKey(ws []string) string {
	s := ""
	for _, w := range ws {
		s += w + " "
	}
	return s
}

type partial struct {
	total  int
	counts map[string]map[string]int
}

func (p *partial) add(c *Corpus, loc map[string]where, q *Query, i int, t *Tags, inl bool) {
	if !c.matches(loc, q, i) {
		return
	}
	failed := -1 // index of the one failing filter, -2 for several
	for fi, f := range q.Filters {
		if !containsStr(c.values(t, f.Facet, inl), f.Value) {
			if failed == -1 {
				failed = fi
			} else {
				failed = -2
			}
		}
	}
	if failed == -1 {
		p.total++
	}
	if !q.Facets || failed == -2 {
		return
	}
	if p.counts == nil {
		p.counts = map[string]map[string]int{}
	}
	for _, facet := range search.Facets {
		if facet == search.FacetPublishedYear && !inl {
			continue
		}
		// A facet's counts apply every filter but its own.
		ok := failed == -1 || q.Filters[failed].Facet == facet
		if !ok {
			continue
		}
		m := p.counts[facet]
		if m == nil {
			m = map[string]int{}
			p.counts[facet] = m
		}
		for _, v := range c.values(t, facet, inl) {
			m[v]++
		}
	}
}

// values are the values of facet a passage tagged t has in inlsearch's
// index (inl) or a flat engine's: in inlsearch's, a region holds the
// passages of its countries (the hierarchy: selecting it selects them, its
// count counts them).
func (c *Corpus) values(t *Tags, facet string, inl bool) []string {
	vs := t.Values(facet)
	if !inl || facet != search.FacetRegion {
		return vs
	}
	out := append([]string(nil), vs...)
	for _, country := range t.Countries {
		for _, r := range c.Tax.regionsOf[country] {
			if !containsStr(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

func (c *Corpus) matches(loc map[string]where, q *Query, i int) bool {
	if len(q.Words) == 0 {
		return true
	}
	if q.Op == "phrase" {
		w := loc[phraseKey(q.Words)]
		return c.has(w.kind, w.level, w.k, i)
	}
	for _, word := range q.Words {
		w := loc[word]
		hit := c.has(w.kind, w.level, w.k, i)
		if q.Op == "or" && hit {
			return true
		}
		if q.Op != "or" && !hit {
			return false
		}
	}
	return q.Op != "or"
}
