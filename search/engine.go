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
// index, or an IndexAlias of one index at a time whose generations are
// swapped between searches (facet counts and sorts use the document
// numbers of one index).
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
	q          Query
	expr       *Expr
	perPage    int
	page       int
	facet      int
	filters    map[string][]string // facet → values as given, deduplicated
	browse     bool
	sortKeys   []string // nil: relevance (or browse order when browseSort)
	browseSort bool
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
	switch q.Match {
	case "", MatchAuto, MatchAll:
	default:
		return nil, fmt.Errorf("%w: unknown match %q (auto or all)", ErrBadQuery, q.Match)
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
			// browseOrder: newest first, then by title key, then by id
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
	return p, nil
}

// sortRequest sets the order of p on req: browse order, relevance with
// ties in browse order (read from src's snapshot), or p's sort keys.
func (p *plan) sortRequest(req *bleve.SearchRequest, src *hitSet) {
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
	for _, f := range Facets {
		if f == name {
			return true
		}
	}
	return false
}

// Search runs q against bi: validation, parsing, the hits and the
// disjunctive facets, within Limits.Deadline. bi is one index or an alias of
// one index at a time.
//
// Facet filters and the year range are bitmaps of the snapshot searched
// (facetIndex), applied around the text query without changing its scores.
// Facet counts intersect those bitmaps with the set of text matches: with a
// selection, an unscored search gathers that set while the scored search of
// the page runs.
//
// A search of several words that fewer than RelaxBelow passages match
// whole is run again with all words but one (relax.go), unless q.Match is
// MatchAll.
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
	res, err := e.search(ctx, bi, p)
	if err != nil {
		return nil, err
	}
	if rp := p.relaxed(res.Total); rp != nil {
		exact := res.Total
		if res, err = e.search(ctx, bi, rp); err != nil {
			return nil, err
		}
		markRelaxed(res, exact)
	}
	res.Took = time.Since(start)
	return res, nil
}

// search runs one plan: the hits of its page and its facets.
func (e *Engine) search(ctx context.Context, bi bleve.Index, p *plan) (*Result, error) {
	q := p.q
	b := &builder{ctx: ctx, bi: bi, th: e.th, max: e.lim.MaxTerms}
	text, err := b.query(p.expr)
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	flt := &docFilter{th: e.th, filters: p.filters, from: q.YearFrom, to: q.YearTo}

	main := bleve.NewSearchRequestOptions(&filteredQuery{inner: compose(text, b.bonus(p.expr)), filter: flt},
		p.perPage, (p.page-1)*p.perPage, false)
	main.Fields = []string{fieldDoc, fieldText}
	hits := &hitSet{keep: true, collect: !q.NoFacets && len(p.filters) == 0 && text != nil}
	p.sortRequest(main, hits)
	// The main search always reports its snapshot; it gathers the text
	// matches too when no filter narrows them.
	var matches *hitSet
	reqs := map[string]*bleve.SearchRequest{"": main}
	ctxs := map[string]context.Context{"": ctx}
	if !q.NoFacets || p.sortKeys == nil {
		ctxs[""] = hits.context(ctx)
	}
	if !q.NoFacets && len(p.filters) > 0 && text != nil {
		matches = &hitSet{collect: true}
		r := bleve.NewSearchRequestOptions(&filteredQuery{inner: text, filter: flt.yearsOnly()}, 0, 0, false)
		r.Score = bleve.ScoreNone
		reqs["matches"] = r
		ctxs["matches"] = matches.context(ctx)
	}
	results, err := runAll(ctxs, bi, reqs)
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	if p.relaxed(int(results[""].Total)) != nil {
		// Search relaxes it: its page, snippets and facets would be thrown away.
		return &Result{Query: q.Q, Total: int(results[""].Total)}, nil
	}
	res := &Result{
		Query: q.Q, Total: int(results[""].Total), ExactTotal: int(results[""].Total), Page: p.page, PerPage: p.perPage,
		Hits: make([]Hit, 0, len(results[""].Hits)),
	}
	var locs map[string]bsearch.FieldTermLocationMap
	if text != nil && len(results[""].Hits) > 0 {
		if locs, err = pageLocations(ctx, bi, text, results[""].Hits); err != nil {
			return nil, e.searchErr(ctx, err)
		}
	}
	for _, h := range results[""].Hits {
		d, err := decodeDocument(h.ID, h.Fields)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, Hit{Document: *d, Snippet: snippet(d.Text, locs[h.ID][fieldText]), Score: h.Score})
	}
	if !q.NoFacets {
		fx, set := hits.fx, hits.docs
		switch {
		case matches != nil:
			fx, set = matches.fx, matches.docs
		case text == nil && fx != nil:
			set = fx.all
			if y := fx.years(q.YearFrom, q.YearTo); y != nil {
				set = y
			}
		}
		if fx == nil || set == nil {
			return nil, fmt.Errorf("search: no facet index")
		}
		var counts map[string][]FacetValue
		if set == fx.all && flt.empty() {
			counts = fx.browseCounts() // the same for every browse of the snapshot
		} else {
			counts = countFacets(fx, set, flt.facetSets(fx))
		}
		res.Facets, res.FacetOthers = facets(counts, flt.selected(fx), p.facet)
	}
	return res, nil
}

// pageLocations finds where the words of text occur in the hits of one page:
// a second search restricted to those passages, with term locations. The
// main search leaves locations out, which would cost every hit.
func pageLocations(ctx context.Context, bi bleve.Index, text query.Query, hits bsearch.DocumentMatchCollection) (map[string]bsearch.FieldTermLocationMap, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), text}), len(ids), 0, false)
	req.IncludeLocations = true
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bsearch.FieldTermLocationMap, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Locations
	}
	return out, nil
}

// compose is the scored query: the text, with the bonus phrase adding to
// the score only; nil for the empty query.
func compose(text, bonus query.Query) query.Query {
	if text == nil || bonus == nil {
		return text
	}
	bq := query.NewBooleanQuery([]query.Query{text}, nil, nil)
	bq.AddShould(bonus)
	return bq
}

// runAll runs the requests concurrently, each with its context, and returns
// their results by key.
func runAll(ctxs map[string]context.Context, bi bleve.Index, reqs map[string]*bleve.SearchRequest) (map[string]*bleve.SearchResult, error) {
	out := make(map[string]*bleve.SearchResult, len(reqs))
	if len(reqs) == 1 {
		for k, r := range reqs {
			res, err := bi.SearchInContext(ctxs[k], r)
			if err != nil {
				return nil, err
			}
			out[k] = res
		}
		return out, nil
	}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
	)
	for k, r := range reqs {
		wg.Go(func() {
			res, err := bi.SearchInContext(ctxs[k], r)
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
	req.Fields = []string{fieldDoc, fieldText, fieldEvidence}
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
