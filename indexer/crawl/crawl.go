package crawl

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/inlsearch/inlsearch/indexer/robots"
)

// Crawler fetches sites politely within the bounds of its Config. It is safe for
// concurrent use; each Crawl has its own connections and state.
type Crawler struct {
	cfg Config
	log *slog.Logger
}

// New returns a crawler with cfg's zero fields set to their defaults. A nil logger
// discards.
func New(cfg Config, log *slog.Logger) *Crawler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Crawler{cfg: cfg.withDefaults(), log: log}
}

// Config returns the configuration in effect, defaults filled in.
func (c *Crawler) Config() Config { return c.cfg }

// item is a queued URL.
type item struct {
	url          string // normalised
	raw          string // as linked (absolute), for robots.txt; "" when url is that
	depth        int
	sitemap      bool // fetch as a sitemap, not as a page
	sitemapLevel int  // nesting below a sitemap index
	lastmod      time.Time
}

// linked is the URL as it was linked, for robots.txt.
func (it item) linked() string {
	if it.raw != "" {
		return it.raw
	}
	return it.url
}

// host is one host of the scope and its worker's state.
type host struct {
	key  string // host[:port]
	base *url.URL
	wake chan struct{}
	rep  *HostReport
	// guarded by run.mu
	items   []item
	skipped string
	// owned by the host's worker
	rules     *robots.Agent // nil: everything allowed
	delay     time.Duration
	lastEnd   time.Time
	notBefore time.Time
	failures  int // consecutive transient failures
	sitemaps  int
}

// pause waits for the host's next politeness slot.
func (h *host) pause(ctx context.Context) error {
	next := h.notBefore
	if !h.lastEnd.IsZero() {
		next = later(next, h.lastEnd.Add(h.delay))
	}
	d := time.Until(next)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// run is the state of one Crawl.
type run struct {
	cfg    Config
	log    *slog.Logger
	client *http.Client
	handle func(ctx context.Context, p *Page) []string
	agent  string // robots.txt product token

	mu      sync.Mutex
	hosts   map[string]*host
	seen    map[string]bool // queued URLs, pages and sitemaps alike
	scoped  map[string]bool // URLs left out by the scope rules
	fetched map[string]bool // final URLs fetched
	queued  int             // page items ever queued
	started int             // page fetches started (MaxPages)
	pending int             // items queued and not finished
	doneN   int             // items finished
	done    chan struct{}
	report  *Report
}

// Crawl fetches from the seeds within their hosts. For each 200 text/html (or
// application/xhtml+xml) page, each 200 PDF (ContentType PDFType, Body as
// served, up to MaxPDFBytes), and each 304 to a conditional GET (NotModified, empty Body),
// it calls handle, which returns the absolute links found in the page (for a 304 the caller
// may return the stored links so the crawl goes on through unchanged pages). The links are
// normalised, kept to the scope, deduplicated and queued one level deeper. handle runs on
// the host's worker goroutine; hosts run in parallel, so handle must be safe for concurrent
// use. A panic in handle fails that page only.
//
// The report is always returned. The error is ErrNoSeeds when no seed is usable, or the
// context's error when ctx ended the crawl early.
func (c *Crawler) Crawl(ctx context.Context, seeds []string, handle func(ctx context.Context, p *Page) []string) (*Report, error) {
	tr := newTransport(c.cfg)
	defer tr.CloseIdleConnections()
	r := &run{
		cfg:     c.cfg,
		log:     c.log,
		client:  &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		handle:  handle,
		agent:   robots.ProductToken(c.cfg.UserAgent),
		hosts:   make(map[string]*host),
		seen:    make(map[string]bool),
		fetched: make(map[string]bool),
		scoped:  make(map[string]bool),
		done:    make(chan struct{}),
		report:  &Report{Started: time.Now(), Hosts: make(map[string]*HostReport), ScopeSkipped: make(map[string]int)},
	}
	for _, s := range seeds {
		u, err := normalizeURL(s)
		if err != nil {
			r.fail(nil, Failure{URL: s, Reason: ReasonInvalidURL, Err: err})
			continue
		}
		if _, ok := r.hosts[u.Host]; !ok {
			rep := &HostReport{Host: u.Host}
			r.hosts[u.Host] = &host{key: u.Host, base: &url.URL{Scheme: u.Scheme, Host: u.Host},
				wake: make(chan struct{}, 1), rep: rep}
			r.report.Hosts[u.Host] = rep
		}
		r.enqueue(item{url: u.String(), raw: s})
	}
	if len(r.hosts) == 0 {
		r.report.Finished = time.Now()
		return r.report, ErrNoSeeds
	}
	var wg sync.WaitGroup
	for _, h := range r.hosts {
		wg.Go(func() { r.work(ctx, h) })
	}
	wg.Wait()
	r.report.Finished = time.Now()
	c.log.Info("crawl finished", slog.Int("fetched", r.report.Fetched),
		slog.Int("not_modified", r.report.NotModified), slog.Int("failed", r.report.Failed),
		slog.Int("robots_skipped", r.report.RobotsSkipped), slog.Int("out_of_scope", r.report.OutOfScope),
		slog.Bool("limit_reached", r.report.LimitReached), slog.Duration("duration", r.report.Finished.Sub(r.report.Started)))
	return r.report, ctx.Err()
}

// work is a host's worker: robots.txt first, then its queue until the crawl is done.
func (r *run) work(ctx context.Context, h *host) {
	r.prepare(ctx, h)
	for {
		it, ok := r.next(ctx, h)
		if !ok {
			return
		}
		r.mu.Lock()
		skipped := h.skipped
		if skipped != "" {
			h.rep.Dropped++
		}
		r.mu.Unlock()
		if skipped != "" && !it.sitemap {
			r.fail(h, Failure{URL: it.url, Reason: skipped})
		}
		if skipped == "" && ctx.Err() == nil {
			if it.sitemap {
				r.sitemap(ctx, h, it)
			} else {
				r.page(ctx, h, it)
			}
		}
		r.finish(h)
	}
}

// next blocks until the host has an item, the crawl is done or ctx ends.
func (r *run) next(ctx context.Context, h *host) (item, bool) {
	for {
		r.mu.Lock()
		if len(h.items) > 0 {
			it := h.items[0]
			h.items[0] = item{}
			h.items = h.items[1:]
			r.mu.Unlock()
			return it, true
		}
		r.mu.Unlock()
		select {
		case <-h.wake:
		case <-r.done:
			return item{}, false
		case <-ctx.Done():
			return item{}, false
		}
	}
}

func (r *run) finish(h *host) {
	r.mu.Lock()
	r.pending--
	r.doneN++
	if r.pending == 0 {
		close(r.done)
	}
	var p Progress
	if r.cfg.Progress != nil {
		p = Progress{Started: r.report.Started, Done: r.doneN, Queued: r.pending,
			Fetched: r.report.Fetched + r.report.NotModified, Failed: r.report.Failed, Host: h.key}
	}
	r.mu.Unlock()
	if r.cfg.Progress != nil {
		r.cfg.Progress(p)
	}
}

// enqueue queues a normalised URL on its host if it is in scope and new.
func (r *run) enqueue(it item) {
	u, err := url.Parse(it.url)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.hosts[u.Host]
	if !ok {
		r.report.OutOfScope++
		return
	}
	if !it.sitemap && r.cfg.Scope != nil {
		// Seeds are held to the rules too; a link to a document is in
		// scope wherever it lives on the seed hosts (Scope.Documents).
		if rule, ok := r.cfg.Scope.Check(u, it.depth > 0 && IsDocumentURL(u)); !ok {
			if !r.scoped[it.url] {
				r.scoped[it.url] = true
				r.report.ScopeSkipped[rule]++
			}
			return
		}
	}
	// One key space for pages and sitemaps: a URL is fetched once, as what it
	// was first queued as; a sitemap named for a page still waiting in the
	// queue (a seed, a link) turns that item into the sitemap.
	key := it.url
	if r.seen[key] || r.fetched[key] {
		if it.sitemap {
			for i := range h.items {
				if h.items[i].url == key && !h.items[i].sitemap {
					h.items[i].sitemap, h.items[i].sitemapLevel = true, it.sitemapLevel
					r.queued--
				}
			}
		}
		return
	}
	if !it.sitemap {
		if r.queued >= r.cfg.MaxQueue {
			r.report.LimitReached = true
			return
		}
		r.queued++
	}
	r.seen[key] = true
	h.items = append(h.items, it)
	r.pending++
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// enqueueLinks normalises links found at depth and queues them one level deeper.
func (r *run) enqueueLinks(links []string, depth int) {
	if len(links) > r.cfg.MaxLinksPerPage {
		r.update(func(rep *Report) { rep.LinksDropped += len(links) - r.cfg.MaxLinksPerPage })
		links = links[:r.cfg.MaxLinksPerPage]
	}
	if depth+1 > r.cfg.MaxDepth {
		if len(links) > 0 {
			r.update(func(rep *Report) { rep.DepthLimited += len(links); rep.LimitReached = true })
		}
		return
	}
	for _, l := range links {
		u, err := normalizeURL(l)
		if err != nil {
			r.update(func(rep *Report) { rep.OutOfScope++ })
			continue
		}
		r.enqueue(item{url: u.String(), raw: l, depth: depth + 1})
	}
}

// skipHost gives up the host for the rest of the run.
func (r *run) skipHost(h *host, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h.skipped == "" {
		h.skipped, h.rep.Skipped = reason, reason
		r.log.Warn("host skipped", slog.String("host", h.key), slog.String("reason", reason))
	}
}

func (r *run) update(fn func(rep *Report)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(r.report)
}

// fail records a failure; h may be nil. Robots disallows are counted apart.
func (r *run) fail(h *host, f Failure) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch f.Reason {
	case ReasonRobotsDisallowed:
		r.report.RobotsSkipped++
		if h != nil {
			h.rep.RobotsSkipped++
		}
	default:
		r.report.Failed++
		if h != nil {
			h.rep.Failed++
		}
		r.log.Info("fetch failed", slog.String("url", f.URL), slog.String("reason", f.Reason),
			slog.Int("status", f.Status), slog.Any("error", f.Err))
	}
	if len(r.report.Failures) >= maxFailures {
		r.report.FailuresDropped++
		return
	}
	r.report.Failures = append(r.report.Failures, f)
}
