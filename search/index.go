package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// BatchSize is the number of documents Add writes per bleve batch.
const BatchSize = 500

// boltTimeout bounds the wait for the index's file lock (bleve #1167).
const boltTimeout = "2s"

// Internal keys stored with the index.
var (
	keyVocabulary = []byte("inlsearch.vocabulary")
	keySchema     = []byte("inlsearch.schema")
	// keySeenAt holds the time of the crawl that built the index, as text
	// (see fields); absent for an index built outside a crawl.
	keySeenAt = []byte("inlsearch.seen_at")
	// keySegments holds the format of the index's segments (segmentFormat);
	// absent for zapx v17.
	keySegments = []byte("inlsearch.segments")
)

// schemaVersion changes when the mapping changes incompatibly.
const schemaVersion = "1"

// Index is one on-disk passage index (bleve scorch) with the vocabulary it
// was tagged with. It is safe for concurrent use.
type Index struct {
	bi       bleve.Index
	eng      *Engine
	readOnly bool
	seen     time.Time    // the crawl's time (keySeenAt), given to fields
	cache    *resultCache // read-only indexes: recent results (cache.go)

	// fx is, for a read-only index, the facet index of its one snapshot:
	// read by Open, or on first need (fxOnce) for an index opened lazily.
	fxOnce sync.Once
	fx     *facetIndex
}

// Create makes a new index at path, which must not exist, and stores voc in it.
func Create(path string, voc Vocabulary) (*Index, error) {
	eng, err := NewEngine(voc, Limits{})
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(voc)
	if err != nil {
		return nil, fmt.Errorf("encode vocabulary: %w", err)
	}
	bi, err := bleve.NewUsing(path, NewMapping(), scorch.Name, bleve.Config.DefaultKVStore,
		segmentConfig(map[string]any{"bolt_timeout": boltTimeout}))
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	for k, v := range map[string][]byte{
		string(keyVocabulary): raw, string(keySchema): []byte(schemaVersion), string(keySegments): []byte(segmentFormat),
	} {
		if err := bi.SetInternal([]byte(k), v); err != nil {
			_ = bi.Close()
			return nil, fmt.Errorf("store %s: %w", k, err)
		}
	}
	return &Index{bi: bi, eng: eng}, nil
}

// Open opens the index at path read-only, so that several processes may
// serve it at once; Add then fails. It waits at most 2 s for the file lock.
// A corrupt index is an error, never a crash: bbolt panics on some damaged
// files (a torn root.bolt) and a truncated memory-mapped file faults; both
// are turned into errors here.
func Open(path string) (*Index, error) { return open(path, false) }

// openLazy opens the index at path read-only as Open does, but reads
// neither its facet index nor its BM25 statistics: each is built when a
// search first needs it (once per snapshot, facetCache and bm25Cache).
// Changes against an earlier generation needs neither: only the
// snapshot's pages (pageIndexOf).
func openLazy(path string) (*Index, error) { return open(path, true) }

func open(path string, lazy bool) (ix *Index, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			ix, err = nil, fmt.Errorf("open index %s: %w: %v", path, ErrCorrupt, v)
		}
	}()
	bi, err := bleve.OpenUsing(path, map[string]any{"read_only": true, "bolt_timeout": boltTimeout})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	voc, err := LoadVocabulary(bi)
	if err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	eng, err := NewEngine(voc, Limits{})
	if err != nil {
		_ = bi.Close()
		return nil, err
	}
	if eng.seen, err = loadSeenAt(bi); err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	ix = &Index{bi: bi, eng: eng, readOnly: true, seen: eng.seen, cache: newResultCache(DefaultResultCacheBytes)}
	if lazy {
		return ix, nil
	}
	// A read-only index never changes: its facet bitmaps and sort orders
	// are read now rather than by the first search.
	fx, err := warmFacets(bi)
	if err == nil {
		err = warmBM25(bi)
	}
	if err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	ix.fxOnce.Do(func() { ix.fx = fx })
	return ix, nil
}

// warm reads what a served generation needs before its first search (its
// facet index and BM25 statistics) when the index was opened lazily; it
// is cheap once they are read.
func (ix *Index) warm() error {
	if !ix.readOnly {
		return nil
	}
	if _, err := warmFacets(ix.bi); err != nil {
		return fmt.Errorf("warm index: %w", err)
	}
	ix.facets()
	if err := warmBM25(ix.bi); err != nil {
		return fmt.Errorf("warm index: %w", err)
	}
	return nil
}

// facets returns the facet index of a read-only index's snapshot, reading
// it on first need when the index was opened lazily (nil when that fails:
// the search that needs it then reports why). Writable indexes have none.
func (ix *Index) facets() *facetIndex {
	if !ix.readOnly {
		return nil
	}
	ix.fxOnce.Do(func() {
		if fx, err := warmFacets(ix.bi); err == nil {
			ix.fx = fx
		}
	})
	return ix.fx
}

// openWritable opens the index at path to add to it, replacing its
// vocabulary with voc. A damaged index is an error, never a crash (Open).
func openWritable(path string, voc Vocabulary) (ix *Index, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			ix, err = nil, fmt.Errorf("open index %s: %w: %v", path, ErrCorrupt, v)
		}
	}()
	// Only an incremental build opens an index to write to, and only a
	// generation of this binary's IndexVersion, whose segments are in
	// segmentFormat: new segments and merges are written in it too.
	bi, err := bleve.OpenUsing(path, segmentConfig(map[string]any{"bolt_timeout": boltTimeout}))
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	fail := func(err error) (*Index, error) {
		_ = bi.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if _, err := LoadVocabulary(bi); err != nil {
		return fail(err)
	}
	if f, err := storedSegmentFormat(bi); err != nil {
		return fail(err)
	} else if f != segmentFormat {
		return fail(fmt.Errorf("segment format %q, this binary writes %q", f, segmentFormat))
	}
	raw, err := json.Marshal(voc)
	if err != nil {
		return fail(fmt.Errorf("encode vocabulary: %w", err))
	}
	if err := bi.SetInternal(keyVocabulary, raw); err != nil {
		return fail(err)
	}
	eng, err := NewEngine(voc, Limits{})
	if err != nil {
		return fail(err)
	}
	return &Index{bi: bi, eng: eng}, nil
}

// loadSeenAt reads the time stored under keySeenAt; zero when absent.
func loadSeenAt(bi bleve.Index) (time.Time, error) {
	var t time.Time
	raw, err := bi.GetInternal(keySeenAt)
	if err != nil {
		return t, fmt.Errorf("read %s: %w", keySeenAt, err)
	}
	if len(raw) == 0 {
		return t, nil
	}
	if err := t.UnmarshalText(raw); err != nil {
		return t, fmt.Errorf("read %s: %w", keySeenAt, err)
	}
	return t, nil
}

// LoadVocabulary reads the vocabulary stored in a bleve index by Create.
func LoadVocabulary(bi bleve.Index) (Vocabulary, error) {
	var voc Vocabulary
	if v, err := bi.GetInternal(keySchema); err != nil {
		return voc, fmt.Errorf("read schema version: %w", err)
	} else if string(v) != schemaVersion {
		return voc, fmt.Errorf("index schema %q, want %q: rebuild the index", v, schemaVersion)
	}
	raw, err := bi.GetInternal(keyVocabulary)
	if err != nil {
		return voc, fmt.Errorf("read vocabulary: %w", err)
	}
	if len(raw) == 0 {
		return voc, nil
	}
	if err := json.Unmarshal(raw, &voc); err != nil {
		return voc, fmt.Errorf("decode vocabulary: %w", err)
	}
	return voc, nil
}

// SetLimits replaces the index's search limits (zero fields take
// DefaultLimits). Call it before the index is shared.
func (ix *Index) SetLimits(lim Limits) {
	ix.eng = &Engine{voc: ix.eng.voc, th: ix.eng.th, lim: lim.withDefaults(), seen: ix.eng.seen}
	if ix.cache != nil {
		ix.cache = newResultCache(ix.cache.max) // results under the old limits
	}
}

// Engine returns the query engine of the index, to run on an alias.
func (ix *Index) Engine() *Engine { return ix.eng }

// Bleve returns the underlying bleve index, to be put behind an IndexAlias.
func (ix *Index) Bleve() bleve.Index { return ix.bi }

// Add indexes docs in batches of BatchSize, two in flight. A document with
// an ID already in the index (or later in docs) replaces it. Each batch is
// durable when Add returns.
func (ix *Index) Add(ctx context.Context, docs []Document) error {
	if ix.readOnly {
		return errors.New("add: index is open read-only")
	}
	return addDocsFunc(ctx, ix.bi, docs, ix.seen, nil)
}

// Compile compiles q into a plan that runs on this index. On an index
// opened read-only its filters are resolved at once, on the facet index of
// its one snapshot. Errors wrap ErrBadQuery, ErrBadPagination or
// ErrBadFilter.
func (ix *Index) Compile(q Query) (*Plan, error) {
	p, err := ix.eng.Compile(q)
	if err != nil {
		return nil, err
	}
	p.ix = ix
	if fx := ix.facets(); fx != nil {
		p.bind(fx)
	}
	return p, nil
}

// Search runs q. Errors: ErrBadQuery, ErrBadPagination, ErrBadFilter,
// ErrTimeout, ErrUnavailable (closed index). An index opened read-only
// remembers recent results (SetResultCache): the hits and facets of a
// result may be shared with other callers and must not be modified.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	p, err := ix.Compile(q)
	if err != nil {
		return nil, err
	}
	return ix.SearchPlan(ctx, p)
}

// SearchPlan runs a plan this index compiled (see Search), answering from
// the results it remembers when it can: they are keyed by the normalised
// plan.
func (ix *Index) SearchPlan(ctx context.Context, p *Plan) (*Result, error) {
	if p.ix != ix {
		return nil, errForeignPlan
	}
	return ix.cache.search(ctx, p.key, func(ctx context.Context) (*Result, error) {
		return ix.eng.run(ctx, ix.bi, p)
	})
}

// Export passes every hit of q to fn, in the order of q.Sort, from one
// snapshot of the index (see Engine.Export). ExportInfo.Generation is empty.
func (ix *Index) Export(ctx context.Context, q Query, begin func(ExportInfo) error, fn func(Hit) error) (int, error) {
	p, err := ix.Compile(ExportQuery(q))
	if err != nil {
		return 0, err
	}
	return ix.ExportPlan(ctx, p, begin, fn)
}

// ExportPlan passes every hit of a plan this index compiled to fn (see
// Engine.Export); the plan's page is ignored.
func (ix *Index) ExportPlan(ctx context.Context, p *Plan, begin func(ExportInfo) error, fn func(Hit) error) (int, error) {
	if p.ix != ix {
		return 0, errForeignPlan
	}
	return ix.eng.export(ctx, ix.bi, p, begin, fn)
}

// Get returns the document with that id, or ErrNotFound.
func (ix *Index) Get(ctx context.Context, id string) (*Document, error) {
	return ix.eng.Get(ctx, ix.bi, id)
}

// Count returns the number of documents.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.bi.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// Vocabulary returns the vocabulary stored with the index.
func (ix *Index) Vocabulary() Vocabulary { return ix.eng.voc }

// Close closes the index.
func (ix *Index) Close() error {
	if err := ix.bi.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}
