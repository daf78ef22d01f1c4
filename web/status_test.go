package web

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestStatusSkippedAndCancelled: a skipped or cancelled job shows its state
// and reason, in JSON and on the page, with no error.
func TestStatusSkippedAndCancelled(t *testing.T) {
	t.Parallel()
	tests := []struct{ state, reason string }{
		{JobSkipped, "another crawl (pid 4242) holds the data folder's lock"},
		{JobCancelled, "stopped on request"},
	}
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			t.Parallel()
			st := fakeStatus{Status{
				Generation: &GenerationStatus{ID: "g-7", Passages: 10, Pages: 2},
				LastJob:    &JobStatus{ID: "job-9", State: tt.state, Reason: tt.reason},
			}}
			h := MustServer(t, Config{}, nil, st, nil).Handler()
			rec := do(t, h, "GET", "/api/v1/status", nil)
			var got struct {
				LastJob map[string]any `json:"last_job"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.LastJob["state"] != tt.state || got.LastJob["reason"] != tt.reason || got.LastJob["error"] != nil {
				t.Errorf("last_job = %v, want state %q, reason %q, no error", got.LastJob, tt.state, tt.reason)
			}
			for _, key := range []string{"id", "state", "started", "counts"} {
				if _, ok := got.LastJob[key]; !ok {
					t.Errorf("last_job lacks %q: %v", key, got.LastJob)
				}
			}
			page := do(t, h, "GET", "/status", nil).Body.String()
			for _, w := range []string{tt.state, "Reason", "pid 4242"} {
				if w == "pid 4242" && tt.state != JobSkipped {
					continue
				}
				if !strings.Contains(page, w) {
					t.Errorf("status page lacks %q", w)
				}
			}
			if strings.Contains(page, "<dt>Error</dt>") {
				t.Error("status page shows an error for a job that did not fail")
			}
		})
	}
}
