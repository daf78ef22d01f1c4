package main

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// inlEngine is inlsearch through package search: its mapping, its query
// language, its disjunctive facets, the vocabulary of the real taxonomy.
//
// The index is built as the crawl job builds a full generation — a data
// folder's search.Store, BeginBuild, Build.Add 1,000 passages at a time,
// Commit (close, reopen, count and probe, COMPLETE, CURRENT) — so that
// `inlsearch serve --data DIR` serves it as it is.
type inlEngine struct{ ix *search.Index }

// inlDataDir is the data folder of the inlsearch engine under the work folder.
func inlDataDir(dir string) string { return filepath.Join(dir, "inlsearch-data") }

// inlIndexPath is the index of the data folder's current generation.
func inlIndexPath(dir string) string {
	st, err := search.NewStore(inlDataDir(dir))
	if err != nil {
		return ""
	}
	id, _, err := st.Pointer()
	if err != nil {
		return ""
	}
	return st.IndexPath(id)
}

// Build writes the passages to a file first, untimed (as the lucene engine
// does), and times the build from that file: Build.Add writes in the
// background while the caller reads the next passages, so timing the calls
// of Add alone, as eachBatch does, would leave out the writing that overlaps
// the untimed generation of the passages. Reading the file back is timed,
// as the crawl job's reading of its crawl record is part of its index step.
func (e *inlEngine) Build(ctx context.Context, c *Corpus, dir string) (time.Duration, error) {
	tg, err := tag.New()
	if err != nil {
		return 0, fmt.Errorf("tagger: %w", err)
	}
	st, err := search.NewStore(inlDataDir(dir))
	if err != nil {
		return 0, err
	}
	st.Now = func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	passages := filepath.Join(dir, "passages.gob")
	if err := writePassages(ctx, c, passages); err != nil {
		return 0, err
	}
	defer func() { _ = os.Remove(passages) }()
	f, err := os.Open(passages)
	if err != nil {
		return 0, fmt.Errorf("passages file: %w", err)
	}
	defer f.Close()
	t0 := time.Now()
	b, err := st.BeginBuild(search.BuildOptions{Vocabulary: tg.Vocabulary()})
	if err != nil {
		return 0, err
	}
	if err := addFromFile(ctx, b, f); err != nil {
		return 0, fmt.Errorf("build: %w", err)
	}
	t1 := time.Now()
	g := search.Generation{Passages: c.N, Pages: (c.N + 7) / 8, Stats: map[string]int{"bench": 1}}
	if err := b.Commit(g, true); err != nil {
		return 0, err
	}
	fmt.Fprintf(os.Stderr, "bench: inlsearch Build.Add %.1fs, Commit %.1fs (writes that were in flight, close, reopen, checks, publication)\n",
		t1.Sub(t0).Seconds(), time.Since(t1).Seconds())
	return time.Since(t0), nil
}

// addFromFile adds to b the batches of passages gob-encoded in f, as the
// crawl job adds those it reads from its crawl record; on an error the
// build is aborted.
func addFromFile(ctx context.Context, b *search.Build, f io.Reader) error {
	dec := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	for {
		var docs []search.Document
		err := dec.Decode(&docs)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err == nil {
			err = b.Add(ctx, docs)
		}
		if err != nil {
			b.Abort()
			return err
		}
	}
}

// writePassages generates the corpus into path, buildBatch passages per
// gob value.
func writePassages(ctx context.Context, c *Corpus, path string) error {
	return writeBatches(path, func(emit func([]search.Document) error) error {
		_, err := eachBatch(ctx, c, emit)
		return err
	})
}

// writeBatches writes to path, one gob value each, the batches of passages
// gen emits (addFromFile reads them back).
func writeBatches(path string, gen func(emit func([]search.Document) error) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("passages file: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := gob.NewEncoder(w)
	if err := gen(func(docs []search.Document) error { return enc.Encode(docs) }); err != nil {
		_ = f.Close()
		return fmt.Errorf("passages file: %w", err)
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return fmt.Errorf("passages file: %w", err)
	}
	return f.Close()
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
