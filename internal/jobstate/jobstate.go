// Package jobstate names the states of a re-index job, the one set the
// indexer records (Summary.State, last-job.json) and the web layer shows
// (GET /api/v1/status, /status). It imports nothing.
package jobstate

// The states of a job.
const (
	// Running: the job has started and not ended.
	Running = "running"
	// Succeeded: the job published a generation.
	Succeeded = "succeeded"
	// Failed: the job ended without publishing; the served generation is
	// the one before it.
	Failed = "failed"
	// Skipped: the job did nothing because another crawl held the data
	// folder's lock. It is not a failure: a schedule tries again at its next tick.
	Skipped = "skipped"
	// Cancelling: an operator asked the running job to stop; it has not ended yet.
	Cancelling = "cancelling"
	// Cancelled: the job was stopped on request before it published anything.
	Cancelled = "cancelled"
)
