package learn

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Paths of the repository that the trainer reads and writes, relative to its root.
const (
	CorpusDir  = "indexer/tag/testdata/corpus"
	HoldoutDir = "indexer/tag/testdata/holdout"
	GoldGlob   = "corpus/gold/*.json"
	ModelPath  = "indexer/tag/data/model.json"
	ResultsMD  = "indexer/tag/testdata/corpus/RESULTS.md"
)

// Root returns the repository root: the first folder from dir upwards that holds go.mod.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = up
	}
}

// isFinal reports whether a held-out page belongs to one of its blind sets
// (final-, final2-, final3-): never trained on.
func isFinal(name string) bool {
	return strings.HasPrefix(name, "final")
}

// LoadOpen loads what the committed model is trained on, from the
// repository at root: the corpus pages but the blind test, and (as
// auxiliary pages) the demo gold and the held-out pages but the final sets.
func LoadOpen(root string) (corpus, aux []*Doc, err error) {
	corpus, err = LoadCorpus(filepath.Join(root, CorpusDir), Open)
	if err != nil {
		return nil, nil, err
	}
	gold, err := filepath.Glob(filepath.Join(root, GoldGlob))
	if err != nil {
		return nil, nil, err
	}
	demo, err := LoadDemoGold(gold)
	if err != nil {
		return nil, nil, err
	}
	hold, err := LoadHoldout(filepath.Join(root, HoldoutDir), func(n string) bool { return !isFinal(n) })
	if err != nil {
		return nil, nil, err
	}
	return corpus, append(demo, hold...), nil
}
