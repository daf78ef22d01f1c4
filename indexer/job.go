package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// Job is one crawl: fetch the seeds' sites, extract and tag their passages,
// build a new index generation in the data folder and publish it.
type Job struct {
	DataDir string
	Seeds   []string
	Crawl   crawl.Config
	// Force publishes even when the passage count dropped by more than half.
	Force bool
	Log   *slog.Logger
	Now   func() time.Time
}

// Summary is what a job did.
type Summary struct {
	Generation    string         `json:"generation"`
	Started       time.Time      `json:"started"`
	Finished      time.Time      `json:"finished"`
	Pages         int            `json:"pages"`
	NotModified   int            `json:"not_modified"`
	RobotsSkipped int            `json:"robots_skipped"`
	OutOfScope    int            `json:"out_of_scope"`
	Failed        int            `json:"failed"`
	FailReasons   map[string]int `json:"fail_reasons"`
	Failures      []Failure      `json:"failures,omitempty"`
	Passages      int            `json:"passages"`
	LimitReached  bool           `json:"limit_reached"`
}

// Failure is one page that failed, with its reason.
type Failure struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
	Status int    `json:"status,omitempty"`
}

// Duration is how long the job took.
func (s *Summary) Duration() time.Duration { return s.Finished.Sub(s.Started) }

// Run runs the job. It returns a summary even on error when the crawl got
// that far; the served generation changes only when Run returns nil.
func (j *Job) Run(ctx context.Context) (*Summary, error) {
	log := j.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := j.Now
	if now == nil {
		now = time.Now
	}
	sum := &Summary{Started: now().UTC(), FailReasons: map[string]int{}}

	lock, err := AcquireLock(j.DataDir, log)
	if err != nil {
		return sum, err
	}
	defer lock.Release()

	store, err := search.NewStore(j.DataDir)
	if err != nil {
		return sum, err
	}
	for _, id := range store.CleanPartial() {
		log.Info("removed partial generation", slog.String("generation", id))
	}

	tagger, err := tag.New()
	if err != nil {
		return sum, fmt.Errorf("load taxonomy: %w", err)
	}
	build, err := store.Begin(tagger.Vocabulary())
	if err != nil {
		return sum, err
	}
	committed := false
	defer func() {
		if !committed {
			build.Abort()
		}
	}()

	b := &builder{ix: build.Index, tagger: tagger, log: log, now: now}
	cr := crawl.New(j.Crawl, log)
	rep, err := cr.Crawl(ctx, j.Seeds, b.handle)
	if err != nil {
		return sum, fmt.Errorf("crawl: %w", err)
	}
	if err := b.flush(ctx); err != nil {
		return sum, err
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	sum.Pages = b.pages
	sum.Passages = b.passages
	sum.NotModified = rep.NotModified
	sum.RobotsSkipped = rep.RobotsSkipped
	sum.OutOfScope = rep.OutOfScope
	sum.LimitReached = rep.LimitReached
	for _, f := range rep.Failures {
		sum.Failures = append(sum.Failures, Failure{URL: f.URL, Reason: f.Reason, Status: f.Status})
		sum.FailReasons[f.Reason]++
	}
	sum.Failed = len(sum.Failures)
	if b.err != nil {
		return sum, b.err
	}
	if sum.Passages == 0 {
		return sum, errors.New("no passages extracted: nothing to publish")
	}
	gen := search.Generation{
		BuiltAt:  now().UTC(),
		Passages: sum.Passages,
		Pages:    sum.Pages,
		Stats: map[string]int{
			"pages": sum.Pages, "failed": sum.Failed, "robots_skipped": sum.RobotsSkipped,
			"not_modified": sum.NotModified, "passages": sum.Passages,
		},
	}
	if err := build.Commit(gen, j.Force); err != nil {
		committed = true // Commit cleans up after itself
		return sum, err
	}
	committed = true
	sum.Generation = build.ID
	sum.Finished = now().UTC()
	return sum, nil
}

// builder turns pages into passages and writes them in batches. Its handle
// method is called by the crawler's per-host workers, in parallel.
type builder struct {
	ix     *search.Index
	tagger *tag.Tagger
	log    *slog.Logger
	now    func() time.Time

	mu       sync.Mutex
	pending  []search.Document
	pages    int
	passages int
	err      error
}

const batchSize = 256

func (b *builder) handle(ctx context.Context, p *crawl.Page) []string {
	page, err := extract.Extract(p.URL, p.Body)
	if err != nil {
		b.log.Warn("extract failed", slog.String("url", p.URL), slog.Any("error", err))
		return nil
	}
	docs := Documents(b.tagger, p.URL, page, p.Truncated, b.now())
	b.mu.Lock()
	b.pages++
	b.passages += len(docs)
	b.pending = append(b.pending, docs...)
	var batch []search.Document
	if len(b.pending) >= batchSize {
		batch, b.pending = b.pending, nil
	}
	b.mu.Unlock()
	if batch != nil {
		if err := b.ix.Add(ctx, batch); err != nil {
			b.setErr(fmt.Errorf("index batch: %w", err))
		}
	}
	return page.Links
}

func (b *builder) setErr(err error) {
	b.mu.Lock()
	if b.err == nil {
		b.err = err
	}
	b.mu.Unlock()
}

func (b *builder) flush(ctx context.Context) error {
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := b.ix.Add(ctx, batch); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	return nil
}

// Documents turns an extracted page into tagged passage documents.
func Documents(t *tag.Tagger, pageURL string, page *extract.Page, truncated bool, seen time.Time) []search.Document {
	var full strings.Builder
	for _, p := range page.Passages {
		full.WriteString(p.Text)
		full.WriteString("\n")
	}
	kind := t.Type(pageURL, page.Title, full.String())
	used := map[string]int{}
	docs := make([]search.Document, 0, len(page.Passages))
	for _, p := range page.Passages {
		anchor := p.Anchor
		used[anchor]++
		key := pageURL + "#" + anchor
		if n := used[anchor]; n > 1 {
			key = fmt.Sprintf("%s~%d", key, n)
		}
		tags := t.Tag(tag.Input{URL: pageURL, Title: page.Title, Headings: p.Headings, Text: p.Text, Published: page.Published})
		u := pageURL
		if anchor != "" {
			u += "#" + anchor
		}
		docs = append(docs, search.Document{
			ID:            DocID(key),
			URL:           u,
			PageURL:       pageURL,
			Title:         page.Title,
			Section:       strings.Join(p.Headings, " › "),
			Text:          p.Text,
			Organizations: sorted(tags.Organizations),
			Countries:     sorted(tags.Countries),
			Regions:       sorted(tags.Regions),
			Topics:        sorted(tags.Topics),
			Type:          kind,
			Years:         tags.Years,
			Amounts:       tags.Amounts,
			Provenance:    tags.Provenance,
			Published:     page.Published,
			FirstSeen:     seen.UTC(),
			LastSeen:      seen.UTC(),
			ChangedAt:     seen.UTC(),
			Truncated:     truncated,
		})
	}
	return docs
}

// DocID is the stable id of a passage: a hash of its page URL and anchor.
func DocID(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:8])
}

func sorted(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	return out
}
