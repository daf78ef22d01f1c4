package main

import (
	"math/rand/v2"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/inlsearch/inlsearch/search"
)

// Query classes, in report order.
var Classes = []string{"term", "and", "or", "phrase", "faceted", "filtered", "deep_page"}

// PerPage is the page size of every query; deep_page asks for page DeepPage.
const (
	PerPage   = 10
	DeepPage  = 50
	FacetSize = 10
)

// Filter is one selected facet value.
type Filter struct{ Facet, Value string }

// Query is one benchmark query, engine-neutral.
type Query struct {
	Class   string
	Words   []string // term, and, or: the words; phrase: the phrase
	Op      string   // "and", "or" or "phrase" (also for a single word)
	Filters []Filter
	Page    int
	Facets  bool // count facets (faceted, filtered)
}

// Inl is the query for package search.
func (q Query) Inl() search.Query {
	// Every word, as FTS5 and bleve answer: the totals are compared with
	// the exact ones (inlsearch's default relaxes a search that few
	// passages match whole).
	sq := search.Query{Q: q.Text(), Page: q.Page, PerPage: PerPage, NoFacets: !q.Facets, FacetSize: FacetSize, Match: search.MatchAll}
	if len(q.Filters) > 0 {
		sq.Filters = map[string][]string{}
		for _, f := range q.Filters {
			sq.Filters[f.Facet] = append(sq.Filters[f.Facet], f.Value)
		}
	}
	return sq
}

// Text is the query in inlsearch's query language (also valid for FTS5).
func (q Query) Text() string {
	switch q.Op {
	case "or":
		return strings.Join(q.Words, " OR ")
	case "phrase":
		return `"` + strings.Join(q.Words, " ") + `"`
	}
	return strings.Join(q.Words, " ")
}

// QueryString is the query in bleve's query-string syntax.
func (q Query) QueryString() string {
	switch q.Op {
	case "or":
		return strings.Join(q.Words, " ")
	case "phrase":
		return `"` + strings.Join(q.Words, " ") + `"`
	}
	if len(q.Words) == 1 {
		return q.Words[0]
	}
	return "+" + strings.Join(q.Words, " +")
}

// URL is the query as a GET /api/v1/search path.
func (q Query) URL() string {
	v := url.Values{}
	if t := q.Text(); t != "" {
		v.Set("q", t)
	}
	for _, f := range q.Filters {
		if f.Facet == search.FacetYear {
			v.Set("year_from", f.Value)
			v.Set("year_to", f.Value)
			continue
		}
		v.Add(f.Facet, f.Value)
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return "/api/v1/search?" + v.Encode()
}

// filterPairs are the facets selected together by faceted and filtered queries.
var filterPairs = [][2]string{
	{search.FacetCountry, search.FacetTopic},
	{search.FacetOrganization, search.FacetCountry},
	{search.FacetTopic, search.FacetRegion},
	{search.FacetOrganization, search.FacetYear},
	{search.FacetRegion, search.FacetTopic},
}

// Queries returns n queries of class, drawn with seed.
func (c *Corpus) Queries(class string, n int, seed uint64) []Query {
	r := rand.New(rand.NewPCG(seed, uint64(len(class))*0x9E37+uint64(class[0])))
	term := func(levels ...int) string {
		l := levels[r.IntN(len(levels))]
		return c.Terms[l][r.IntN(termsPerLevel)]
	}
	distinct := func(n int, levels ...int) []string {
		var ws []string
		for len(ws) < n {
			w := term(levels...)
			if !containsStr(ws, w) {
				ws = append(ws, w)
			}
		}
		return ws
	}
	out := make([]Query, 0, n)
	for j := range n {
		q := Query{Class: class, Page: 1, Op: "and"}
		switch class {
		case "term":
			q.Words = []string{term(j % len(Levels))}
		case "and":
			q.Words = distinct(2+r.IntN(2), 1, 2, 3, 3, 4, 4, 4)
		case "or":
			q.Op = "or"
			q.Words = distinct(2+r.IntN(2), 0, 1, 2, 3, 4)
		case "phrase":
			q.Op = "phrase"
			l := j % len(Levels)
			q.Words = c.Phrases[l][r.IntN(phrasesPerLevel)]
		case "faceted":
			q.Words = []string{term(1, 2, 3, 4)}
			q.Filters, q.Facets = c.filters(r), true
		case "filtered":
			q.Filters, q.Facets = c.filters(r), true
		case "deep_page":
			q.Words = []string{term(3, 4)}
			q.Page = DeepPage
		}
		out = append(out, q)
	}
	return out
}

// filters draws two filters on one of filterPairs, values as frequent as the
// corpus makes them.
func (c *Corpus) filters(r *rand.Rand) []Filter {
	pair := filterPairs[r.IntN(len(filterPairs))]
	var fs []Filter
	for _, f := range pair {
		var v string
		switch f {
		case search.FacetYear:
			v = strconv.Itoa(2025 - r.IntN(12))
		case search.FacetOrganization:
			v = c.Tax.Organizations[c.fac[f].pick(r)]
		case search.FacetCountry:
			v = c.Tax.Countries[c.fac[f].pick(r)]
		case search.FacetRegion:
			v = c.Tax.Regions[c.fac[f].pick(r)]
		case search.FacetTopic:
			v = c.Tax.Topics[c.fac[f].pick(r)]
		}
		fs = append(fs, Filter{f, v})
	}
	return fs
}

func containsStr(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// Answer is what an engine found for one query: the total and, for queries
// with facets, each facet's top values as "value=count" (disjunctive counts,
// count-0 values left out), in a canonical order.
type Answer struct {
	Total  int                 `json:"total"`
	Facets map[string][]string `json:"facets,omitempty"`
	Err    string              `json:"err,omitempty"`
}

// topValues sorts counts by count, then value, and keeps the first FacetSize.
func topValues(counts map[string]int) []string {
	type vc struct {
		v string
		c int
	}
	var all []vc
	for v, n := range counts {
		if n > 0 {
			all = append(all, vc{v, n})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].c != all[j].c {
			return all[i].c > all[j].c
		}
		return all[i].v < all[j].v
	})
	if len(all) > FacetSize {
		all = all[:FacetSize]
	}
	out := make([]string, len(all))
	for i, x := range all {
		out[i] = x.v + "=" + strconv.Itoa(x.c)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
