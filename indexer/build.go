package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/pdf"
	"github.com/inlsearch/inlsearch/indexer/record"
	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// builder handles the pages the crawler hands over: it reuses the stored
// passages of unchanged pages, parses the others, and stages what it learns
// in the crawl record. Its handle method is called by the crawler's per-host
// workers, in parallel.
type builder struct {
	db     *record.DB
	metas  map[string]record.Meta // the published record, read-only during the crawl
	tagger *tag.Tagger
	parser string    // version of extractor and tagger, see parserKey
	at     time.Time // the job's time: last_seen and changed_at of what it sees
	log    *slog.Logger

	mu      sync.Mutex
	handled map[string]bool   // URLs handed over, redirect sources included
	staged  map[string]string // URL → host of every staged record
	fetched map[string]int    // host → pages handed over (200 or 304)
	hosts   map[string]*HostSummary
	extra   Counts          // pages of hosts no longer in the scope
	failed  []crawl.Failure // documents fetched but not readable (pdf_…)
	err     error

	pdf PDFExtractor
	// scope are the crawl's scope rules: a known page they leave out is
	// removed as out of scope.
	scope *crawl.Scope

	// found are the organizations beyond the taxonomy that the written
	// passages carry, and foundPassages the number of those passages.
	found         map[string]bool
	foundPassages int
}

func newBuilder(db *record.DB, metas map[string]record.Meta, t *tag.Tagger, parser string, at time.Time, log *slog.Logger) *builder {
	return &builder{db: db, metas: metas, tagger: t, parser: parser, at: at, log: log, pdf: pdf.Runner{},
		handled: map[string]bool{}, staged: map[string]string{}, fetched: map[string]int{}, hosts: map[string]*HostSummary{},
		found: map[string]bool{}}
}

// prior gives the crawler the validators of a published, live page parsed
// by the current parser, or by the current extractor (its passages are
// then tagged again: retag), so that its fetch is conditional.
func (b *builder) prior(u string) (etag, lastModified string, ok bool) {
	m, found := b.metas[u]
	current := m.Parser == b.parser || m.Extractor == ParserVersion
	if !found || !m.Live || !current || (m.ETag == "" && m.LastModified == "") {
		return "", "", false
	}
	return m.ETag, m.LastModified, true
}

// host returns the summary of a host; b.mu must be held.
func (b *builder) host(h string) *HostSummary {
	hs := b.hosts[h]
	if hs == nil {
		hs = &HostSummary{Host: h}
		b.hosts[h] = hs
	}
	return hs
}

func (b *builder) setErr(err error) {
	b.mu.Lock()
	if b.err == nil {
		b.err = err
	}
	b.mu.Unlock()
}

func (b *builder) handle(ctx context.Context, p *crawl.Page) []string {
	links, _ := b.handlePage(ctx, p, nil)
	return links
}

// capture is what an import knows of a page beyond the crawl's Page.
type capture struct {
	at time.Time // when it was captured
	// published stands for the page's date when it states none (a WARC
	// capture's date; zero for a local file).
	published time.Time
}

// Import outcomes beside those of the crawl (Summary.Skipped).
const (
	skipOlderCapture = "older_capture" // the stored copy was captured later
	skipUnreadable   = "unreadable"    // the extractor gave up on it
)

// handlePage handles a page fetched by the crawl (c nil) or read by an
// import; skip tells why an import's page was left out.
func (b *builder) handlePage(ctx context.Context, p *crawl.Page, cp *capture) (links []string, skip string) {
	prev, _, err := b.db.Get(p.URL)
	if err != nil {
		b.setErr(err)
		return nil, ""
	}
	var live *record.Record
	if prev != nil && prev.Live() {
		live = prev
	}
	if cp != nil && live != nil && capturedAt(live).After(cp.at) {
		return nil, skipOlderCapture
	}
	var rec *record.Record
	var c Counts
	switch {
	case p.NotModified && live == nil:
		// A 304 to validators we no longer hold (a record promoted since the
		// crawl started cannot happen under the lock): nothing to reuse.
		b.log.Warn("not modified but nothing stored", slog.String("url", p.URL))
		return nil, ""
	case p.NotModified:
		rec = b.reuse(live, p, false)
		c.Unchanged = 1
		if rec.Parser != b.parser && b.retag(rec) {
			c.Retagged = 1
		}
	default:
		sum := sha256.Sum256(p.Body)
		hash := hex.EncodeToString(sum[:])
		if live != nil && live.Hash == hash && live.Parser == b.parser {
			rec = b.reuse(live, p, true)
			c.Unchanged = 1
			break
		}
		rec = b.parse(ctx, p, prev, live, hash)
		if rec == nil {
			return nil, skipUnreadable
		}
		c.Parsed = 1
		switch {
		case live == nil:
			c.New = 1
		case live.Hash != hash:
			c.Changed = 1
		default:
			c.Unchanged = 1 // parsed again for a new parser only
		}
	}
	if cp != nil {
		imported(rec, cp)
	} else {
		rec.Imported, rec.Captured = false, time.Time{}
	}
	if err := b.db.Stage(rec); err != nil {
		b.setErr(err)
		return nil, ""
	}
	b.mu.Lock()
	b.handled[p.URL] = true
	b.staged[p.URL] = rec.Host
	b.fetched[rec.Host]++
	b.host(rec.Host).Counts.add(c)
	b.mu.Unlock()
	if p.Requested != "" && p.Requested != p.URL {
		b.redirected(p.Requested)
	}
	return rec.Links, ""
}

// imported marks a record as read by an import: its capture date, and that
// date as the published date of passages whose page states none.
func imported(rec *record.Record, c *capture) {
	rec.Imported, rec.Captured = true, c.at.UTC()
	if c.published.IsZero() {
		return
	}
	rec.Docs = slices.Clone(rec.Docs)
	for i := range rec.Docs {
		if rec.Docs[i].Published.IsZero() {
			rec.Docs[i].Published = c.published.UTC()
		}
	}
}

// capturedAt is when the stored copy of a page was captured: an imported
// page's capture date, a crawled page's last fetch.
func capturedAt(rec *record.Record) time.Time {
	if rec.Imported {
		return rec.Captured
	}
	return rec.LastSeen
}

// reuse renews a live record for a page that did not change: its stored
// passages and links stand, seen now. full is true for a 200, whose
// validators replace the stored ones; a 304 only updates those it sends.
func (b *builder) reuse(live *record.Record, p *crawl.Page, full bool) *record.Record {
	rec := *live
	rec.LastSeen, rec.Status, rec.Reason, rec.StaleSince = b.at, p.Status, "", time.Time{}
	etag, lastMod := p.Header.Get("ETag"), p.Header.Get("Last-Modified")
	if full || etag != "" {
		rec.ETag = etag
	}
	if full || lastMod != "" {
		rec.LastModified = lastMod
	}
	rec.Docs = slices.Clone(live.Docs)
	for i := range rec.Docs {
		rec.Docs[i].LastSeen, rec.Docs[i].StaleSince = b.at, time.Time{}
	}
	return &rec
}

// testParseHook, when a test sets it, runs before each page is parsed (to
// make the parser panic on one page).
var testParseHook func(url string)

// parse extracts and tags a new or changed page. Passages that were there
// before keep their first_seen, and their changed_at when their text and
// headings did not change.
func (b *builder) parse(ctx context.Context, p *crawl.Page, prev, live *record.Record, hash string) *record.Record {
	if testParseHook != nil {
		testParseHook(p.URL)
	}
	var page *extract.Page
	var err error
	if p.ContentType == crawl.PDFType {
		page, err = b.extractPDF(ctx, p)
	} else {
		page, err = extract.Extract(p.URL, p.Body)
	}
	if err != nil {
		b.log.Warn("extract failed", slog.String("url", p.URL), slog.Any("error", err))
		return nil
	}
	docs := Documents(b.tagger, p.URL, page, p.Truncated, b.at)
	rec := &record.Record{
		URL: p.URL, Host: hostOf(p.URL), ETag: p.Header.Get("ETag"), LastModified: p.Header.Get("Last-Modified"),
		Hash: hash, Parser: b.parser, Extractor: ParserVersion, Site: page.Site, FirstSeen: b.at, LastSeen: b.at, LastChanged: b.at,
		Status: p.Status, Links: page.Links, Docs: docs,
	}
	if prev != nil && !prev.FirstSeen.IsZero() {
		rec.FirstSeen = prev.FirstSeen
	}
	if live == nil {
		return rec
	}
	if live.Hash == hash && !live.LastChanged.IsZero() {
		rec.LastChanged = live.LastChanged
	}
	before := make(map[string]*search.Document, len(live.Docs))
	for i := range live.Docs {
		before[live.Docs[i].ID] = &live.Docs[i]
	}
	for i := range docs {
		d := &docs[i]
		old, ok := before[d.ID]
		if !ok {
			continue
		}
		if !old.FirstSeen.IsZero() {
			d.FirstSeen = old.FirstSeen
		}
		if old.Text == d.Text && old.Title == d.Title && old.Section == d.Section && !old.ChangedAt.IsZero() {
			d.ChangedAt = old.ChangedAt
		}
	}
	return rec
}

// redirected drops the live page at u, which now redirects elsewhere.
func (b *builder) redirected(u string) {
	b.mu.Lock()
	if b.handled[u] {
		b.mu.Unlock()
		return
	}
	b.handled[u] = true
	b.mu.Unlock()
	if m, ok := b.metas[u]; !ok || !m.Live {
		return
	}
	rec, ok, err := b.db.Get(u)
	if err != nil {
		b.setErr(err)
		return
	}
	if !ok {
		return
	}
	b.remove(rec, "redirected", 0)
	b.log.Info("page removed", slog.String("url", u), slog.String("reason", "redirected"))
	if err := b.db.Stage(rec); err != nil {
		b.setErr(err)
		return
	}
	b.mu.Lock()
	b.staged[u] = rec.Host
	b.host(rec.Host).Counts.Removed++
	b.mu.Unlock()
}

// remove marks a record as removed.
func (b *builder) remove(rec *record.Record, reason string, status int) {
	rec.RemovedAt, rec.Reason, rec.Status = b.at, reason, status
	rec.StaleSince, rec.Docs, rec.Links = time.Time{}, nil, nil
}

// stale marks a record whose page could not be fetched: its passages are
// carried over, stale since the first crawl that missed it, tagged again
// when the tagger changed. b.mu must be held.
func (b *builder) stale(rec *record.Record, reason string, status int) {
	if rec.Parser != b.parser && b.retag(rec) {
		b.host(rec.Host).Counts.Retagged++
	}
	rec.Reason, rec.Status = reason, status
	if rec.StaleSince.IsZero() {
		rec.StaleSince = b.at
	}
	rec.Docs = slices.Clone(rec.Docs)
	for i := range rec.Docs {
		rec.Docs[i].StaleSince = rec.StaleSince
	}
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	if p.Scheme == "file" {
		return "file" // local files (inlsearch import)
	}
	return p.Host
}

// retag tags the stored passages of rec again with the job's tagger, as
// Documents tags a page, from what the record keeps of it (title, site,
// date, each passage's anchor, headings and text), keeping the passages'
// crawl history. It needs passages made by the running extractor; it
// reports false, leaving rec as it was, when they were not or when the
// passages no longer come out as they were stored.
func (b *builder) retag(rec *record.Record) bool {
	if len(rec.Docs) == 0 || rec.Extractor != ParserVersion {
		return false
	}
	first := rec.Docs[0]
	page := &extract.Page{Title: first.Title, Site: rec.Site, Published: first.Published}
	for _, d := range rec.Docs {
		var headings []string
		if d.Section != "" {
			headings = strings.Split(d.Section, " › ")
		}
		anchor, _ := strings.CutPrefix(d.URL, d.PageURL+"#")
		if anchor == d.URL {
			anchor = ""
		}
		page.Passages = append(page.Passages, extract.Passage{Anchor: anchor, Headings: headings, Text: d.Text})
	}
	docs := Documents(b.tagger, first.PageURL, page, first.Truncated, b.at)
	if len(docs) != len(rec.Docs) {
		return false
	}
	for i := range docs {
		old := &rec.Docs[i]
		if docs[i].ID != old.ID || docs[i].URL != old.URL {
			return false
		}
		docs[i].FirstSeen, docs[i].LastSeen, docs[i].ChangedAt = old.FirstSeen, old.LastSeen, old.ChangedAt
		docs[i].StaleSince, docs[i].Truncated = old.StaleSince, old.Truncated
	}
	rec.Docs, rec.Parser = docs, b.parser
	return true
}
