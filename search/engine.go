package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// maxFilterValues bounds the values selected in one facet.
const maxFilterValues = 100

func init() {
	// bleve leaves disjunctions unbounded; our own count (Limits.MaxTerms)
	// comes first, this is the backstop.
	if searcher.DisjunctionMaxClauseCount == 0 {
		searcher.DisjunctionMaxClauseCount = DefaultLimits.MaxTerms
	}
}

// testHook, when set by a test, runs at the start of every search with the
// search's context (to simulate a slow search).
var testHook func(ctx context.Context)

// Engine runs queries against any bleve.Index built with NewMapping: one
// index, or an IndexAlias whose generations are swapped between searches.
// It holds the compiled vocabulary and the limits, not the index.
type Engine struct {
	voc Vocabulary
	th  *thesaurus
	lim Limits
}

// NewEngine compiles the vocabulary; zero limits take DefaultLimits.
func NewEngine(voc Vocabulary, lim Limits) (*Engine, error) {
	th, err := compile(voc)
	if err != nil {
		return nil, fmt.Errorf("compile vocabulary: %w", err)
	}
	return &Engine{voc: voc, th: th, lim: lim.withDefaults()}, nil
}

// Vocabulary returns the vocabulary the engine was built with.
func (e *Engine) Vocabulary() Vocabulary { return e.voc }

// Limits returns the engine's limits, defaults filled in.
func (e *Engine) Limits() Limits { return e.lim }

// plan is a validated Query.
type plan struct {
	q        Query
	expr     *Expr
	perPage  int
	page     int
	facet    int
	filters  map[string][]string // facet → values as given, deduplicated
	browse   bool
	sortKeys []string
}

// prepare validates q and parses its query string.
func (e *Engine) prepare(q Query) (*plan, error) {
	p := &plan{q: q, page: q.Page, perPage: q.PerPage}
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
	p.filters = map[string][]string{}
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
			if facet == FacetYear {
				if _, err := parseYear(v); err != nil {
					return nil, fmt.Errorf("%w: %s", ErrBadFilter, err.Error())
				}
			}
			seen[strings.ToLower(v)] = true
			p.filters[facet] = append(p.filters[facet], v)
		}
		if len(p.filters[facet]) > maxFilterValues {
			return nil, fmt.Errorf("%w: too many values for %s (max %d)", ErrBadFilter, facet, maxFilterValues)
		}
	}
	var err error
	if p.expr, err = parse(q.Q, e.th, e.lim, q.Literal); err != nil {
		return nil, err
	}
	p.browse = p.expr.Empty()
	switch q.Sort {
	case "", SortRelevance:
		p.sortKeys = []string{"-_score", "-" + fieldPublished, "_id"}
		if p.browse {
			p.sortKeys = []string{"-" + fieldPublished, fieldTitleKey, "_id"}
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
	return p, nil
}

func isFacet(name string) bool {
	for _, f := range Facets {
		if f == name {
			return true
		}
	}
	return false
}

// Search runs q against bi: validation, parsing, the hits and the
// disjunctive facets, within Limits.Deadline.
func (e *Engine) Search(ctx context.Context, bi bleve.Index, q Query) (*Result, error) {
	start := time.Now()
	p, err := e.prepare(q)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.lim.Deadline)
	defer cancel()
	ctx = context.WithValue(ctx, bsearch.MaxTermSearchersKey, 2*e.lim.MaxTerms+maxFilterValues*len(Facets))
	if testHook != nil {
		testHook(ctx)
	}
	b := &builder{ctx: ctx, bi: bi, th: e.th, max: e.lim.MaxTerms}
	text, err := b.query(p.expr)
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	bonus := b.bonus(p.expr)
	filters := map[string]query.Query{}
	selected := map[string][]string{}
	for facet, vals := range p.filters {
		var qs []query.Query
		for _, v := range vals {
			r := resolveValue(bi, e.th, facet, v)
			if !contains(selected[facet], r) {
				selected[facet] = append(selected[facet], r)
				qs = append(qs, termQuery(r, facet, 1))
			}
		}
		filters[facet] = disjunction(qs)
	}
	years := yearRange(q.YearFrom, q.YearTo)

	main := bleve.NewSearchRequestOptions(compose(text, bonus, filters, "", years), p.perPage, (p.page-1)*p.perPage, false)
	main.Fields = []string{fieldDoc, fieldText}
	main.IncludeLocations = !p.browse
	main.SortBy(p.sortKeys)
	reqs := map[string]*bleve.SearchRequest{"": main}
	if !q.NoFacets {
		for _, f := range Facets {
			if _, sel := filters[f]; !sel {
				main.AddFacet(f, bleve.NewFacetRequest(f, facetScan))
				continue
			}
			r := bleve.NewSearchRequestOptions(compose(text, nil, filters, f, years), 0, 0, false)
			r.Score = bleve.ScoreNone
			r.AddFacet(f, bleve.NewFacetRequest(f, facetScan))
			reqs[f] = r
		}
	}
	results, err := runAll(ctx, bi, reqs)
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	res := &Result{
		Query: q.Q, Total: int(results[""].Total), Page: p.page, PerPage: p.perPage,
		Hits: make([]Hit, 0, len(results[""].Hits)),
	}
	for _, h := range results[""].Hits {
		d, err := decodeDocument(h.ID, h.Fields)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, Hit{Document: *d, Snippet: snippet(d.Text, h.Locations[fieldText]), Score: h.Score})
	}
	if !q.NoFacets {
		res.Facets, res.FacetOthers = facets(results, selected, p.facet)
	}
	res.Took = time.Since(start)
	return res, nil
}

// compose is the full query: text AND every facet filter but skip's AND the
// year range; the bonus phrase only adds to the score. Filters do not score.
func compose(text, bonus query.Query, filters map[string]query.Query, skip string, years query.Query) query.Query {
	if text == nil {
		text = query.NewMatchAllQuery()
	}
	var fs []query.Query
	for _, f := range Facets {
		if q, ok := filters[f]; ok && f != skip {
			fs = append(fs, q)
		}
	}
	if years != nil {
		fs = append(fs, years)
	}
	if bonus == nil && len(fs) == 0 {
		return text
	}
	bq := query.NewBooleanQuery([]query.Query{text}, nil, nil)
	if bonus != nil {
		bq.AddShould(bonus)
	}
	switch len(fs) {
	case 0:
	case 1:
		bq.AddFilter(fs[0])
	default:
		bq.AddFilter(query.NewConjunctionQuery(fs))
	}
	return bq
}

func yearRange(from, to int) query.Query {
	if from == 0 && to == 0 {
		return nil
	}
	var lo, hi *float64
	if from > 0 {
		f := float64(from)
		lo = &f
	}
	if to > 0 {
		t := float64(to)
		hi = &t
	}
	yes := true
	q := query.NewNumericRangeInclusiveQuery(lo, hi, &yes, &yes)
	q.SetField(fieldYearNum)
	return q
}

// runAll runs the requests concurrently and returns their results by key.
func runAll(ctx context.Context, bi bleve.Index, reqs map[string]*bleve.SearchRequest) (map[string]*bleve.SearchResult, error) {
	out := make(map[string]*bleve.SearchResult, len(reqs))
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
	)
	for k, r := range reqs {
		wg.Go(func() {
			res, err := bi.SearchInContext(ctx, r)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			out[k] = res
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, nil
}

// searchErr maps bleve's errors to ours.
func (e *Engine) searchErr(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, ErrBadQuery):
		return err
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%w: no answer within %s", ErrTimeout, e.lim.Deadline)
	case strings.Contains(err.Error(), "TooManyClauses") || strings.Contains(err.Error(), "TooManyTermSearchers"):
		return tooManyTerms(e.lim)
	case errors.Is(err, bleve.ErrorIndexClosed):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return fmt.Errorf("search: %w", err)
}

// Get returns the document with that id, or ErrNotFound.
func (e *Engine) Get(ctx context.Context, bi bleve.Index, id string) (*Document, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = []string{fieldDoc, fieldText}
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
	}
	return decodeDocument(id, res.Hits[0].Fields)
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
