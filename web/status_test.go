package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
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

// TestStatusCountLabels: the status page names a job's counters in words and
// in the order of what happened, while the JSON keeps its keys.
func TestStatusCountLabels(t *testing.T) {
	t.Parallel()
	counts := map[string]int{"carried_over": 3, "new": 5, "failed": 1, "not_modified": 2}
	st := fakeStatus{Status{
		Generation: &GenerationStatus{ID: "g-1", Passages: 10, Pages: 2},
		LastJob: &JobStatus{ID: "job-1", State: JobSucceeded, Counts: counts,
			Hosts: []HostStatus{{Host: "www.example.gov", Counts: counts}}},
	}}
	h := MustServer(t, Config{}, nil, st, nil).Handler()
	page := do(t, h, "GET", "/status", nil).Body.String()
	if strings.Contains(page, "carried_over") || strings.Contains(page, "not_modified") {
		t.Errorf("status page shows counter keys instead of words")
	}
	iNew, iFailed, iCarried := strings.Index(page, "<dt>new</dt>"), strings.Index(page, "<dt>failed</dt>"), strings.Index(page, "<dt>carried over</dt>")
	if iNew < 0 || iFailed < iNew || iCarried < iFailed {
		t.Errorf("counters not in reading order (new %d, failed %d, carried over %d)", iNew, iFailed, iCarried)
	}
	if !strings.Contains(page, "<dt>not modified</dt><dd>2</dd>") {
		t.Errorf("an unknown counter is not shown in words")
	}
	if rec := do(t, h, "GET", "/api/v1/status", nil); !strings.Contains(rec.Body.String(), `"carried_over":3`) {
		t.Errorf("JSON lost its counter key: %s", rec.Body.String())
	}
}

// TestStatusProgress: a running job's progress is in the JSON and on the page.
func TestStatusProgress(t *testing.T) {
	t.Parallel()
	st := fakeStatus{Status{LastJob: &JobStatus{ID: "job-2", State: JobRunning,
		Progress: &JobProgress{Done: 40, Queued: 60, Fetched: 38, Failed: 2, Host: "www.example.gov", PagesPerSecond: 0.9}}}}
	h := MustServer(t, Config{}, nil, st, nil).Handler()
	body := do(t, h, "GET", "/api/v1/status", nil).Body.String()
	for _, want := range []string{`"progress":{`, `"done":40`, `"queued":60`, `"host":"www.example.gov"`, `"pages_per_second":0.9`} {
		if !strings.Contains(body, want) {
			t.Errorf("status JSON lacks %s: %s", want, body)
		}
	}
	page := do(t, h, "GET", "/status", nil).Body.String()
	if !strings.Contains(page, "40 of 100 URLs done") || !strings.Contains(page, "www.example.gov") {
		t.Errorf("status page does not show the progress")
	}
}

// TestMetricsRoute: /metrics exists only when a handler is given, answers
// loopback peers only unless public, and never counts a forwarded address.
func TestMetricsRoute(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("inlsearch_up 1\n")) })
	cases := []struct {
		name   string
		cfg    Config
		remote string
		want   int
	}{
		{"no handler", Config{}, "127.0.0.1:5000", http.StatusNotFound},
		{"loopback v4", Config{Metrics: h}, "127.0.0.1:5000", http.StatusOK},
		{"loopback v6", Config{Metrics: h}, "[::1]:5000", http.StatusOK},
		{"remote refused", Config{Metrics: h}, "192.0.2.7:5000", http.StatusNotFound},
		{"remote when public", Config{Metrics: h, MetricsPublic: true}, "192.0.2.7:5000", http.StatusOK},
	}
	for _, c := range cases {
		srv := MustServer(t, c.cfg, nil, nil, nil).Handler()
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = c.remote
		req.Header.Set("X-Forwarded-For", "127.0.0.1")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: /metrics from %s = %d, want %d", c.name, c.remote, rec.Code, c.want)
		}
	}
}
