package crawl

import (
	"context"
	"net/http"
	"net/netip"
	"time"
)

// Version is the crawler version named in the default User-Agent.
const Version = "0.1"

// DefaultUserAgent names the crawler and its version; robots.txt groups are matched on the
// product token before the slash ("inlsearch").
const DefaultUserAgent = "inlsearch/" + Version

// Resolver looks up the addresses of a host name. *net.Resolver satisfies it; tests plug in
// their own to simulate DNS answers (rebinding included).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Config bounds and tunes a crawl. Zero fields take the defaults given in their comments.
type Config struct {
	UserAgent       string        // default DefaultUserAgent
	Delay           time.Duration // per-host pause between the end of a request and the next, default 1s; negative: none
	MaxPages        int           // pages requested per crawl, default 10000
	MaxDepth        int           // link depth from the seeds (seeds are 0), default 10
	MaxBodyBytes    int64         // page bytes after decompression, default 5 MiB
	MaxPDFBytes     int64         // PDF bytes after decompression, default 100 MiB
	HeaderTimeout   time.Duration // wait for response headers (and TLS handshake), default 10s
	RequestTimeout  time.Duration // whole request including the body, default 30s
	MaxRedirects    int           // redirects followed per fetch, default 5
	MaxCrawlDelay   time.Duration // a robots Crawl-delay above it skips the host, default 30s
	MaxRobotsBytes  int64         // robots.txt bytes parsed (rest ignored), default 500 KiB
	MaxLinksPerPage int           // links taken from one page, default 1000
	MaxRetries      int           // retries for 5xx, 429 and timeouts, default 2; negative: none
	RetryBase       time.Duration // back-off base for 5xx and timeouts (doubles per retry), default 2s
	ThrottleBase    time.Duration // back-off base for 429/503 without Retry-After, default 60s
	MaxRetryAfter   time.Duration // a longer Retry-After skips the host for the run, default 24h
	MaxQueue        int           // URLs queued per crawl, default 10×MaxPages
	MaxSitemapBytes int64         // sitemap bytes after decompression, default 10 MiB
	MaxSitemaps     int           // sitemap files fetched per host, default 20
	MaxSitemapURLs  int           // <loc> entries taken from one sitemap, default 50000
	// MaxConsecutiveFailures skips the rest of a host after that many pages in a row failed
	// for transient reasons (after their retries), default 20; negative: never.
	MaxConsecutiveFailures int
	// AllowPrivate lets named hosts resolve to private, loopback or link-local addresses.
	AllowPrivate bool
	// Resolver resolves named hosts before dialling; default net.DefaultResolver.
	Resolver Resolver
	// Progress, when set, is called after every queued URL the crawl finishes
	// (fetched, failed or skipped), from the host's worker: keep it cheap.
	Progress func(Progress)
	// Prior returns the validators stored for a URL so the fetch is conditional
	// (If-None-Match / If-Modified-Since). Optional; called from several goroutines.
	Prior func(url string) (etag, lastModified string, ok bool)
	// Scope narrows the crawl to parts of the seed hosts (include and
	// exclude rules); nil: the seed hosts whole.
	Scope *Scope
	// Record, when set, is called with every HTTP exchange the crawl
	// completes (pages, redirects, robots.txt, sitemaps), from the host's
	// worker, before the response is handed on: to archive it (WARC).
	Record func(*Exchange)
}

func (c Config) withDefaults() Config {
	setDur := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	setInt := func(n *int, v int) {
		if *n <= 0 {
			*n = v
		}
	}
	setInt64 := func(n *int64, v int64) {
		if *n <= 0 {
			*n = v
		}
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	switch {
	case c.Delay == 0:
		c.Delay = time.Second
	case c.Delay < 0:
		c.Delay = 0 // asked for explicitly: no pause (a robots Crawl-delay still applies)
	}
	setInt(&c.MaxPages, 10000)
	setInt(&c.MaxDepth, 10)
	setInt64(&c.MaxBodyBytes, 5<<20)
	setInt64(&c.MaxPDFBytes, 100<<20)
	setDur(&c.HeaderTimeout, 10*time.Second)
	setDur(&c.RequestTimeout, 30*time.Second)
	setInt(&c.MaxRedirects, 5)
	setDur(&c.MaxCrawlDelay, 30*time.Second)
	setInt64(&c.MaxRobotsBytes, 500<<10)
	setInt(&c.MaxLinksPerPage, 1000)
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = 2
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	setDur(&c.RetryBase, 2*time.Second)
	setDur(&c.ThrottleBase, 60*time.Second)
	setDur(&c.MaxRetryAfter, 24*time.Hour)
	setInt(&c.MaxQueue, 10*c.MaxPages)
	setInt64(&c.MaxSitemapBytes, 10<<20)
	setInt(&c.MaxSitemaps, 20)
	setInt(&c.MaxSitemapURLs, 50000)
	if c.MaxConsecutiveFailures == 0 {
		c.MaxConsecutiveFailures = 20
	}
	return c
}

// PDFType is the ContentType of a Page that is a PDF document, whatever
// label it was served with (application/pdf, or a .pdf URL served as
// application/octet-stream).
const PDFType = "application/pdf"

// Page is one fetched page handed to the caller.
type Page struct {
	URL         string      // normalised final URL (after redirects on the same host)
	Requested   string      // normalised URL that was queued; differs from URL after a redirect
	Status      int         // 200, or 304 when NotModified
	ContentType string      // media type without parameters: text/html, application/xhtml+xml or PDFType
	Header      http.Header // response header
	Body        []byte      // HTML decoded to valid UTF-8, a PDF as served; empty when NotModified
	Depth       int         // link distance from a seed (sitemap entries are 1)
	FetchedAt   time.Time
	Truncated   bool      // the body was cut at MaxBodyBytes
	NotModified bool      // 304 to a conditional GET: reuse what was stored
	Charset     string    // encoding the body was decoded from ("utf-8", "windows-1252", …)
	Lastmod     time.Time // <lastmod> of the sitemap entry that listed the page, if any
}

// Failure is a URL that was not handed to the caller, with a machine-readable reason
// (see the Reason constants).
type Failure struct {
	URL    string
	Reason string
	Status int // HTTP status when one was received
	Err    error
}

// Gone reports whether the failure means the page is gone or may no longer be crawled
// (404, 410, robots.txt disallow), so a stored copy should be dropped. Every other failure
// is transient or local, and a stored copy should be kept.
func (f Failure) Gone() bool {
	switch f.Reason {
	case ReasonNotFound, ReasonGone, ReasonRobotsDisallowed:
		return true
	}
	return false
}

// HostReport sums up one host of the scope.
type HostReport struct {
	Host          string        // host[:port] as in the normalised URLs
	Robots        string        // "ok", "missing" (4xx: all allowed), "unavailable", "redirect_limit"
	CrawlDelay    time.Duration // Crawl-delay of our robots group, 0 if none
	Delay         time.Duration // delay applied between requests
	Skipped       string        // reason code when the host was given up for this run
	Requests      int           // HTTP requests sent, robots and sitemaps included
	Fetched       int
	NotModified   int
	Failed        int
	RobotsSkipped int
	Dropped       int // queued URLs not fetched because the host was skipped
	Sitemaps      int // sitemap files read
	SitemapURLs   int // page URLs found in them
	SitemapErrors int
}

// maxFailures caps Report.Failures; further failures are only counted.
const maxFailures = 10000

// Report sums up a crawl. Failures lists each URL not handed over, robots-disallowed ones
// included (Failed counts only fetch failures).
// Progress is where a running crawl stands.
type Progress struct {
	Started time.Time
	Done    int    // queued URLs finished (pages, sitemaps, failures, robots skips)
	Queued  int    // queued URLs not finished yet
	Fetched int    // pages fetched (200 or 304)
	Failed  int    // fetches failed after their retries
	Host    string // the host of the URL just finished
}

// Rate is the pages fetched per second since the start, at now.
func (p Progress) Rate(now time.Time) float64 {
	if d := now.Sub(p.Started).Seconds(); d > 0 {
		return float64(p.Fetched) / d
	}
	return 0
}

type Report struct {
	Started, Finished time.Time
	Fetched           int // pages handed to handle with a 200
	NotModified       int // pages handed to handle with a 304
	RobotsSkipped     int // URLs disallowed by robots.txt, never requested
	OutOfScope        int // links and sitemap entries to other hosts or schemes, dropped
	Failed            int
	Redirected        int // redirects to another in-scope host, queued there
	Duplicates        int // redirect targets already queued or fetched
	Truncated         int // pages cut at MaxBodyBytes
	LinksDropped      int // links beyond MaxLinksPerPage
	// ScopeSkipped counts the URLs on the seed hosts left out by the
	// scope rules, by rule (ScopeNotIncluded, "exclude /rule").
	ScopeSkipped    map[string]int
	DepthLimited    int // links beyond MaxDepth
	Failures        []Failure
	FailuresDropped int // failures beyond the list cap, counted only
	Hosts           map[string]*HostReport
	LimitReached    bool // MaxPages, MaxQueue or MaxDepth cut the crawl short
}
