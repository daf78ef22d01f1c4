package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Similar passages ("more like this"): a passage's distinctive terms, those
// with the most BM25 weight in it (term frequency, saturated, times the
// inverse document frequency in the index), not the most frequent ones,
// and its tags (organizations, countries, regions, topics). The candidates
// are the passages sharing at least two of its distinctive terms (when it
// has four or more), each term clause boosted by its weight; a shared tag
// adds to their score without making a candidate, since a tag's passages
// are an eighth of the index or more and scoring them all was most of the
// cost. With fewer such passages than asked for, one shared term makes a
// candidate; with fewer still, the broad query, where any shared term or
// tag does. The passage
// itself is left out, and so are the other passages of its page unless
// SimilarOptions.SamePage.
//
// The document frequencies that pick the terms come from a table of the
// snapshot's text terms, built once per snapshot (termDocFreqs), rather
// than from a dictionary lookup in every segment for each of the
// passage's hundreds of distinct terms.

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
	// similarHalf: a term in more than half the passages is never
	// distinctive, however small the index (its idf is below 0.7, and two
	// such words would make every passage a candidate).
	similarHalf = 0.5
	// similarShared is how many distinctive terms a candidate shares at
	// least, when the passage has similarSharedFrom of them or more.
	similarShared     = 2
	similarSharedFrom = 4
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
	df, n, err := textDocFreqs(ctx, bi)
	if err != nil {
		return nil, e.searchErr(ctx, err)
	}
	terms, err := distinctiveTerms(bi, d.Text, df, n)
	if err != nil {
		return nil, err
	}
	var text, tags []query.Query
	top := 0.0
	for _, t := range terms {
		tq := query.NewTermQuery(t.term)
		tq.SetField(fieldText)
		tq.SetBoost(t.w)
		text = append(text, tq)
		top = max(top, t.w)
	}
	// A shared tag weighs half the passage's most distinctive term.
	tagBoost := max(top/2, 0.5)
	for _, ft := range []struct {
		facet string
		vals  []string
	}{{FacetOrganization, d.Organizations}, {FacetCountry, d.Countries}, {FacetRegion, d.Regions}, {FacetTopic, d.Topics}} {
		for _, v := range ft.vals {
			tq := query.NewTermQuery(v)
			tq.SetField(ft.facet)
			tq.SetBoost(tagBoost)
			tags = append(tags, tq)
		}
	}
	res := &Result{Query: "similar:" + id, Page: 1, PerPage: opt.Size, Hits: []Hit{}}
	if len(text)+len(tags) == 0 {
		res.Took = time.Since(start)
		return res, nil
	}
	not := []query.Query{query.NewDocIDQuery([]string{id})}
	if !opt.SamePage && d.PageURL != "" {
		pq := query.NewTermQuery(d.PageURL)
		pq.SetField(fieldPageURL)
		not = append(not, pq)
	}
	search := func(q query.Query) (*bleve.SearchResult, error) {
		req := bleve.NewSearchRequestOptions(q, opt.Size, 0, false)
		req.Fields = []string{fieldDoc, fieldText}
		out, err := bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, e.searchErr(ctx, err)
		}
		return out, nil
	}
	var out *bleve.SearchResult
	for _, shared := range sharedSteps(len(text)) {
		dq := query.NewDisjunctionQuery(text)
		dq.SetMin(float64(shared))
		bq := query.NewBooleanQuery([]query.Query{dq}, nil, not)
		if len(tags) > 0 {
			bq.AddShould(query.NewDisjunctionQuery(tags))
		}
		if out, err = search(bq); err != nil {
			return nil, err
		}
		if len(out.Hits) >= opt.Size {
			break
		}
	}
	if out == nil || len(out.Hits) < opt.Size {
		// Few neighbours by their words: any shared term or tag counts.
		broad := query.NewBooleanQuery(nil, append(slices.Clone(text), tags...), not)
		if out, err = search(broad); err != nil {
			return nil, err
		}
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

// sharedSteps are the numbers of distinctive terms (of n) a candidate
// shares at least, tried in turn until enough passages share them.
func sharedSteps(n int) []int {
	switch {
	case n == 0:
		return nil
	case n < similarSharedFrom:
		return []int{1}
	}
	return []int{similarShared, 1}
}

// distinctiveTerms returns the terms of text (analysed as the text field)
// with the most BM25 weight: saturated term frequency times idf over n
// passages; df holds the document frequency of every term that can be
// distinctive (see termDocFreqs): one it lacks is held by no other passage
// (it can match nothing) or by too many.
func distinctiveTerms(bi bleve.Index, text string, df map[string]uint32, n uint64) ([]weighted, error) {
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
	out := make([]weighted, 0, len(tf))
	for term, f := range tf {
		c, ok := df[term]
		if !ok {
			continue
		}
		sat := float64(f) * (similarK1 + 1) / (float64(f) + similarK1)
		out = append(out, weighted{term, sat * idf(n, uint64(c))})
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

// textDocFreqs returns the document frequencies of the text terms of bi's
// current snapshot that can be distinctive, and its number of passages.
// The first call of a snapshot starts reading them (termDocFreqs); a call
// whose ctx ends first returns its error, and the read goes on for the
// next call, so that under load a slow read cannot fail every call in
// turn while the search deadline still holds for each.
func textDocFreqs(ctx context.Context, bi bleve.Index) (map[string]uint32, uint64, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, 0, fmt.Errorf("similar: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, 0, fmt.Errorf("similar: %w", err)
	}
	fx, err := facetIndexOf(r)
	if err != nil {
		_ = r.Close()
		return nil, 0, err
	}
	df, err := fx.termDocFreqs(ctx, r)
	return df, fx.all.GetCardinality(), err
}

// termDocFreqs is the document frequency of every term of the text field
// of fx's snapshot that distinctiveTerms may keep: at least 3 bytes, in 2
// passages or more, not in more than half of them, nor in more than
// similarMaxDF of them (above similarMinCap). It is read once per
// snapshot, in one pass over the field's dictionary, by a goroutine the
// first call starts, which takes r (a reader of that snapshot) and closes
// it; other calls close theirs. It waits for the read until ctx ends.
func (fx *facetIndex) termDocFreqs(ctx context.Context, r index.IndexReader) (map[string]uint32, error) {
	took := false
	fx.dfOnce.Do(func() {
		took = true
		fx.dfDone = make(chan struct{})
		go func() {
			defer close(fx.dfDone)
			defer func() { _ = r.Close() }()
			fx.textDF, fx.dfErr = readDocFreqs(r, float64(fx.all.GetCardinality()))
		}()
	})
	if !took {
		_ = r.Close()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case <-fx.dfDone:
		return fx.textDF, fx.dfErr
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readDocFreqs reads the table of termDocFreqs from r, of n passages.
func readDocFreqs(r index.IndexReader, n float64) (map[string]uint32, error) {
	d, err := r.FieldDict(fieldText)
	if err != nil {
		return nil, fmt.Errorf("similar: %w", err)
	}
	defer func() { _ = d.Close() }()
	df := map[string]uint32{}
	for {
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("similar: %w", err)
		}
		if e == nil {
			return df, nil
		}
		c := float64(e.Count)
		if len(e.Term) < 3 || e.Count < 2 || c > similarHalf*n || (e.Count > similarMinCap && c > similarMaxDF*n) {
			continue
		}
		df[e.Term] = uint32(e.Count)
	}
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
