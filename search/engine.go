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
	// seen is the time of the crawl that built the index: the LastSeen of
	// a passage stored without one (see fields).
	seen time.Time
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

// Search runs q against bi: validation, parsing, the hits and the
// disjunctive facets, within Limits.Deadline. bi is one index or an alias of
// one index at a time.
func (e *Engine) Search(ctx context.Context, bi bleve.Index, q Query) (*Result, error) {
	p, err := e.Compile(q)
	if err != nil {
		return nil, err
	}
	return e.run(ctx, bi, p)
}

// run answers p on bi.
//
// Facet filters and the year range are bitmaps of the snapshot searched
// (facetIndex), applied around the text query without changing its scores.
// Facet counts intersect those bitmaps with the set of text matches: with a
// selection, an unscored search gathers that set while the scored search of
// the page runs.
//
// A search of several words that fewer than RelaxBelow passages match
// whole is run again with all words but one (relax.go), unless the query's
// Match is MatchAll.
func (e *Engine) run(ctx context.Context, bi bleve.Index, p *Plan) (*Result, error) {
	start := time.Now()
	ctx, cancel := e.bounded(ctx)
	defer cancel()
	if testHook != nil {
		testHook(ctx)
	}
	res, exact, relaxed, err := relax(p, func(p *Plan) (*Result, int, error) {
		res, err := e.search(ctx, bi, p)
		if err != nil {
			return nil, 0, err
		}
		return res, res.Total, nil
	}, nil)
	if err != nil {
		return nil, err
	}
	if relaxed {
		markRelaxed(res, exact)
	}
	res.Took = time.Since(start)
	return res, nil
}

// bounded is ctx within Limits.Deadline and bleve's cap on term searchers.
func (e *Engine) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, e.lim.Deadline)
	return context.WithValue(ctx, bsearch.MaxTermSearchersKey, 2*e.lim.MaxTerms+maxFilterValues*len(Facets)), cancel
}

// queries builds the bleve queries of p on bi: text, the words alone (nil
// for the empty query), and scored, what Search and Export run: the words
// with the bonus phrase, restricted to the passages of p's filters.
func (e *Engine) queries(ctx context.Context, bi bleve.Index, p *Plan) (text, scored query.Query, err error) {
	b := &builder{ctx: ctx, bi: bi, th: e.th, max: e.lim.MaxTerms}
	if text, err = b.query(p.expr); err != nil {
		return nil, nil, e.searchErr(ctx, err)
	}
	scored = &filteredQuery{inner: compose(text, b.bonus(p.expr)), filter: p.filter}
	if text != nil {
		scored = withStats(scored) // browsing scores nothing
	}
	return text, scored, nil
}

// search runs one plan: the hits of its page and its facets.
func (e *Engine) search(ctx context.Context, bi bleve.Index, p *Plan) (*Result, error) {
	q := p.q
	text, scored, err := e.queries(ctx, bi, p)
	if err != nil {
		return nil, err
	}
	filtered := len(p.filter.filters) > 0
	main := bleve.NewSearchRequestOptions(scored, p.perPage, (p.page-1)*p.perPage, false)
	main.Fields = []string{fieldDoc, fieldText}
	hits := &hitSet{keep: true, collect: !q.NoFacets && !filtered && text != nil}
	p.sortRequest(main, hits)
	if p.group {
		hits.group = newGrouper(main.Sort, main.From+main.Size)
	}
	// The main search always reports its snapshot; it gathers the text
	// matches too when no filter narrows them.
	var matches *hitSet
	reqs := map[string]*bleve.SearchRequest{"": main}
	ctxs := map[string]context.Context{"": ctx}
	if !q.NoFacets || p.sortKeys == nil || p.group {
		ctxs[""] = hits.context(ctx)
	}
	if !q.NoFacets && filtered && text != nil {
		matches = &hitSet{collect: true}
		r := bleve.NewSearchRequestOptions(&filteredQuery{inner: text, filter: p.filter, yearsOnly: true}, 0, 0, false)
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
		Hits: make([]Hit, 0, len(results[""].Hits)), Group: GroupPassage,
	}
	var locs map[string]bsearch.FieldTermLocationMap
	if text != nil && len(results[""].Hits) > 0 {
		if locs, err = pageLocations(ctx, bi, text, results[""].Hits); err != nil {
			return nil, e.searchErr(ctx, err)
		}
	}
	for _, h := range results[""].Hits {
		d, err := decodeDocument(h.ID, h.Fields, e.seen)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, Hit{Document: *d, Snippet: snippet(d.Text, locs[h.ID][fieldText]), Score: h.Score})
	}
	if g := hits.group; g != nil {
		res.Group, res.TotalPages = GroupPage, g.pages()
		g.groupHits(res, results[""].Hits)
	}
	if !q.NoFacets {
		fx, set := hits.fx, hits.docs
		switch {
		case matches != nil:
			fx, set = matches.fx, matches.docs
		case text == nil && fx != nil:
			set = fx.all
			if y := p.filter.on(fx).years; y != nil {
				set = y
			}
		}
		if fx == nil || set == nil {
			return nil, fmt.Errorf("search: no facet index")
		}
		flt := p.filter.on(fx)
		var counts map[string][]FacetValue
		switch {
		case set == fx.all && p.filter.empty() && p.group:
			counts = fx.browsePageCounts()
		case set == fx.all && p.filter.empty():
			counts = fx.browseCounts() // the same for every browse of the snapshot
		case p.group:
			counts = countPages(fx, set, flt.sets)
		default:
			counts = countFacets(fx, set, flt.sets)
		}
		res.Facets, res.FacetOthers = facets(counts, flt.selected, p.facet)
		res.YearsMentioned = byYear(counts[FacetYear])
		regionCountries(fx, res.Facets, counts[FacetCountry], flt.selected[FacetCountry])
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
	res, err := bi.SearchInContext(withPageIDs(ctx, ids), req)
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
	return decodeDocument(id, res.Hits[0].Fields, e.seen)
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
