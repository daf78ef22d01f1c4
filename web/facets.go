package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// Search within a facet's values: GET /api/v1/facets/{facet}?prefix=&size=
// with the search's q and filters, and the HTML page /facets/{facet} that
// the "show more" of every facet opens: a filter box and every value.

const (
	paramPrefix = "prefix"
	paramSize   = "size"
	// facetPageSize is the most values the HTML page lists.
	facetPageSize = search.MaxFacetValues
)

// htmlQuery is the HTML page's search: grouped by page unless the URL
// says group=passage.
func htmlQuery(q search.Query) search.Query {
	if q.Group == "" {
		q.Group = search.GroupPage
	}
	return q
}

// facetQuery is the search whose facet values are listed: no hits wanted.
func facetQuery(q search.Query) search.Query {
	q.Page, q.PerPage = 1, 1
	return q
}

// facetValueQuery reads the facet, prefix and size of a facet value
// search.
func facetValueQuery(c *gin.Context, defaultSize int) (search.FacetValueQuery, error) {
	fq := search.FacetValueQuery{Facet: c.Param("facet"), Prefix: strings.TrimSpace(c.Query(paramPrefix))}
	if !slices.Contains(search.Facets, fq.Facet) {
		return fq, &codedError{status: http.StatusNotFound, code: "unknown_facet",
			msg: fmt.Sprintf("unknown facet %s: one of %s", shown(fq.Facet), strings.Join(search.Facets, ", "))}
	}
	v := c.Request.URL.Query()
	for _, name := range []string{paramPrefix, paramSize} {
		if len(v[name]) > 1 {
			return fq, badParam("parameter [%s] may be given only once", name)
		}
	}
	if err := checkText(fq.Prefix, 100); err != nil {
		return fq, badParam("prefix %s", err)
	}
	size, err := intParam(v, paramSize, 1, search.MaxFacetValues, badParam)
	if err != nil {
		return fq, err
	}
	fq.Size = size
	if fq.Size == 0 {
		fq.Size = defaultSize
	}
	return fq, nil
}

// facetValues runs the facet value search of the request.
func (s *Server) facetValues(c *gin.Context, defaultSize int) (planned, *search.FacetValues, error) {
	pl := plannedOf(c)
	fq, err := facetValueQuery(c, defaultSize)
	switch {
	case err != nil:
		return pl, nil, err
	case pl.paramErr != nil:
		return pl, nil, pl.paramErr
	case pl.err != nil:
		return pl, nil, pl.err
	}
	fv, err := s.searcher.FacetValues(c.Request.Context(), pl.p, fq)
	if err == nil && fv == nil {
		err = fmt.Errorf("facet values: no answer")
	}
	return pl, fv, err
}

func (s *Server) handleAPIFacetValues(c *gin.Context) {
	_, fv, err := s.facetValues(c, 20)
	if err != nil {
		s.fail(c, err)
		return
	}
	if fv.Values == nil {
		fv.Values = []search.FacetValue{}
	}
	c.JSON(http.StatusOK, fv)
}

// facetPageView is the data of facet.html.
type facetPageView struct {
	baseView
	Facet      string
	Label      string
	Prefix     string
	Total      int
	Shown      int
	Values     []facetValueView
	Hidden     []field // the search's state, but this facet's selection
	Back       string
	PrefixForm []field // the state kept by the filter box
	Checkboxes bool
	Grouped    bool
}

func (s *Server) handleFacetPage(c *gin.Context) {
	pl, fv, err := s.facetValues(c, facetPageSize)
	if err != nil {
		s.fail(c, err)
		return
	}
	st := stateOf(htmlQuery(pl.q))
	st.page, st.perPage = 1, pl.q.PerPage
	label := facetLabels[fv.Facet]
	v := facetPageView{
		baseView: s.base(c, label+" values"), Facet: fv.Facet, Label: label, Prefix: c.Query(paramPrefix),
		Total: fv.TotalValues, Shown: len(fv.Values), Checkboxes: slices.Contains(filterFacets, fv.Facet),
		Grouped: st.group == search.GroupPage,
	}
	back := st.clone()
	back.perPage = 0
	v.Back = back.href("/search")
	var except []string
	if v.Checkboxes {
		except = append(except, fv.Facet)
	}
	v.Hidden = back.hidden(except...)
	if v.Checkboxes {
		// A selected value this list leaves out (the prefix names it not)
		// stays selected when the form is sent.
		for _, sel := range st.filters[fv.Facet] {
			if !slices.ContainsFunc(fv.Values, func(x search.FacetValue) bool { return strings.EqualFold(x.Value, sel) }) {
				v.Hidden = append(v.Hidden, field{fv.Facet, sel})
			}
		}
	}
	v.PrefixForm = back.hidden()
	for i, val := range fv.Values {
		item := facetValueView{ID: fmt.Sprintf("v-%d", i), Value: val.Value, Count: val.Count, Selected: val.Selected}
		if !v.Checkboxes { // years mentioned: a link narrowing to that year
			if y, err := parseYear(val.Value); err == nil {
				item.URL = back.withYears(y, y).href("/search")
			}
		}
		v.Values = append(v.Values, item)
	}
	s.render(c, http.StatusOK, "facet.html", v)
}
