package indexer

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// VersionParser is the key of search.Generation.Versions naming the parser
// (parserKey) that made the generation's passages.
const VersionParser = "parser"

// Index modes, as in IndexSummary.Mode.
const (
	IndexFull        = "full"
	IndexIncremental = "incremental"
)

// IndexSummary says how a job built its generation's index.
type IndexSummary struct {
	// Mode is IndexIncremental (started from the published generation,
	// Base) or IndexFull, for Reason.
	Mode   string `json:"mode"`
	Reason string `json:"reason,omitempty"`
	Base   string `json:"base,omitempty"`
	// Added are the passages written, Kept those taken unchanged from the
	// base, Deleted those of the base removed or replaced.
	Added    int `json:"added"`
	Kept     int `json:"kept"`
	Deleted  int `json:"deleted"`
	Segments int `json:"segments"`
	// Seconds is the wall time from the start of the index step to
	// publication.
	Seconds float64 `json:"seconds"`
}

func (s *IndexSummary) set(st search.BuildStats, took time.Duration) {
	s.Added, s.Kept, s.Deleted, s.Segments = st.Added, st.Kept, st.Deleted, st.Segments
	s.Seconds = took.Seconds()
}

// Reasons for a full build.
const (
	reasonFirst     = "first crawl"
	reasonRequested = "rebuild requested"
)

// beginBuild starts the job's generation: from the published one when it
// was built by this binary's index version and parser, in full otherwise
// (the first crawl, --rebuild, a new mapping, analyzer, extractor or
// tagger), and says which in sum.Index.
func (j *Job) beginBuild(store *search.Store, voc search.Vocabulary, parser string, sum *Summary, log *slog.Logger) (*search.Build, error) {
	opts := search.BuildOptions{Vocabulary: voc, SeenAt: sum.Started}
	sum.Index = &IndexSummary{Mode: IndexFull}
	cur, _, err := store.Pointer()
	switch {
	case errors.Is(err, search.ErrNoGeneration):
		sum.Index.Reason = reasonFirst
	case err != nil:
		sum.Index.Reason = err.Error()
	case j.Rebuild:
		sum.Index.Reason = reasonRequested
	default:
		sum.Index.Reason = baseMismatch(store, cur, parser)
		if sum.Index.Reason == "" {
			opts.Base = cur
		}
	}
	if opts.Base != "" {
		b, err := store.BeginBuild(opts)
		if err == nil {
			sum.Index.Mode, sum.Index.Base = IndexIncremental, cur
			return b, nil
		}
		if !errors.Is(err, search.ErrNoBase) {
			return nil, err
		}
		sum.Index.Reason = err.Error()
		opts.Base = ""
	}
	log.Info("full index build", slog.String("reason", sum.Index.Reason))
	return store.BeginBuild(opts)
}

// baseMismatch says why generation id cannot be the base of this job's
// build, or "" when it can.
func baseMismatch(store *search.Store, id, parser string) string {
	g, err := store.Info(id)
	if err != nil {
		return err.Error()
	}
	if v := g.Versions[search.VersionIndex]; v != search.IndexVersion() {
		return fmt.Sprintf("index version changed (%s → %s)", orNone(v), search.IndexVersion())
	}
	if v := g.Versions[VersionParser]; v != parser {
		return fmt.Sprintf("parser changed (%s → %s)", orNone(v), parser)
	}
	return ""
}

func orNone(v string) string {
	if v == "" {
		return "none recorded"
	}
	return v
}
