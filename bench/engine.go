package main

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// Engine names, in report order.
var EngineNames = []string{"inlsearch", "fts5", "bleve_default", "lucene"}

// An Engine is one search engine under test. Build writes a new index of
// the corpus under dir; Open opens the index Build wrote, for queries.
type Engine interface {
	// Build indexes passages; add is timed by the caller through the
	// returned durations: only engine work counts, not generation.
	Build(ctx context.Context, c *Corpus, dir string) (time.Duration, error)
	Open(dir string) error
	Run(ctx context.Context, q Query) (Answer, error)
	Close() error
}

func newEngine(name string) (Engine, error) {
	switch name {
	case "inlsearch":
		return &inlEngine{}, nil
	case "fts5":
		return &ftsEngine{}, nil
	case "bleve_default":
		return &bleveEngine{}, nil
	case "lucene":
		return &luceneEngine{}, nil
	}
	return nil, fmt.Errorf("unknown engine %q", name)
}

// buildBatch is the number of passages generated, then handed to an engine, at a time.
var buildBatch = 1000

// generatedBytes is the size of the text (title, section, text) of the
// passages the last eachBatch generated: a child process builds one engine.
var generatedBytes int64

// eachBatch generates the corpus batch by batch and calls add on each,
// timing add only. It sums the size of the text on the way (generatedBytes),
// so that the corpus is not generated a second time to measure it.
func eachBatch(ctx context.Context, c *Corpus, add func([]search.Document) error) (time.Duration, error) {
	var took time.Duration
	generatedBytes = 0
	docs := make([]search.Document, 0, buildBatch)
	for start := 0; start < c.N; start += buildBatch {
		if err := ctx.Err(); err != nil {
			return took, err
		}
		docs = docs[:0]
		for i := start; i < min(start+buildBatch, c.N); i++ {
			d := c.Passage(i)
			generatedBytes += int64(len(d.Title) + len(d.Section) + len(d.Text))
			docs = append(docs, d)
		}
		t0 := time.Now()
		if err := add(docs); err != nil {
			return took, err
		}
		took += time.Since(t0)
	}
	return took, nil
}

// facetAnswer normalises facet lists (value → count) as Answer wants them.
func facetAnswer(lists map[string]map[string]int) map[string][]string {
	out := make(map[string][]string, len(search.Facets))
	for _, f := range search.Facets {
		out[f] = topValues(lists[f])
	}
	return out
}

// dirSize is the total size of the regular files under path.
func dirSize(path string) int64 {
	var n int64
	_ = filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// peakRSS reads the high-water mark of the resident set (VmHWM) of a
// process from /proc ("self" for this one), in bytes; 0 when unknown.
func peakRSS(pid string) int64 {
	return procStatus(pid, "VmHWM:")
}

func procStatus(pid, key string) int64 {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
