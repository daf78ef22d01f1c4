package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/inlsearch/inlsearch/internal/atomicfile"
	"github.com/inlsearch/inlsearch/internal/jobstate"
	"os"
	"path/filepath"
	"time"
)

// Job states, as in Summary.State (the one set of internal/jobstate).
const (
	StateSucceeded = jobstate.Succeeded
	StateFailed    = jobstate.Failed
	// StateCancelled: the job's context was cancelled with ErrCancelled as
	// its cause (an operator's request), not by a shutdown or a failure.
	StateCancelled = jobstate.Cancelled
)

// ErrCancelled is the cause to cancel a job's context with
// (context.WithCancelCause) when an operator stops it: the job then ends
// as StateCancelled rather than StateFailed.
var ErrCancelled = errors.New("job cancelled on request")

// Summary is what a job did.
type Summary struct {
	ID         string    `json:"id"`
	State      string    `json:"state"`
	Error      string    `json:"error,omitempty"`
	Generation string    `json:"generation,omitempty"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished,omitzero"`
	// Pages and Passages are those of the new generation, carried-over ones
	// included.
	Pages    int `json:"pages"`
	Passages int `json:"passages"`
	// Counts are the pages of the job by outcome.
	Counts Counts `json:"counts"`
	// Hosts are the counts of each host of the scope.
	Hosts map[string]*HostSummary `json:"hosts"`
	// Index says how the generation's index was built (full or
	// incremental, and why).
	Index *IndexSummary `json:"index,omitempty"`
	// Degraded lists the hosts carried over whole because too many of their
	// pages failed ("host: error rate 40% (4 of 10 pages)").
	Degraded []string `json:"degraded,omitempty"`

	NotModified   int            `json:"not_modified"`
	RobotsSkipped int            `json:"robots_skipped"`
	OutOfScope    int            `json:"out_of_scope"`
	Failed        int            `json:"failed"` // every URL the crawler gave up, broken links included
	FailReasons   map[string]int `json:"fail_reasons"`
	Failures      []Failure      `json:"failures,omitempty"`
	LimitReached  bool           `json:"limit_reached"`
	// ScopeSkipped counts the URLs on the seed hosts that the scope rules
	// left out, by rule ("not_included", "exclude /path*").
	ScopeSkipped map[string]int `json:"scope_skipped,omitempty"`
	// WARC names the file the crawl archived its exchanges to, and
	// WARCRecords their number.
	WARC        string `json:"warc,omitempty"`
	WARCRecords int    `json:"warc_records,omitempty"`
	// Import: Captures are the HTML and PDF captures and files read, and
	// Skipped the records and files left out, by reason (revisit,
	// status_not_200, record_type, media_type, older_capture, …).
	Captures int            `json:"captures,omitempty"`
	Skipped  map[string]int `json:"skipped,omitempty"`
}

// Counts are pages of a job (or of one host) by outcome.
type Counts struct {
	New       int `json:"new"`       // parsed, not in the last generation
	Changed   int `json:"changed"`   // parsed, body changed since the last generation
	Unchanged int `json:"unchanged"` // 304, or the same body: stored passages reused
	Removed   int `json:"removed"`   // dropped: 404, 410, robots.txt, redirected away, out of scope
	Failed    int `json:"failed"`    // fetch failed for a transient reason (5xx, 429, timeout…)
	// CarriedOver are pages whose passages were taken from the last
	// generation without a fresh copy: failed, not reached, or on a
	// degraded host.
	CarriedOver int `json:"carried_over"`
	Stale       int `json:"stale"`  // pages in the generation marked stale_since
	Parsed      int `json:"parsed"` // pages parsed (an unchanged re-crawl parses none)
	// Retagged are pages whose stored passages were tagged again by a new
	// tagger (model, taxonomy) without parsing the page.
	Retagged int `json:"retagged"`
}

// Map returns the counts by name, for status pages.
func (c Counts) Map() map[string]int {
	return map[string]int{
		"new": c.New, "changed": c.Changed, "unchanged": c.Unchanged, "removed": c.Removed,
		"failed": c.Failed, "carried_over": c.CarriedOver, "stale": c.Stale, "parsed": c.Parsed, "retagged": c.Retagged,
	}
}

func (c *Counts) add(o Counts) {
	c.New += o.New
	c.Changed += o.Changed
	c.Unchanged += o.Unchanged
	c.Removed += o.Removed
	c.Failed += o.Failed
	c.CarriedOver += o.CarriedOver
	c.Stale += o.Stale
	c.Parsed += o.Parsed
	c.Retagged += o.Retagged
}

// HostSummary is what a job did on one host.
type HostSummary struct {
	Host     string `json:"host"`
	Counts   Counts `json:"counts"`
	Pages    int    `json:"pages"`    // in the new generation
	Passages int    `json:"passages"` // in the new generation
	// Robots is the state of its robots.txt ("ok", "missing", "unavailable"…).
	Robots string `json:"robots,omitempty"`
	// Skipped is the reason the crawler gave the host up, if it did.
	Skipped string `json:"skipped,omitempty"`
	// ErrorRate is the share of the host's pages that failed or were not
	// reached, from 0 to 1.
	ErrorRate float64 `json:"error_rate"`
	// Degraded explains why the host was carried over whole, if it was.
	Degraded string `json:"degraded,omitempty"`
}

// Failure is one page that failed, with its reason.
type Failure struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
	Status int    `json:"status,omitempty"`
}

// Duration is how long the job took.
func (s *Summary) Duration() time.Duration { return s.Finished.Sub(s.Started) }

// lastJobFile holds the summary of the last job that ran on a data folder,
// so that a server shows the jobs run by cron in another process.
const lastJobFile = "last-job.json"

// maxSavedFailures caps the failures written to the last-job file.
const maxSavedFailures = 200

// saveSummary writes s as the data folder's last job (atomically).
func saveSummary(dir string, s *Summary) error {
	c := *s
	if len(c.Failures) > maxSavedFailures {
		c.Failures = c.Failures[:maxSavedFailures]
	}
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	return writeAtomic(filepath.Join(dir, lastJobFile), b)
}

// LastSummary reads the summary of the last job that finished on the data
// folder dir; nil without error when none did.
func LastSummary(dir string) (*Summary, error) {
	b, err := os.ReadFile(filepath.Join(dir, lastJobFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read last job: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("read last job: %w", err)
	}
	return &s, nil
}

// writeAtomic writes data to path through a temporary file (internal/atomicfile).
func writeAtomic(path string, data []byte) error { return atomicfile.Write(path, data) }
