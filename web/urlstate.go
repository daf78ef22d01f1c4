package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/inlsearch/inlsearch/search"
)

// state is what of a search lives in the URL. Every link and form of the
// HTML page is a state turned back into a URL, so that each view is a
// permalink and the page works without JavaScript.
type state struct {
	q                  string
	filters            map[string][]string
	yearFrom, yearTo   int
	sort               string
	match              string
	page, perPage      int
	facetSize          int
	defaultPerPageSize int
	// group is the grouping shown (search.GroupPage or GroupPassage);
	// the HTML page groups by page unless told otherwise, so its URLs name
	// group=passage only, and an export's URL names group=page.
	group       string
	exportGroup bool
	// timeline is the HTML page's timeline mode: "" (years of
	// publication) or timelineMentioned.
	timeline string
	gen      string // a named generation (citable snapshot)
}

// field is a hidden form input.
type field struct{ Name, Value string }

func stateOf(q search.Query) state {
	st := state{
		q: q.Q, yearFrom: q.YearFrom, yearTo: q.YearTo, sort: q.Sort, match: q.Match,
		page: q.Page, perPage: q.PerPage, facetSize: q.FacetSize,
		defaultPerPageSize: defaultPerPage, group: q.Group, gen: q.Generation,
	}
	st.filters = make(map[string][]string, len(q.Filters))
	for f, vals := range q.Filters {
		st.filters[f] = slices.Clone(vals)
	}
	return st
}

func (st state) clone() state {
	c := st
	c.filters = make(map[string][]string, len(st.filters))
	for f, vals := range st.filters {
		c.filters[f] = slices.Clone(vals)
	}
	return c
}

func (st state) fields() []field {
	var out []field
	add := func(name, value string) { out = append(out, field{name, value}) }
	if st.q != "" {
		add(paramQ, st.q)
	}
	for _, f := range filterFacets {
		for _, v := range st.filters[f] {
			add(f, v)
		}
	}
	if st.yearFrom != 0 {
		add(paramYearFrom, strconv.Itoa(st.yearFrom))
	}
	if st.yearTo != 0 {
		add(paramYearTo, strconv.Itoa(st.yearTo))
	}
	if st.sort != "" && st.sort != search.SortRelevance {
		add(paramSort, st.sort)
	}
	if st.match == search.MatchAll {
		add(paramMatch, st.match)
	}
	switch {
	case st.group == search.GroupPassage && !st.exportGroup:
		add(paramGroup, st.group)
	case st.group == search.GroupPage && st.exportGroup:
		add(paramGroup, st.group)
	}
	if st.timeline != "" && !st.exportGroup {
		add(paramTimeline, st.timeline)
	}
	if st.page > 1 {
		add(paramPage, strconv.Itoa(st.page))
	}
	if st.perPage != 0 && st.perPage != st.defaultPerPageSize {
		add(paramPerPage, strconv.Itoa(st.perPage))
	}
	if st.facetSize != 0 {
		add(paramFacetSize, strconv.Itoa(st.facetSize))
	}
	if st.gen != "" {
		add(paramGen, st.gen)
	}
	return out
}

// href is the URL of this state on path.
func (st state) href(path string) string {
	v := url.Values{}
	for _, f := range st.fields() {
		v.Add(f.Name, f.Value)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// hidden lists the state as hidden inputs, leaving out the named parameters
// (those the form shows itself) and the page, which a new submission resets.
func (st state) hidden(except ...string) []field {
	var out []field
	for _, f := range st.fields() {
		if f.Name == paramPage || slices.Contains(except, f.Name) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func (st state) withPage(n int) state {
	c := st.clone()
	c.page = n
	return c
}

func (st state) withSort(s string) state {
	c := st.clone()
	c.sort, c.page = s, 1
	return c
}

// withMatch is the state with the match mode m (search.MatchAll or
// search.MatchAuto), from the first page.
func (st state) withMatch(m string) state {
	c := st.clone()
	c.match, c.page = m, 1
	return c
}

func (st state) withYears(from, to int) state {
	c := st.clone()
	c.yearFrom, c.yearTo, c.page = from, to, 1
	return c
}

func (st state) withoutFilters() state {
	c := st.clone()
	c.filters = map[string][]string{}
	c.yearFrom, c.yearTo, c.page = 0, 0, 1
	return c
}

// forExport drops what only concerns one page of the HTML view; the
// grouping is named as the exports read it.
func (st state) forExport() state {
	c := st.clone()
	c.page, c.perPage, c.facetSize, c.exportGroup = 1, 0, 0, true
	return c
}

// forFeed is forExport without grouping: the feed lists passages.
func (st state) forFeed() state {
	c := st.forExport()
	c.group = ""
	return c
}

// withGroup is the state grouped by g, from the first page.
func (st state) withGroup(g string) state {
	c := st.clone()
	c.group, c.page = g, 1
	return c
}

func (st state) selected(facet, value string) bool {
	return containsFold(st.filters[facet], value)
}

// toggled adds the filter value, or removes it when it is already selected.
func (st state) toggled(facet, value string) state {
	c := st.clone()
	c.page = 1
	vals := c.filters[facet]
	if i := slices.IndexFunc(vals, func(v string) bool { return strings.EqualFold(v, value) }); i >= 0 {
		c.filters[facet] = slices.Delete(vals, i, i+1)
		if len(c.filters[facet]) == 0 {
			delete(c.filters, facet)
		}
		return c
	}
	c.filters[facet] = append(vals, value)
	return c
}
