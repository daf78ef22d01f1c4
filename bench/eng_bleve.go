package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/inlsearch/inlsearch/search"
)

// bleveEngine is vanilla bleve, the naive baseline: the default mapping
// (dynamic fields, standard analyzer, _all, everything stored with term
// vectors), the query-string syntax on _all, highlighted snippets, and
// the same facet requests as inlsearch run one after the other. The one
// departure from the default mapping is that the facet fields are keywords:
// without it facets would count single words of the names.
type bleveEngine struct{ bi bleve.Index }

// bleveFacetScan is how many values per facet are asked for.
const bleveFacetScan = 1000

func blevePath(dir string) string { return filepath.Join(dir, "bleve_default") }

func bleveMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	for _, f := range search.Facets {
		kw := bleve.NewTextFieldMapping()
		kw.Analyzer = keyword.Name
		im.DefaultMapping.AddFieldMappingsAt(f, kw)
	}
	return im
}

func (e *bleveEngine) Build(ctx context.Context, c *Corpus, dir string) (time.Duration, error) {
	t0 := time.Now()
	bi, err := bleve.New(blevePath(dir), bleveMapping())
	if err != nil {
		return 0, fmt.Errorf("create bleve index: %w", err)
	}
	took := time.Since(t0)
	add, err := eachBatch(ctx, c, func(docs []search.Document) error {
		for start := 0; start < len(docs); start += search.BatchSize {
			b := bi.NewBatch()
			for i := start; i < min(start+search.BatchSize, len(docs)); i++ {
				d := &docs[i]
				t := Tags{Organizations: d.Organizations, Countries: d.Countries, Regions: d.Regions,
					Topics: d.Topics, Type: d.Type, Years: d.Years}
				m := map[string]any{
					"id": d.ID, "url": d.URL, "title": d.Title, "section": d.Section, "text": d.Text,
					"published": d.Published, "amount": d.Amounts,
				}
				for _, f := range search.Facets {
					m[f] = t.Values(f)
				}
				if err := b.Index(d.ID, m); err != nil {
					return fmt.Errorf("index %s: %w", d.ID, err)
				}
			}
			if err := bi.Batch(b); err != nil {
				return fmt.Errorf("batch: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		_ = bi.Close()
		return 0, err
	}
	t0 = time.Now()
	if err := bi.Close(); err != nil {
		return 0, fmt.Errorf("close: %w", err)
	}
	return took + add + time.Since(t0), nil
}

func (e *bleveEngine) Open(dir string) error {
	bi, err := bleve.Open(blevePath(dir))
	if err != nil {
		return fmt.Errorf("open bleve index: %w", err)
	}
	e.bi = bi
	return nil
}

// request is the query with every filter but skip's.
func (e *bleveEngine) request(q Query, skip string, size, from int) *bleve.SearchRequest {
	var text query.Query = bleve.NewMatchAllQuery()
	if s := q.QueryString(); len(q.Words) > 0 {
		text = bleve.NewQueryStringQuery(s)
	}
	var fs []query.Query
	for _, f := range q.Filters {
		if f.Facet != skip {
			t := bleve.NewTermQuery(f.Value)
			t.SetField(f.Facet)
			fs = append(fs, t)
		}
	}
	qq := text
	if len(fs) > 0 {
		b := bleve.NewBooleanQuery()
		b.AddMust(text)
		b.AddMust(fs...)
		qq = b
	}
	return bleve.NewSearchRequestOptions(qq, size, from, false)
}

func (e *bleveEngine) Run(ctx context.Context, q Query) (Answer, error) {
	var a Answer
	main := e.request(q, "", PerPage, (q.Page-1)*PerPage)
	main.Fields = []string{"id", "title", "url"}
	if len(q.Words) > 0 {
		main.Highlight = bleve.NewHighlightWithStyle("html")
		main.Highlight.AddField("text")
	} else {
		main.SortBy([]string{"-published", "title"})
	}
	extra := map[string]*bleve.SearchRequest{}
	if q.Facets {
		for _, f := range search.Facets {
			selected := false
			for _, x := range q.Filters {
				selected = selected || x.Facet == f
			}
			if !selected {
				main.AddFacet(f, bleve.NewFacetRequest(f, bleveFacetScan))
				continue
			}
			r := e.request(q, f, 0, 0)
			r.AddFacet(f, bleve.NewFacetRequest(f, bleveFacetScan))
			extra[f] = r
		}
	}
	res, err := e.bi.SearchInContext(ctx, main)
	if err != nil {
		return a, err
	}
	a.Total = int(res.Total)
	if !q.Facets {
		return a, nil
	}
	lists := map[string]map[string]int{}
	collect := func(f string, r *bleve.SearchResult) {
		m := map[string]int{}
		if fr := r.Facets[f]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				m[t.Term] = t.Count
			}
		}
		lists[f] = m
	}
	for _, f := range search.Facets {
		if r, ok := extra[f]; ok {
			fr, err := e.bi.SearchInContext(ctx, r)
			if err != nil {
				return a, err
			}
			collect(f, fr)
			continue
		}
		collect(f, res)
	}
	a.Facets = facetAnswer(lists)
	return a, nil
}

func (e *bleveEngine) Close() error {
	if e.bi == nil {
		return nil
	}
	return e.bi.Close()
}
