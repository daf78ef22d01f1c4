package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/pdf"
	"github.com/inlsearch/inlsearch/search"
)

func runCrawl(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := newFlagSet("crawl", cfg, "seed", "warc", "rebuild")
	fs.SetOutput(stderr)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if len(cfg.Seeds) == 0 {
		return usageError{"at least one --seed URL is needed"}
	}
	log := newLogger(cfg, stderr)
	warnFilesystem(cfg, log)
	warnDelay(cfg, stderr)
	job := newJob(cfg, log)
	job.WARC = cfg.WARC
	progress := newProgressReporter(stderr, log)
	job.Crawl.Progress = progress.update
	sum, err := job.Run(ctx)
	progress.end()
	return reportJob(stdout, cfg, sum, err)
}

// reportJob prints the summary of a crawl or import job and the generation
// it published, and returns its error.
func reportJob(stdout io.Writer, cfg *Config, sum *indexer.Summary, err error) error {
	var locked *indexer.LockedError
	if errors.As(err, &locked) || errors.Is(err, search.ErrInsufficientDisk) {
		return err // refused before anything was fetched or read: no summary
	}
	if sum != nil {
		printSummary(stdout, sum)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published generation %s in %s\n", sum.Generation, cfg.Data)
	return nil
}

// politeFloor is the smallest --delay that is polite to a host that is not ours.
const politeFloor = 100 * time.Millisecond

// warnDelay warns when the politeness delay is below politeFloor and a seed is
// a host other than this machine (loopback names and addresses are ours).
func warnDelay(cfg *Config, w io.Writer) {
	if cfg.Delay >= politeFloor {
		return
	}
	for _, s := range cfg.Seeds {
		u, err := url.Parse(s)
		if err != nil || isLoopbackHost(u.Hostname()) {
			continue
		}
		fmt.Fprintf(w, "warning: --delay %s is below %s against %s, which is not this machine: use it only on a site you run\n",
			cfg.Delay, politeFloor, u.Hostname())
		return
	}
}

// isLoopbackHost reports whether host names this machine's loopback interface.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// crawlConfig is limits.Crawl with the flags' politeness and scope.
func crawlConfig(cfg *Config) crawl.Config {
	c := limits.Crawl
	c.UserAgent = "inlsearch/" + version + " (+https://github.com/inlsearch/inlsearch)"
	if cfg.UserAgent != "" {
		c.UserAgent = cfg.UserAgent
	}
	c.Delay = cfg.Delay
	if c.Delay == 0 {
		c.Delay = -1 // an explicit --delay 0s means no delay (an absent flag is 1s)
	}
	if cfg.MaxPages > 0 {
		c.MaxPages = cfg.MaxPages
	}
	if cfg.MaxDepth > 0 {
		c.MaxDepth = cfg.MaxDepth
	}
	if cfg.MaxPDFBytes > 0 {
		c.MaxPDFBytes = cfg.MaxPDFBytes
	}
	c.AllowPrivate = cfg.AllowPrivate
	c.Scope, _ = cfg.scope() // checked by validate
	return c
}

// pdfRunner is limits.PDF with the flag's deadline.
func pdfRunner(cfg *Config) pdf.Runner {
	r := limits.PDF
	if cfg.PDFTimeout > 0 {
		r.Timeout = cfg.PDFTimeout
	}
	return r
}

func printSummary(w io.Writer, s *indexer.Summary) {
	d := s.Duration()
	if d < 0 {
		d = 0
	}
	c := s.Counts
	fmt.Fprintf(w, "pages new:       %d\n", c.New)
	fmt.Fprintf(w, "pages changed:   %d\n", c.Changed)
	fmt.Fprintf(w, "unchanged:       %d  (%d not modified, %d parsed in all)\n", c.Unchanged, s.NotModified, c.Parsed)
	if c.Retagged > 0 {
		fmt.Fprintf(w, "retagged:        %d  (stored passages tagged by the new tagger, pages not parsed)\n", c.Retagged)
	}
	fmt.Fprintf(w, "removed:         %d\n", c.Removed)
	fmt.Fprintf(w, "failed:          %d\n", c.Failed)
	fmt.Fprintf(w, "carried over:    %d  (%d stale)\n", c.CarriedOver, c.Stale)
	fmt.Fprintf(w, "robots skipped:  %d\n", s.RobotsSkipped)
	fmt.Fprintf(w, "out of scope:    %d links\n", s.OutOfScope)
	printCounts(w, "scope skipped:  ", s.ScopeSkipped, "URLs")
	if s.Captures > 0 || len(s.Skipped) > 0 {
		fmt.Fprintf(w, "captures read:   %d\n", s.Captures)
		printCounts(w, "skipped:        ", s.Skipped, "")
	}
	if s.WARC != "" {
		fmt.Fprintf(w, "archived:        %d exchanges to %s\n", s.WARCRecords, s.WARC)
	}
	reasons := make([]string, 0, len(s.FailReasons))
	for r := range s.FailReasons {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		var urls []string
		for _, f := range s.Failures {
			if f.Reason == r && len(urls) < 3 {
				urls = append(urls, f.URL)
			}
		}
		// the reason in words; its code (as in the JSON and the logs) after the URLs
		fmt.Fprintf(w, "  %-28s %d  (%s) [%s]\n", strings.ReplaceAll(r, "_", " "), s.FailReasons[r], strings.Join(urls, ", "), r)
	}
	for _, dg := range s.Degraded {
		fmt.Fprintf(w, "degraded:        %s\n", dg)
	}
	if s.LimitReached {
		fmt.Fprintln(w, "limit reached:   yes (max pages or depth)")
	}
	fmt.Fprintf(w, "generation:      %d pages, %d passages\n", s.Pages, s.Passages)
	if ix := s.Index; ix != nil && s.Generation != "" {
		how := "incremental from " + ix.Base
		if ix.Mode == indexer.IndexFull {
			how = "full (" + ix.Reason + ")"
		}
		fmt.Fprintf(w, "index:           %s: %d passages written, %d kept, %d deleted, %d segments, %.1fs\n",
			how, ix.Added, ix.Kept, ix.Deleted, ix.Segments, ix.Seconds)
	}
	fmt.Fprintf(w, "time:            %s\n", d.Round(time.Millisecond))
}

// printCounts prints a map of counts on one line per key, sorted.
func printCounts(w io.Writer, label string, m map[string]int, unit string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintln(w, strings.TrimSpace(fmt.Sprintf("%s  %-28s %d %s", label, k, m[k], unit)))
	}
}
