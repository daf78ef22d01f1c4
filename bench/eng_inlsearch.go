package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// inlEngine is inlsearch through package search: its mapping, its query
// language, its disjunctive facets, the vocabulary of the real taxonomy.
//
// The index is written as the one generation of a data folder, in the layout
// of search/store.go (generations/<id>/index, COMPLETE, CURRENT), so that
// `inlsearch serve --data DIR` serves it as it is.
type inlEngine struct{ ix *search.Index }

// generationID is the id of the generation the benchmark writes.
const generationID = "20250101T000000Z-bench"

// inlDataDir is the data folder of the inlsearch engine under the work folder.
func inlDataDir(dir string) string { return filepath.Join(dir, "inlsearch-data") }

func inlIndexPath(dir string) string {
	return filepath.Join(inlDataDir(dir), "generations", generationID, "index")
}

func (e *inlEngine) Build(ctx context.Context, c *Corpus, dir string) (time.Duration, error) {
	tg, err := tag.New()
	if err != nil {
		return 0, fmt.Errorf("tagger: %w", err)
	}
	path := inlIndexPath(dir)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, fmt.Errorf("data folder: %w", err)
	}
	t0 := time.Now()
	ix, err := search.Create(path, tg.Vocabulary())
	if err != nil {
		return 0, err
	}
	took := time.Since(t0)
	add, err := eachBatch(ctx, c, func(docs []search.Document) error { return ix.Add(ctx, docs) })
	if err != nil {
		_ = ix.Close()
		return 0, err
	}
	t0 = time.Now()
	if err := ix.Close(); err != nil {
		return 0, err
	}
	took += add + time.Since(t0)
	return took, publish(inlDataDir(dir), c.N)
}

// publish marks the generation complete and points the data folder at it,
// as search.Store's Commit does.
func publish(data string, passages int) error {
	gen := map[string]any{
		"id": generationID, "built_at": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		"passages": passages, "pages": (passages + 7) / 8, "stats": map[string]int{"bench": 1},
	}
	files := map[string]any{
		filepath.Join(data, "generations", generationID, "COMPLETE"): gen,
		filepath.Join(data, "CURRENT"):                               map[string]string{"current": generationID},
	}
	for path, v := range files {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("publish generation: %w", err)
		}
	}
	return nil
}

func (e *inlEngine) Open(dir string) error {
	ix, err := search.Open(inlIndexPath(dir))
	if err != nil {
		return err
	}
	// The per-class latencies are the engine's: no result is remembered
	// (queries repeat within a class). The HTTP test serves with the cache.
	ix.SetResultCache(0)
	e.ix = ix
	return nil
}

func (e *inlEngine) Run(ctx context.Context, q Query) (Answer, error) {
	res, err := e.ix.Search(ctx, q.Inl())
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Total: res.Total}
	if q.Facets {
		lists := map[string]map[string]int{}
		for f, vs := range res.Facets {
			m := map[string]int{}
			for _, v := range vs {
				m[v.Value] = v.Count
			}
			lists[f] = m
		}
		a.Facets = facetAnswer(lists)
	}
	return a, nil
}

func (e *inlEngine) Close() error {
	if e.ix == nil {
		return nil
	}
	return e.ix.Close()
}
