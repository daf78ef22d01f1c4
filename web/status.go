package web

import (
	"github.com/inlsearch/inlsearch/internal/jobstate"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Status is what the server serves and what the indexer last did, as shown
// by GET /api/v1/status, /status and /healthz.
type Status struct {
	// Version is filled by the server from Config.Version.
	Version string `json:"version"`
	// Generation is the index generation being served; nil when none is.
	Generation *GenerationStatus `json:"generation"`
	// LastJob is the latest re-index job, running or finished; nil before the first.
	LastJob *JobStatus `json:"last_job"`
	// NextRun is when the scheduler starts the next job; zero when none is planned.
	NextRun time.Time `json:"next_run,omitzero"`
	// Degraded is set when the server serves an older generation than the
	// newest published one (it could not open that one), or similar trouble.
	Degraded bool `json:"degraded"`
	// Message explains Degraded, for operators.
	Message string `json:"message,omitempty"`
}

// GenerationStatus describes one index generation.
type GenerationStatus struct {
	ID       string    `json:"id"`
	BuiltAt  time.Time `json:"built_at"`
	Passages int       `json:"passages"`
	Pages    int       `json:"pages"`
	// FoundOrganizations is the number of distinct organizations beyond the
	// taxonomy, found from the pages' own definitions and tagged by acronym;
	// FoundOrganizationPassages the number of passages that carry one.
	FoundOrganizations        int `json:"found_organizations"`
	FoundOrganizationPassages int `json:"found_organization_passages"`
}

// Job states, as in JobStatus.State: the one set of internal/jobstate, under
// the names the web layer has used.
const (
	JobRunning    = jobstate.Running
	JobSucceeded  = jobstate.Succeeded
	JobFailed     = jobstate.Failed
	JobSkipped    = jobstate.Skipped    // another crawl held the lock; Reason says which
	JobCancelling = jobstate.Cancelling // DELETE /api/v1/reindex asked it to stop
	JobCancelled  = jobstate.Cancelled
)

// JobStatus describes one re-index job.
type JobStatus struct {
	ID string `json:"id"`
	// State is one of the Job* states: running, succeeded, failed, skipped,
	// cancelling, cancelled.
	State    string    `json:"state"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	// Counts are the job's counters by name: fetched, not_modified, failed…
	Counts map[string]int `json:"counts"`
	// Hosts are the job's counters per host, in host order.
	Hosts []HostStatus `json:"hosts,omitempty"`
	// Error is the reason of a failed job.
	Error string `json:"error,omitempty"`
	// Reason explains a job that did not fail but did not publish either
	// (skipped, cancelled).
	Reason string `json:"reason,omitempty"`
	// Progress is where the crawl of a running job stands.
	Progress *JobProgress `json:"progress,omitempty"`
}

// JobProgress is where a running job's crawl stands: URLs done and still
// queued, pages fetched, failures, the host it is on and its rate.
type JobProgress struct {
	Done           int     `json:"done"`
	Queued         int     `json:"queued"`
	Fetched        int     `json:"fetched"`
	Failed         int     `json:"failed"`
	Host           string  `json:"host"`
	PagesPerSecond float64 `json:"pages_per_second"`
}

// HostStatus is what a re-index job did on one host.
type HostStatus struct {
	Host   string         `json:"host"`
	Counts map[string]int `json:"counts"`
	// Degraded says why the host was carried over whole from the last
	// generation (too many of its pages failed); empty when it was not.
	Degraded string `json:"degraded,omitempty"`
}

// Servable reports whether an index generation is being served.
func (st Status) Servable() bool { return st.Generation != nil }

// currentStatus asks the reporter, if any. Without one the server knows
// nothing and reports a servable, unknown state.
func (s *Server) currentStatus(c *gin.Context) (Status, bool) {
	if s.status == nil {
		return Status{Version: s.cfg.Version}, false
	}
	st := s.status.Status(c.Request.Context())
	st.Version = s.cfg.Version
	if st.LastJob != nil && st.LastJob.Counts == nil {
		j := *st.LastJob
		j.Counts = map[string]int{}
		st.LastJob = &j
	}
	return st, true
}

func (s *Server) handleAPIStatus(c *gin.Context) {
	st, _ := s.currentStatus(c)
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, st)
}

// healthBody is the answer of /healthz while something is served.
type healthBody struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// handleHealth answers 200 while a generation is served (degraded or not)
// and 503 only when nothing is servable (D7).
func (s *Server) handleHealth(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	st, known := s.currentStatus(c)
	switch {
	case known && !st.Servable():
		c.AbortWithStatusJSON(http.StatusServiceUnavailable, apiError{Error: apiErrorBody{
			Code: "index_unavailable", Message: "no index generation can be served"}})
	case st.Degraded:
		c.JSON(http.StatusOK, healthBody{Status: "degraded", Message: capMessage(st.Message)})
	default:
		c.JSON(http.StatusOK, healthBody{Status: "ok"})
	}
}

// statusView is the data of status.html.
type statusView struct {
	baseView
	Known  bool
	Status Status
}

func (s *Server) handleStatusPage(c *gin.Context) {
	st, known := s.currentStatus(c)
	c.Header("Cache-Control", "no-cache")
	s.render(c, http.StatusOK, "status.html", statusView{baseView: s.base(c, "Index status"), Known: known, Status: st})
}

// countRow is one counter of a job as a person reads it.
type countRow struct {
	Label string
	N     int
}

// countOrder is the order in which a job's counters read best: what happened
// to the pages, then what was kept of the old index.
var countOrder = []string{"new", "changed", "unchanged", "removed", "failed", "carried_over", "stale", "parsed"}

// countRows lists a job's counters in countOrder (others after them, by name),
// labelled in words ("carried over", not "carried_over").
func countRows(counts map[string]int) []countRow {
	rows := make([]countRow, 0, len(counts))
	done := map[string]bool{}
	for _, k := range countOrder {
		if n, ok := counts[k]; ok {
			rows = append(rows, countRow{countLabel(k), n})
			done[k] = true
		}
	}
	var rest []string
	for k := range counts {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		rows = append(rows, countRow{countLabel(k), counts[k]})
	}
	return rows
}

// countLabel turns a counter's JSON name into words.
func countLabel(name string) string {
	return strings.ReplaceAll(name, "_", " ")
}
