package indexer

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/record"
	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// ParserVersion names the extractor and tagger rules. Change it when they
// change in a way the taxonomy's vocabulary does not show: every page is then
// parsed again once, instead of reusing its stored passages.
// 2: organizations found from a page's definitions, evidence per tag.
// 3: the publisher read from a page's details (a mirror's "Publisher" row) and
// never from its own headline; INL described ("the State Department's narcotics
// bureau"); other agencies' .gov hosts are not the Department's; a country inside a
// longer place name (a bridge, a strait, a town, a postal address) is none.
const ParserVersion = "3"

// Job is one crawl: fetch the seeds' sites, extract and tag their passages,
// build a new index generation in the data folder and publish it.
type Job struct {
	// ID names the job in logs and status; Run makes one when it is empty.
	ID      string
	DataDir string
	Seeds   []string
	// Crawl tunes the crawler; Run sets its Prior from the crawl record.
	Crawl crawl.Config
	// Force publishes even when the passage count dropped by more than half.
	Force bool
	// PDF reads the PDFs the crawl fetches; nil: a pdf.Runner with its
	// defaults (a child process of this binary, whose main must call
	// pdf.ServeChild).
	PDF PDFExtractor
	// WARC, when set, is a file the crawl writes every HTTP exchange to
	// (request and response records, .gz: compressed).
	WARC string
	// Import, when set, makes the job an import: it reads web archives and
	// local files instead of crawling (Seeds and WARC are not used).
	Import *Import
	// Rebuild builds the new generation in full, every passage written
	// again, rather than from the published one (see index.go).
	Rebuild bool
	// Space is the free-space rule checked before anything is fetched
	// (zero fields: search.DefaultSpaceRule).
	Space search.SpaceRule
	Log   *slog.Logger
	Now   func() time.Time
}

// NewJobID returns a fresh job id.
func NewJobID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "job-" + hex.EncodeToString(b[:])
}

// Run runs the job. It returns a summary even on error; the served
// generation changes only when Run returns nil. A job that finds the data
// folder locked by another crawl returns a *LockedError at once.
func (j *Job) Run(ctx context.Context) (*Summary, error) {
	log := j.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := j.Now
	if now == nil {
		now = time.Now
	}
	id := j.ID
	if id == "" {
		id = NewJobID()
	}
	log = log.With(slog.String("job_id", id))
	sum := &Summary{ID: id, Started: now().UTC(), FailReasons: map[string]int{}, Hosts: map[string]*HostSummary{}}

	lock, err := AcquireLock(j.DataDir, log)
	if err != nil {
		sum.State, sum.Error, sum.Finished = StateFailed, err.Error(), now().UTC()
		return sum, err
	}
	defer lock.Release()

	err = j.run(ctx, log, now, sum)
	sum.Finished = now().UTC()
	sum.State = StateSucceeded
	switch {
	case err != nil && errors.Is(context.Cause(ctx), ErrCancelled):
		sum.State, sum.Error = StateCancelled, ErrCancelled.Error()
	case err != nil:
		sum.State, sum.Error = StateFailed, err.Error()
	}
	if serr := saveSummary(j.DataDir, sum); serr != nil {
		log.Warn("save job summary", slog.Any("error", serr))
	}
	return sum, err
}

func (j *Job) run(ctx context.Context, log *slog.Logger, now func() time.Time, sum *Summary) error {
	store, err := search.NewStore(j.DataDir)
	if err != nil {
		return err
	}
	for _, id := range store.CleanPartial() {
		log.Info("removed partial generation", slog.String("generation", id))
	}
	if err := store.CheckSpace(j.Space); err != nil {
		return err
	}
	db, aside, err := record.OpenOrQuarantine(filepath.Join(j.DataDir, record.FileName), now())
	if aside != "" {
		log.Warn("crawl record unreadable: moved aside, starting a new one", slog.String("moved_to", aside))
	}
	if err != nil {
		return err
	}
	defer db.Close()
	promoted := false
	defer func() {
		if !promoted {
			if err := db.Discard(); err != nil {
				log.Warn("discard staged records", slog.Any("error", err))
			}
		}
	}()
	metas, err := db.Metas()
	if err != nil {
		return err
	}

	tagger, err := tag.New()
	if err != nil {
		return fmt.Errorf("load taxonomy: %w", err)
	}
	voc := tagger.Vocabulary()
	b := newBuilder(db, metas, tagger, parserKey(voc, tagger.Version()), sum.Started, log)
	if j.PDF != nil {
		b.pdf = j.PDF
	}

	cfg := j.Crawl
	cfg.Prior = b.prior
	seeds := j.seeds(metas)
	b.scope = cfg.Scope
	rep, err := j.fetch(ctx, cfg, seeds, b, log, sum)
	if rep != nil {
		// Documents fetched but unreadable fail like fetches, with their reason.
		rep.Failures = append(rep.Failures, b.failed...)
		rep.Failed += len(b.failed)
		summarize(sum, rep)
	}
	if err != nil {
		return fmt.Errorf("crawl: %w", err)
	}
	if b.err != nil {
		return b.err
	}
	if j.Import == nil { // an import leaves every page it did not read as it was
		if sum.Degraded, err = b.settle(rep); err != nil {
			return err
		}
	}

	indexStart := now()
	build, err := j.beginBuild(store, voc, b.parser, sum, log)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			build.Abort()
		}
	}()
	if sum.Pages, sum.Passages, err = b.write(ctx, build); err != nil {
		return err
	}
	for h, hs := range b.hosts {
		sum.Hosts[h] = hs
		sum.Counts.add(hs.Counts)
	}
	sum.Counts.add(b.extra)
	if err := ctx.Err(); err != nil {
		return err
	}
	if sum.Passages == 0 {
		return errors.New("no passages extracted: nothing to publish")
	}
	stats := sum.Counts.Map()
	stats["pages"], stats["passages"] = sum.Pages, sum.Passages
	stats["not_modified"], stats["robots_skipped"] = sum.NotModified, sum.RobotsSkipped
	stats[search.StatFoundOrganizations], stats[search.StatFoundOrganizationPassages] = len(b.found), b.foundPassages
	gen := search.Generation{BuiltAt: now().UTC(), Passages: sum.Passages, Pages: sum.Pages, Stats: stats,
		Versions: map[string]string{VersionParser: b.parser}}
	if gen.Crawl, err = crawlReport(db); err != nil {
		// Coverage then shows no failing or removed pages; the generation is sound.
		log.Warn("crawl report for coverage", slog.Any("error", err))
	}
	committed = true // Commit cleans up after itself
	if err := build.Commit(gen, j.Force); err != nil {
		return err
	}
	sum.Generation = build.ID
	sum.Index.set(build.Stats(), now().Sub(indexStart))
	promoted = true
	if err := db.Promote(); err != nil {
		// The generation is published; the record lags one crawl behind,
		// which the next crawl corrects by asking unconditionally.
		log.Warn("promote crawl record", slog.Any("error", err))
	}
	log.Info("generation published", slog.String("generation", build.ID), slog.Int("pages", sum.Pages),
		slog.Int("passages", sum.Passages), slog.Any("counts", sum.Counts.Map()),
		slog.String("index_mode", sum.Index.Mode), slog.Int("passages_written", sum.Index.Added),
		slog.Float64("index_seconds", sum.Index.Seconds))
	return nil
}

// seeds are the job's seeds followed by every live page of the record on
// the seeds' hosts, so that each known page is asked for again (cheaply, with
// its validators) and a removed one is noticed even when nothing links to it.
func (j *Job) seeds(metas map[string]record.Meta) []string {
	hosts := map[string]bool{}
	for _, s := range j.Seeds {
		if h := seedHost(s); h != "" {
			hosts[h] = true
		}
	}
	var known []string
	for u, m := range metas {
		if !m.Live || !hosts[m.Host] || m.Imported { // imported pages are not asked for again
			continue
		}
		if _, ok := j.Crawl.Scope.CheckURL(u); ok {
			known = append(known, u)
		}
	}
	sort.Strings(known)
	return append(append([]string(nil), j.Seeds...), known...)
}

// seedHost is the host[:port] of a seed as the crawler writes it: lower
// case, without the scheme's default port.
func seedHost(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "http" && strings.HasSuffix(h, ":80"):
		h = strings.TrimSuffix(h, ":80")
	case u.Scheme == "https" && strings.HasSuffix(h, ":443"):
		h = strings.TrimSuffix(h, ":443")
	}
	return h
}

// parserKey names the parser of stored passages: ParserVersion, the
// taxonomy's vocabulary and the tagger's data (its Version). A record made
// by another parser is parsed again, or only tagged again (build.go
// retag) when ParserVersion is the same.
func parserKey(voc search.Vocabulary, tagger string) string {
	b, _ := json.Marshal(voc)
	h := sha256.New()
	h.Write(b)
	h.Write([]byte(tagger))
	return ParserVersion + "-" + hex.EncodeToString(h.Sum(nil)[:6])
}

// summarize copies the crawler's report into the summary.
func summarize(sum *Summary, rep *crawl.Report) {
	sum.NotModified = rep.NotModified
	sum.RobotsSkipped = rep.RobotsSkipped
	sum.OutOfScope = rep.OutOfScope
	sum.LimitReached = rep.LimitReached
	for rule, n := range rep.ScopeSkipped {
		if sum.ScopeSkipped == nil {
			sum.ScopeSkipped = map[string]int{}
		}
		sum.ScopeSkipped[rule] += n
	}
	sum.Failed = rep.Failed
	for _, f := range rep.Failures {
		if f.Reason == crawl.ReasonRobotsDisallowed {
			continue
		}
		sum.Failures = append(sum.Failures, Failure{URL: f.URL, Reason: f.Reason, Status: f.Status})
		sum.FailReasons[f.Reason]++
	}
}
