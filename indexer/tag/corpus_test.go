package tag_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/indexer/tag/learn"
)

// TestModelFresh retrains the models in memory from the committed corpus
// (the blind test split left out) and fails when the committed
// data/model.json differs: weights, thresholds or what they were trained on.
// Run `go generate ./indexer/tag` after changing the corpus, the features or
// the trainer.
func TestModelFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("retrains the model")
	}
	root, err := learn.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := tag.EmbeddedModel()
	if err != nil || committed == nil {
		t.Fatalf("EmbeddedModel() = %v, %v; want the committed model", committed, err)
	}
	rules, err := tag.MustNew().WithModel(nil)
	if err != nil {
		t.Fatal(err)
	}
	corpus, aux, err := learn.LoadOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	m, err := learn.Train(rules, append(corpus, aux...), learn.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tag.MarshalModel(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tag.MarshalModel(committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		diffs := learn.CompareModels(committed, m, 1e-3)
		if len(diffs) > 0 {
			t.Errorf("data/model.json is stale (%s); run `go generate ./indexer/tag`:\n%s", learn.Describe(m), diffs)
		}
	}
}

// TestCorpusBlind scores the tagger on the blind test pages of the corpus,
// per genre and overall. It runs only with INLSEARCH_BLIND=1: the
// coordinator runs it once, at the end; nobody tunes on what it prints.
// INLSEARCH_BLIND_DIR names another blind set laid out as the corpus is
// (a set written later, kept out of the repository until its one run).
func TestCorpusBlind(t *testing.T) {
	if os.Getenv("INLSEARCH_BLIND") != "1" {
		t.Skip("the blind test runs only with INLSEARCH_BLIND=1")
	}
	root, err := learn.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, learn.CorpusDir)
	if d := os.Getenv("INLSEARCH_BLIND_DIR"); d != "" {
		dir = d
	}
	docs, err := learn.LoadCorpus(dir, learn.Blind)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("no blind test pages")
	}
	res := learn.Evaluate(tag.MustNew(), docs)
	fmt.Printf("Blind test (%d pages)\n%s", len(docs), learn.Table(res))
	for _, g := range append(learn.Genres(res), "") {
		r := res[g]
		name := g
		if name == "" {
			name = "all"
		}
		for _, f := range []struct {
			facet string
			s     learn.Score
		}{{"topic (page)", r.Topic}, {"topic (passage)", r.Passage}, {"organization", r.Org}, {"found organization", r.Found}, {"country", r.Country}, {"year", r.Year}} {
			p, rc, f1 := f.s.PRF()
			t.Logf("%-22s %-16s P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d)", name, f.facet, p, rc, f1, f.s.TP, f.s.FP, f.s.FN)
		}
		t.Logf("%-22s type accuracy %.3f (%d/%d)", name, r.TypeAccuracy(), r.TypeOK, r.Pages)
	}
}
