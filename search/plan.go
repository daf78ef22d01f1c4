package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// maxFilterValues bounds the values selected in one facet.
const maxFilterValues = 100

// Thresholds of Plan.Expensive.
const (
	expensiveWindow = 1000 // page × per_page
	expensiveTerms  = 64   // terms before prefix expansion
)

// errForeignPlan is returned when a plan is run by a searcher other than the
// one that compiled it.
var errForeignPlan = errors.New("plan compiled by another searcher")

// Plan is a Query compiled once: validated, its query string parsed, its
// filters and years resolved to values and bitmaps of the facet index of the
// generation it will read, its order, page and cost known. Admission, the
// search, its relaxation, an export and the feed all use the same plan.
//
// A plan compiled by a Live keeps the generation it was compiled on open
// until Release, so that the search it admits reads the generation its
// filters were resolved on, whatever swaps happen meanwhile. Every plan must
// be released; Release is safe to call more than once. A plan is safe for
// concurrent use.
type Plan struct {
	q          Query // as given to Compile
	expr       *Expr
	perPage    int
	page       int
	facet      int
	filter     *docFilter
	browse     bool
	group      bool     // one hit per page (Query.Group = GroupPage)
	sortKeys   []string // nil: relevance (or browse order when browseSort)
	browseSort bool
	expensive  bool
	key        string // the result cache's key: the normalised plan

	// Set when an Index or a Live compiled it.
	ix   *Index
	live *Live
	gen  string // the generation id, when a Live compiled it
	pin  *pin
}

// pin releases what a plan holds open, once.
type pin struct {
	once    sync.Once
	release func()
}

// Query returns the query the plan was compiled from.
func (p *Plan) Query() Query { return p.q }

// Generation names the generation the plan reads: the id of a Live's
// generation, "" for a plan not compiled by a Live.
func (p *Plan) Generation() string { return p.gen }

// Expensive reports whether the plan is costly to answer: it browses every
// passage with no filter (sorting and counting facets over the whole
// index), asks for a deep page (page × per_page over 1,000) or for many
// terms (a prefix is not: it stands for at most 50 terms). The web layer
// gives expensive searches at most a quarter of the search slots, so that a
// flood of them cannot starve the others (RELIABILITY.md E3).
func (p *Plan) Expensive() bool { return p.expensive }

// Release lets go of the generation the plan holds open. The plan must not
// be run after it.
func (p *Plan) Release() {
	if p != nil && p.pin != nil {
		p.pin.once.Do(p.pin.release)
	}
}

// Compile validates q and parses its query string into a plan that is bound
// to no index: its filters are resolved by whichever index snapshot it runs
// on. Errors wrap ErrBadQuery, ErrBadPagination or ErrBadFilter.
func (e *Engine) Compile(q Query) (*Plan, error) {
	p := &Plan{q: q, page: q.Page, perPage: q.PerPage}
	if p.page == 0 {
		p.page = 1
	}
	if p.perPage == 0 {
		p.perPage = 10
	}
	if p.page < 1 {
		return nil, fmt.Errorf("%w: page must be 1 or more", ErrBadPagination)
	}
	if p.perPage < 1 || p.perPage > e.lim.MaxPerPage {
		return nil, fmt.Errorf("%w: per_page must be between 1 and %d", ErrBadPagination, e.lim.MaxPerPage)
	}
	if p.page > e.lim.MaxWindow/p.perPage {
		return nil, fmt.Errorf("%w: page × per_page must be ≤ %d", ErrBadPagination, e.lim.MaxWindow)
	}
	p.facet = e.lim.FacetSize
	if q.FacetSize > 0 {
		p.facet = min(q.FacetSize, e.lim.MaxFacetSize)
	}
	if q.YearFrom < 0 || q.YearTo < 0 || (q.YearTo > 0 && q.YearFrom > q.YearTo) {
		return nil, fmt.Errorf("%w: year range %d–%d", ErrBadFilter, q.YearFrom, q.YearTo)
	}
	filters := map[string][]string{}
	for facet, vals := range q.Filters {
		if !isFacet(facet) {
			return nil, fmt.Errorf("%w: unknown facet %q", ErrBadFilter, facet)
		}
		seen := map[string]bool{}
		for _, v := range vals {
			v = strings.TrimSpace(v)
			if v == "" || seen[strings.ToLower(v)] {
				continue
			}
			if facet == FacetYear || facet == FacetPublishedYear {
				if _, err := parseYear(v); err != nil {
					return nil, fmt.Errorf("%w: %s", ErrBadFilter, err.Error())
				}
			}
			seen[strings.ToLower(v)] = true
			filters[facet] = append(filters[facet], v)
		}
		if len(filters[facet]) > maxFilterValues {
			return nil, fmt.Errorf("%w: too many values for %s (max %d)", ErrBadFilter, facet, maxFilterValues)
		}
	}
	p.filter = &docFilter{th: e.th, filters: filters, from: q.YearFrom, to: q.YearTo}
	switch q.Match {
	case "", MatchAuto, MatchAll:
	default:
		return nil, fmt.Errorf("%w: unknown match %q (auto or all)", ErrBadQuery, q.Match)
	}
	switch q.Group {
	case "", GroupPassage:
	case GroupPage:
		p.group = true
	default:
		return nil, fmt.Errorf("%w: unknown group %q (passage or page)", ErrBadQuery, q.Group)
	}
	var err error
	if p.expr, err = parse(q.Q, e.th, e.lim, q.Literal); err != nil {
		return nil, err
	}
	p.browse = p.expr.Empty()
	switch q.Sort {
	case "", SortRelevance:
		// nil: by score, ties in browse order (browseOrder: newest
		// first, then title, then id), from an order computed when the
		// index is opened; bleve's own sort on date and id would read doc
		// values and ids for every hit.
		p.sortKeys = nil
		if p.browse {
			p.sortKeys, p.browseSort = nil, true
		}
	case SortDate:
		p.sortKeys = []string{"-" + fieldPublished, "-_score", "_id"}
	case SortFirstSeen:
		p.sortKeys = []string{"-" + fieldFirstSeen, "-_score", "_id"}
	case SortChangedAt:
		p.sortKeys = []string{"-" + fieldChangedAt, "-_score", "_id"}
	default:
		return nil, fmt.Errorf("%w: unknown sort %q (relevance, date, first_seen or changed_at)", ErrBadQuery, q.Sort)
	}
	switch {
	case p.page*p.perPage > expensiveWindow:
		p.expensive = true
	case p.browse:
		p.expensive = p.filter.empty()
	default:
		p.expensive = p.expr.terms > expensiveTerms
	}
	p.key = p.cacheKey(nil)
	return p, nil
}

// Expensive reports whether q is costly to answer, before running it (see
// Plan.Expensive). A query that does not compile is not expensive: it is
// refused at once.
func (e *Engine) Expensive(q Query) bool {
	p, err := e.Compile(q)
	return err == nil && p.expensive
}

// bind resolves p's filters on fx, the facet index of the snapshot it will
// read, and keys it by the values they resolve to.
func (p *Plan) bind(fx *facetIndex) {
	p.key = p.cacheKey(p.filter.on(fx).selected)
}

// cacheKey is the normalised plan: the query string as parsed (the parse is
// a function of it), the filters as resolved (as given when unresolved),
// sorted, and every default applied.
func (p *Plan) cacheKey(selected map[string][]string) string {
	if selected == nil {
		selected = p.filter.filters
	}
	type filter struct {
		Facet  string
		Values []string
	}
	var fs []filter
	for _, f := range slices.Sorted(maps.Keys(selected)) {
		if len(selected[f]) > 0 {
			fs = append(fs, filter{f, slices.Sorted(slices.Values(selected[f]))})
		}
	}
	match := p.q.Match
	if match == "" {
		match = MatchAuto
	}
	raw, _ := json.Marshal(struct {
		Q                    string
		Literal              bool
		Filters              []filter
		From, To             int
		Sort                 []string
		BrowseSort           bool
		Page, PerPage, Facet int
		NoFacets             bool
		Match                string
		Group                bool
	}{p.q.Q, p.q.Literal, fs, p.q.YearFrom, p.q.YearTo, p.sortKeys, p.browseSort, p.page, p.perPage, p.facet, p.q.NoFacets, match, p.group})
	return string(raw)
}

// sortRequest sets the order of p on req: browse order, relevance with
// ties in browse order (read from src's snapshot), or p's sort keys.
func (p *Plan) sortRequest(req *bleve.SearchRequest, src *hitSet) {
	switch {
	case p.browseSort:
		req.SortByCustom(bsearch.SortOrder{&browseOrder{src: src}})
	case p.sortKeys == nil:
		req.SortByCustom(bsearch.SortOrder{&bsearch.SortScore{Desc: true}, &browseOrder{src: src}})
	default:
		req.SortBy(p.sortKeys)
	}
}

func isFacet(name string) bool {
	return slices.Contains(Facets, name)
}
