package main

import (
	"context"

	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

// statusReporter merges what is served (search.Live) and what the job runner
// did into the web's status.
type statusReporter struct {
	live   *search.Live
	runner *jobRunner
}

func (s *statusReporter) Status(context.Context) web.Status {
	ls := s.live.Status()
	var st web.Status
	if ls.Serving {
		g := ls.Generation
		st.Generation = &web.GenerationStatus{ID: g.ID, BuiltAt: g.BuiltAt, Passages: g.Passages, Pages: g.Pages}
	}
	switch {
	case ls.Degraded != "":
		st.Degraded, st.Message = true, ls.Degraded
	case ls.Error != "":
		st.Degraded, st.Message = true, ls.Error
	}
	s.runner.mu.Lock()
	defer s.runner.mu.Unlock()
	st.NextRun = s.runner.next
	if rec := s.runner.last; rec != nil {
		js := &web.JobStatus{ID: rec.ID, State: rec.State, Started: rec.Started, Finished: rec.Ended, Error: rec.Error, Counts: map[string]int{}}
		if sum := rec.Summary; sum != nil {
			js.Counts["pages"] = sum.Pages
			js.Counts["not_modified"] = sum.NotModified
			js.Counts["robots_skipped"] = sum.RobotsSkipped
			js.Counts["failed"] = sum.Failed
			js.Counts["passages"] = sum.Passages
		}
		st.LastJob = js
	}
	return st
}
