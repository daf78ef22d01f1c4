package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
)

// schemaVersion changes when the mapping changes incompatibly.
const schemaVersion = "1"

// Index is one on-disk passage index (bleve scorch) with the vocabulary it
// was tagged with. It is safe for concurrent use.
type Index struct {
	bi       bleve.Index
	eng      *Engine
	readOnly bool
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
		map[string]any{"bolt_timeout": boltTimeout})
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	for k, v := range map[string][]byte{string(keyVocabulary): raw, string(keySchema): []byte(schemaVersion)} {
		if err := bi.SetInternal([]byte(k), v); err != nil {
			_ = bi.Close()
			return nil, fmt.Errorf("store %s: %w", k, err)
		}
	}
	return &Index{bi: bi, eng: eng}, nil
}

// Open opens the index at path read-only, so that several processes may
// serve it at once; Add then fails. It waits at most 2 s for the file lock.
func Open(path string) (*Index, error) {
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
	return &Index{bi: bi, eng: eng, readOnly: true}, nil
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
	ix.eng = &Engine{voc: ix.eng.voc, th: ix.eng.th, lim: lim.withDefaults()}
}

// Engine returns the query engine of the index, to run on an alias.
func (ix *Index) Engine() *Engine { return ix.eng }

// Bleve returns the underlying bleve index, to be put behind an IndexAlias.
func (ix *Index) Bleve() bleve.Index { return ix.bi }

// Add indexes docs in batches of BatchSize. A document with an ID already
// in the index replaces it. Each batch is durable when Add returns.
func (ix *Index) Add(ctx context.Context, docs []Document) error {
	if ix.readOnly {
		return errors.New("add: index is open read-only")
	}
	for start := 0; start < len(docs); start += BatchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := ix.bi.NewBatch()
		for i := start; i < min(start+BatchSize, len(docs)); i++ {
			d := &docs[i]
			if d.ID == "" {
				return fmt.Errorf("add: document %d (%s) has no id", i, d.URL)
			}
			m, err := fields(d)
			if err != nil {
				return err
			}
			if err := b.Index(d.ID, m); err != nil {
				return fmt.Errorf("add %s: %w", d.ID, err)
			}
		}
		if err := ix.bi.Batch(b); err != nil {
			return fmt.Errorf("add batch: %w", err)
		}
	}
	return nil
}

// Search runs q. Errors: ErrBadQuery, ErrBadPagination, ErrBadFilter,
// ErrTimeout, ErrUnavailable (closed index).
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	return ix.eng.Search(ctx, ix.bi, q)
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
