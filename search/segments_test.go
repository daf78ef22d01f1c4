package search

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	stock "github.com/blevesearch/zapx/v17"

	"github.com/inlsearch/inlsearch/internal/zap"
)

// segmentTypes returns the Go types of the segments of the index's current
// snapshot.
func segmentTypes(t *testing.T, bi bleve.Index) map[string]int {
	t.Helper()
	adv, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	types := map[string]int{}
	for _, s := range r.(*scorch.IndexSnapshot).Segments() {
		switch s.Segment().(type) {
		case *zap.Segment:
			types["inlzap"]++
		case *stock.Segment:
			types["zapx v17"]++
		default:
			types["other"]++
		}
	}
	return types
}

// TestSegmentFormat checks that an index Create makes writes internal/zap's
// segments and says so, and that an index written before, in zapx v17, still
// opens and answers the same.
func TestSegmentFormat(t *testing.T) {
	docs := benchDocs(1200)
	ctx := context.Background()
	queries := []Query{{Q: "police training", PerPage: 5}, {Q: `"police training"`, PerPage: 5}}

	path := filepath.Join(t.TempDir(), "new")
	ix, err := Create(path, testVocabulary)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if got := segmentTypes(t, ix.bi); got["inlzap"] == 0 || len(got) != 1 {
		t.Errorf("Create's index has segments %v, want internal/zap's only", got)
	}
	if f, err := storedSegmentFormat(ix.bi); err != nil || f != segmentFormat {
		t.Errorf("stored segment format %q, %v; want %q", f, err, segmentFormat)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// An index of the format before: scorch's default plugin, no format key.
	old := filepath.Join(t.TempDir(), "old")
	bi, err := bleve.NewUsing(old, NewMapping(), scorch.Name, bleve.Config.DefaultKVStore, map[string]any{"bolt_timeout": boltTimeout})
	if err != nil {
		t.Fatal(err)
	}
	if err := bi.SetInternal(keySchema, []byte(schemaVersion)); err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(testVocabulary, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	legacy := &Index{bi: bi, eng: eng}
	if err := legacy.Add(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if got := segmentTypes(t, bi); got["zapx v17"] == 0 || len(got) != 1 {
		t.Fatalf("the legacy index has segments %v, want zapx v17's only", got)
	}
	if err := legacy.Close(); err != nil {
		t.Fatal(err)
	}

	for _, q := range queries {
		var results []*Result
		for _, p := range []string{path, old} {
			ro, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ro.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, res)
			_ = ro.Close()
		}
		if results[0].Total == 0 || results[0].Total != results[1].Total {
			t.Fatalf("%s: totals %d (internal/zap) and %d (zapx v17), want the same, not 0", q.Q, results[0].Total, results[1].Total)
		}
		for i := range results[0].Hits {
			a, b := results[0].Hits[i], results[1].Hits[i]
			if a.ID != b.ID || a.Score != b.Score || a.Snippet != b.Snippet {
				t.Errorf("%s: hit %d: %s %v %q (internal/zap) against %s %v %q (zapx v17)", q.Q, i, a.ID, a.Score, a.Snippet, b.ID, b.Score, b.Snippet)
			}
		}
	}
}
