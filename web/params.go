package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// Request parameters shared by the HTML page, the API and the exports.
const (
	paramQ         = "q"
	paramYearFrom  = "year_from"
	paramYearTo    = "year_to"
	paramSort      = "sort"
	paramPage      = "page"
	paramPerPage   = "per_page"
	paramFacetSize = "facet_size"
	paramMatch     = "match"
	paramGroup     = "group"
	paramGen       = "gen"

	defaultPerPage   = 10
	maxFilterValues  = 64
	maxFilterBytes   = 256
	maxNumberDigits  = 9
	minYear, maxYear = 1, 9999
)

// filterFacets are the facets that take repeatable filter parameters, in
// display order. The year facet is filtered by year_from/year_to instead.
// published_year is filtered by value (a bar of the timeline).
var filterFacets = []string{search.FacetOrganization, search.FacetCountry, search.FacetRegion, search.FacetTopic, search.FacetType,
	search.FacetPublishedYear}

// singleParams may appear at most once.
var singleParams = []string{paramQ, paramYearFrom, paramYearTo, paramSort, paramPage, paramPerPage, paramFacetSize, paramMatch, paramGroup, paramGen}

// groups are the values of the group parameter: passage (the API's and the
// exports' default) or page (one hit per page, the HTML page's default).
var groups = []string{search.GroupPassage, search.GroupPage}

var sorts = []string{search.SortRelevance, search.SortDate, search.SortFirstSeen, search.SortChangedAt}

// matches are the values of the match parameter: auto (the default) relaxes
// a search that few passages match whole to all words but one; all never does.
var matches = []string{search.MatchAuto, search.MatchAll}

// planned is a request's search: the query its URL says, shaped for its
// route, and the plan the Searcher compiled from it. paramErr is set when
// the URL holds no valid search (the query is then unusable); err when the
// query does not compile.
type planned struct {
	q        search.Query
	p        *search.Plan
	paramErr error
	err      error
}

// plannedKey keeps, in a request's gin context, the planned search of its
// admission (limit), which compiled it once for the gate and the handler.
const plannedKey = "inlsearch.plan"

// compile reads the search parameters of the request (the one place where
// the HTML page, the API, the feed and the exports turn a URL into a
// search.Query), shapes the query for the route and compiles it.
func (s *Server) compile(c *gin.Context, shape func(search.Query) search.Query) planned {
	q, err := parseParams(c.Request.URL.RawQuery, s.lim)
	if err != nil {
		return planned{q: q, paramErr: err}
	}
	if shape != nil {
		q = shape(q)
	}
	p, err := s.searcher.Compile(q)
	return planned{q: q, p: p, err: err}
}

// plannedOf returns the planned search of the request, compiled by its
// admission.
func plannedOf(c *gin.Context) planned {
	if v, ok := c.Get(plannedKey); ok {
		if pl, ok := v.(planned); ok {
			return pl
		}
	}
	return planned{paramErr: errors.New("route has no search admission")}
}

func badParam(format string, args ...any) error {
	return &codedError{status: http.StatusBadRequest, code: "invalid_parameter", msg: fmt.Sprintf(format, args...)}
}

func badPagination(format string, args ...any) error {
	return &codedError{status: http.StatusBadRequest, code: "invalid_pagination",
		msg: fmt.Sprintf(format, args...), base: search.ErrBadPagination}
}

func badQuery(format string, args ...any) error {
	return &codedError{status: http.StatusBadRequest, code: "invalid_query",
		msg: fmt.Sprintf(format, args...), base: search.ErrBadQuery}
}

func badFilter(format string, args ...any) error {
	return &codedError{status: http.StatusBadRequest, code: "invalid_filter",
		msg: fmt.Sprintf(format, args...), base: search.ErrBadFilter}
}

// shown quotes a user value for an error message: escaped and short.
func shown(v string) string {
	v = strings.ToValidUTF8(v, "\ufffd")
	if len(v) > 40 {
		cut := 40
		for cut > 0 && !isRuneStart(v[cut]) {
			cut--
		}
		v = v[:cut] + "…"
	}
	return strconv.Quote(v)
}

func parseParams(raw string, lim search.Limits) (search.Query, error) {
	q := search.Query{Sort: search.SortRelevance, Page: 1, PerPage: min(defaultPerPage, lim.MaxPerPage)}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return q, badParam("the query string is malformed; encode it as application/x-www-form-urlencoded")
	}
	for _, name := range singleParams {
		if len(v[name]) > 1 {
			return q, badParam("parameter [%s] may be given only once", name)
		}
	}

	q.Q = strings.TrimSpace(v.Get(paramQ))
	if err := checkText(q.Q, lim.MaxQueryBytes); err != nil {
		return q, badQuery("q %s", err)
	}

	n := 0
	for _, f := range filterFacets {
		for _, val := range v[f] {
			val = strings.TrimSpace(val)
			if val == "" {
				continue
			}
			if err := checkText(val, maxFilterBytes); err != nil {
				return q, badFilter("%s %s", f, err)
			}
			if _, err := parseYear(val); f == search.FacetPublishedYear && err != nil {
				return q, badFilter("published_year must be a year, got %s", shown(val))
			}
			if n++; n > maxFilterValues {
				return q, badFilter("too many filter values: at most %d", maxFilterValues)
			}
			if q.Filters == nil {
				q.Filters = make(map[string][]string)
			}
			if !containsFold(q.Filters[f], val) {
				q.Filters[f] = append(q.Filters[f], val)
			}
		}
	}

	if q.YearFrom, err = intParam(v, paramYearFrom, minYear, maxYear, badParam); err != nil {
		return q, err
	}
	if q.YearTo, err = intParam(v, paramYearTo, minYear, maxYear, badParam); err != nil {
		return q, err
	}
	if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
		return q, badParam("year_from [%d] must not be after year_to [%d]", q.YearFrom, q.YearTo)
	}

	if sv := v.Get(paramSort); sv != "" {
		if !slices.Contains(sorts, sv) {
			return q, badParam("sort must be one of %s, got %s", strings.Join(sorts, ", "), shown(sv))
		}
		q.Sort = sv
	}
	if gv := v.Get(paramGroup); gv != "" {
		if !slices.Contains(groups, gv) {
			return q, badParam("group must be one of %s, got %s", strings.Join(groups, ", "), shown(gv))
		}
		q.Group = gv
	}
	if mv := v.Get(paramMatch); mv != "" {
		if !slices.Contains(matches, mv) {
			return q, badParam("match must be one of %s, got %s", strings.Join(matches, ", "), shown(mv))
		}
		q.Match = mv
	}

	page, err := intParam(v, paramPage, 1, lim.MaxWindow, badPagination)
	if err != nil {
		return q, err
	}
	if page != 0 {
		q.Page = page
	}
	perPage, err := intParam(v, paramPerPage, 1, lim.MaxPerPage, badPagination)
	if err != nil {
		return q, err
	}
	if perPage != 0 {
		q.PerPage = perPage
	}
	if q.Page*q.PerPage > lim.MaxWindow {
		return q, badPagination("result window is too large, page × per_page must be less than or equal to [%d] but was [%d]",
			lim.MaxWindow, q.Page*q.PerPage)
	}
	if q.FacetSize, err = intParam(v, paramFacetSize, 1, lim.MaxFacetSize, badParam); err != nil {
		return q, err
	}
	if q.Generation, err = genParam(v.Get(paramGen)); err != nil {
		return q, err
	}
	return q, nil
}

// intParam reads an optional decimal parameter in [lo, hi]; 0 when absent or
// empty (an empty form field).
func intParam(v url.Values, name string, lo, hi int, bad func(string, ...any) error) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, nil
	}
	digits := len(s) <= maxNumberDigits
	for i := 0; digits && i < len(s); i++ {
		digits = s[i] >= '0' && s[i] <= '9'
	}
	if !digits {
		return 0, bad("%s must be an integer between %d and %d, got %s", name, lo, hi, shown(s))
	}
	n, _ := strconv.Atoi(s) // at most 9 digits: cannot fail
	if n < lo || n > hi {
		return 0, bad("%s must be between %d and %d, got [%d]", name, lo, hi, n)
	}
	return n, nil
}

// checkText rejects invalid UTF-8, control characters and oversized values.
func checkText(s string, maxBytes int) error {
	if len(s) > maxBytes {
		return fmt.Errorf("is too long: %d bytes, the limit is [%d]", len(s), maxBytes)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return fmt.Errorf("contains a control character")
		}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// genParam reads the gen parameter: empty, or a generation id.
func genParam(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s != "" && !search.ValidGenerationID(s) {
		return "", badParam("gen must be a generation id (letters, digits and '-'), got %s", shown(s))
	}
	return s, nil
}
