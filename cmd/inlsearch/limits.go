package main

import (
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/pdf"
	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

// Limits gathers every bound of the program in one place, with the numbers
// of ../shared/RELIABILITY.md: what a crawl may fetch, what a search may
// cost, what a client may hold of the server, and the room a build needs.
// The commands build the crawler's, the index's and the server's
// configurations from it (crawlConfig, serve), so that the web layer and
// the index it serves apply the same search limits.
type Limits struct {
	// Crawl: only the bounds are set here; the politeness delay, the page
	// and depth caps and the scope come from flags (--delay, --max-pages,
	// --max-depth, --allow-private), whose defaults are the same numbers.
	Crawl crawl.Config
	// PDF bounds the extraction of each crawled PDF: a child process under
	// a memory limit and a deadline (RELIABILITY.md A11); --pdf-timeout
	// overrides its Timeout.
	PDF pdf.Runner
	// Search bounds every query, in the API and in the index.
	Search search.Limits
	// MaxInFlight caps concurrent searches. Zero means 2 × GOMAXPROCS.
	MaxInFlight int
	// MaxPerClient caps the searches in flight from one client address;
	// zero means half of MaxInFlight (expensive searches get half too).
	// serve's --max-per-client overrides it; --trusted-proxies decides what
	// a client address is behind a reverse proxy.
	MaxPerClient int
	// MaxQueued searches may wait for a slot, each at most QueueWait;
	// beyond, 503 overloaded with Retry-After: 1 at once.
	MaxQueued int
	QueueWait time.Duration
	// Server bounds connections, headers and bodies.
	Server web.ServerLimits
	// Space is the free-space rule checked before a build.
	Space search.SpaceRule
}

// DefaultLimits are the limits of RELIABILITY.md.
var DefaultLimits = Limits{
	Crawl: crawl.Config{
		MaxBodyBytes:    5 << 20,          // HTML body after decompression
		MaxPDFBytes:     100 << 20,        // PDF after decompression
		HeaderTimeout:   10 * time.Second, // to response headers (and TLS)
		RequestTimeout:  30 * time.Second, // whole request
		MaxRedirects:    5,
		MaxPages:        10000,
		MaxDepth:        10,
		MaxRobotsBytes:  500 << 10,
		MaxCrawlDelay:   30 * time.Second, // above: the host is skipped
		MaxRetryAfter:   24 * time.Hour,   // above: the host is skipped
		MaxLinksPerPage: 1000,
		MaxSitemapBytes: 10 << 20,
	},
	PDF: pdf.Runner{Timeout: pdf.DefaultTimeout, MemLimit: pdf.DefaultMemLimit},
	// The index's and the server's own defaults (search.DefaultLimits,
	// web.DefaultServerLimits) are RELIABILITY.md's numbers already.
	Search:       search.DefaultLimits,
	MaxInFlight:  0, // 2 × GOMAXPROCS
	MaxPerClient: 0, // half of MaxInFlight
	MaxQueued:    64,
	QueueWait:    2 * time.Second, // as long as a search may run
	Server:       web.DefaultServerLimits,
	Space:        search.DefaultSpaceRule,
}

// limits are the limits in force; tests tighten them.
var limits = DefaultLimits
