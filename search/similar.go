package search

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Similar passages ("more like this"): a passage's distinctive terms, those
// with the most BM25 weight in it (term frequency, saturated, times the
// inverse document frequency in the index), not the most frequent ones,
// and its tags (organizations, countries, regions, topics) make one
// disjunction, each clause boosted by its weight; the passages that share
// the most weight with it come first. The passage itself is left out, and
// so are the other passages of its page unless SimilarOptions.SamePage.

// Bounds of Similar.
const (
	similarTerms   = 25  // distinctive terms kept
	MaxSimilarSize = 100 // hits at most
	similarK1      = 1.2 // BM25 term-frequency saturation, as bleve's
	// similarMaxDF: a term in more than this share of the passages (and
	// in more than similarMinCap of them: a small index is cheap to
	// search) is not distinctive, and would make the disjunction visit
	// most of the index.
	similarMaxDF  = 0.1
	similarMinCap = 100
)

// SimilarOptions shape a Similar search.
type SimilarOptions struct {
	Size     int  // hits (1–MaxSimilarSize; 0: 10)
	SamePage bool // also the other passages of the passage's page
}

type weighted struct {
	term string
	w    float64
}

// Similar returns the passages most like passage id (see the package
// comment above). Errors: ErrNotFound, ErrBadPagination (size), ErrTimeout.
func (e *Engine) Similar(ctx context.Context, bi bleve.Index, id string, opt SimilarOptions) (*Result, error) {
	start := time.Now()
	if opt.Size == 0 {
		opt.Size = 10
	}
	if opt.Size < 1 || opt.Size > MaxSimilarSize {
		return nil, fmt.Errorf("%w: size must be between 1 and %d", ErrBadPagination, MaxSimilarSize)
	}
	ctx, cancel := e.bounded(ctx)
	defer cancel()
	d, err := e.Get(ctx, bi, id)
	if err != nil {
		return nil, err
	}
	terms, err := distinctiveTerms(bi, d.Text)
	if err != nil {
		return nil, err
	}
	var should []query.Query
	var text []query.Query
	top := 0.0
	for _, t := range terms {
		tq := query.NewTermQuery(t.term)
		tq.SetField(fieldText)
		tq.SetBoost(t.w)
		should = append(should, tq)
		text = append(text, tq)
		top = max(top, t.w)
	}
	// A shared tag weighs half the passage's most distinctive term.
	tagBoost := max(top/2, 0.5)
	for facet, vals := range map[string][]string{FacetOrganization: d.Organizations, FacetCountry: d.Countries, FacetRegion: d.Regions, FacetTopic: d.Topics} {
		for _, v := range vals {
			tq := query.NewTermQuery(v)
			tq.SetField(facet)
			tq.SetBoost(tagBoost)
			should = append(should, tq)
		}
	}
	res := &Result{Query: "similar:" + id, Page: 1, PerPage: opt.Size, Hits: []Hit{}}
	if len(should) == 0 {
		res.Took = time.Since(start)
		return res, nil
	}
	not := []query.Query{query.NewDocIDQuery([]string{id})}
	if !opt.SamePage && d.PageURL != "" {
		pq := query.NewTermQuery(d.PageURL)
		pq.SetField(fieldPageURL)
		not = append(not, pq)
	}
	bq := query.NewBooleanQuery(nil, should, not)
	req := bleve.NewSearchRequestOptions(bq, opt.Size, 0, false)
	req.Fields = []string{fieldDoc, fieldText}
	out, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	res.Total = int(out.Total)
	res.ExactTotal = res.Total
	where := map[string]bsearch.FieldTermLocationMap{}
	if len(text) > 0 && len(out.Hits) > 0 {
		where, err = pageLocations(ctx, bi, query.NewDisjunctionQuery(text), out.Hits)
	}
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	for _, h := range out.Hits {
		hd, err := decodeDocument(h.ID, h.Fields, e.seen)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, Hit{Document: *hd, Snippet: snippet(hd.Text, where[h.ID][fieldText]), Score: h.Score})
	}
	res.Took = time.Since(start)
	return res, nil
}

// distinctiveTerms returns the terms of text (analysed as the text field)
// with the most BM25 weight: saturated term frequency times idf; terms no
// other passage holds are left out, since they can match nothing, and so
// are terms in more than similarMaxDF of the passages.
func distinctiveTerms(bi bleve.Index, text string) ([]weighted, error) {
	an := bi.Mapping().AnalyzerNamed(textAnalyzerName)
	if an == nil {
		return nil, fmt.Errorf("similar: no analyzer %s", textAnalyzerName)
	}
	tf := map[string]int{}
	for _, tok := range an.Analyze([]byte(text)) {
		if len(tok.Term) >= 3 {
			tf[string(tok.Term)]++
		}
	}
	n, err := bi.DocCount()
	if err != nil {
		return nil, fmt.Errorf("similar: %w", err)
	}
	out := make([]weighted, 0, len(tf))
	for term, f := range tf {
		df := termDocFreq(bi, fieldText, term)
		if df < 2 || (df > similarMinCap && float64(df) > similarMaxDF*float64(n)) {
			continue
		}
		sat := float64(f) * (similarK1 + 1) / (float64(f) + similarK1)
		out = append(out, weighted{term, sat * idf(n, df)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].w != out[j].w {
			return out[i].w > out[j].w
		}
		return out[i].term < out[j].term
	})
	if len(out) > similarTerms {
		out = out[:similarTerms]
	}
	for i := range out {
		out[i].w = math.Round(out[i].w*1000) / 1000
	}
	return out, nil
}

// termDocFreq is the number of passages holding term in field.
func termDocFreq(bi bleve.Index, field, term string) uint64 {
	d, err := bi.FieldDictPrefix(field, []byte(term))
	if err != nil {
		return 0
	}
	defer func() { _ = d.Close() }()
	if e, err := d.Next(); err == nil && e != nil && e.Term == term {
		return e.Count
	}
	return 0
}

// Similar returns the passages most like passage id (Engine.Similar).
func (ix *Index) Similar(ctx context.Context, id string, opt SimilarOptions) (*Result, error) {
	return ix.eng.Similar(ctx, ix.bi, id, opt)
}

// Similar returns the passages of generation gen ("" the one served) most
// like passage id (Engine.Similar); errors also ErrGenerationGone.
func (l *Live) Similar(ctx context.Context, gen, id string, opt SimilarOptions) (*Result, error) {
	h, err := l.acquireAt(gen)
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	res, err := h.ix.Similar(ctx, id, opt)
	if err != nil {
		return nil, err
	}
	res.Generation = h.id
	return res, nil
}
