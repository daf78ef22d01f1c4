package main

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

// statusReporter merges what is served (search.Live), what the job runner
// did and the last job recorded in the data folder (a crawl run by cron in
// another process) into the web's status.
type statusReporter struct {
	live   *search.Live
	runner *jobRunner
	data   string // data folder, for the last job of another process
}

func (s *statusReporter) Status(context.Context) web.Status {
	ls := s.live.Status()
	var st web.Status
	if ls.Serving {
		g := ls.Generation
		st.Generation = &web.GenerationStatus{ID: g.ID, BuiltAt: g.BuiltAt, Passages: g.Passages, Pages: g.Pages,
			FoundOrganizations:        g.Stats[search.StatFoundOrganizations],
			FoundOrganizationPassages: g.Stats[search.StatFoundOrganizationPassages]}
	}
	switch {
	case ls.Degraded != "":
		st.Degraded, st.Message = true, ls.Degraded
	case ls.Error != "":
		st.Degraded, st.Message = true, ls.Error
	}
	rec, next := s.runner.snapshot()
	st.NextRun = next
	var saved *indexer.Summary
	if s.data != "" {
		saved, _ = indexer.LastSummary(s.data) // unreadable: show the runner's only
	}
	switch {
	case runnerIsNewer(rec, saved):
		js := &web.JobStatus{ID: rec.ID, State: rec.State, Started: rec.Started, Finished: rec.Ended, Error: rec.Error, Reason: rec.Reason}
		fillCounts(js, rec.Summary)
		if p := rec.Progress; p != nil && (rec.State == web.JobRunning || rec.State == web.JobCancelling) {
			js.Progress = &web.JobProgress{Done: p.Done, Queued: p.Queued, Fetched: p.Fetched, Failed: p.Failed,
				Host: p.Host, PagesPerSecond: math.Round(p.Rate(time.Now())*10) / 10}
		}
		st.LastJob = js
	case saved != nil:
		js := &web.JobStatus{ID: saved.ID, State: saved.State, Started: saved.Started, Finished: saved.Finished, Error: saved.Error}
		fillCounts(js, saved)
		st.LastJob = js
	}
	return st
}

// runnerIsNewer tells whether the runner's last job, rather than the last
// summary saved in the data folder, is the latest news. The runner's own
// job saves a summary too, under the same id: the runner's record says more
// (cancelled, not failed). A job skipped because another crawl held the lock
// yields to that crawl's summary once it has finished.
func runnerIsNewer(rec *jobRecord, saved *indexer.Summary) bool {
	switch {
	case rec == nil:
		return false
	case saved == nil, saved.ID == rec.ID, rec.State == web.JobRunning, rec.State == web.JobCancelling:
		return true
	case rec.State == web.JobSkipped:
		return !saved.Finished.After(rec.Ended)
	default:
		return !saved.Started.After(rec.Started)
	}
}

// fillCounts copies a job summary's counts, job-wide and per host.
func fillCounts(js *web.JobStatus, sum *indexer.Summary) {
	js.Counts = map[string]int{}
	if sum == nil {
		return
	}
	js.Counts = sum.Counts.Map()
	js.Counts["pages"] = sum.Pages
	js.Counts["passages"] = sum.Passages
	js.Counts["not_modified"] = sum.NotModified
	js.Counts["robots_skipped"] = sum.RobotsSkipped
	js.Counts["degraded_hosts"] = len(sum.Degraded)
	if sum.Index != nil && sum.Generation != "" {
		// what the index step wrote: the changed passages of an incremental
		// build, every passage of a full one
		js.Counts["passages_written"] = sum.Index.Added
	}
	hosts := make([]string, 0, len(sum.Hosts))
	for h := range sum.Hosts {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		hs := sum.Hosts[h]
		c := hs.Counts.Map()
		c["pages"], c["passages"] = hs.Pages, hs.Passages
		js.Hosts = append(js.Hosts, web.HostStatus{Host: h, Counts: c, Degraded: hs.Degraded})
	}
}
