package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape GETs a /metrics URL and parses the text format.
func scrape(t *testing.T, u string) map[string]family {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", u, resp.Status, b)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse metrics: %v", err)
	}
	out := map[string]family{}
	for name, f := range fams {
		out[name] = family{f}
	}
	return out
}

// family is one parsed metric family.
type family struct{ f *dto.MetricFamily }

// value is the value of the series with exactly these labels (a histogram's
// sample count); ok is false when there is no such series.
func (f family) value(labels map[string]string) (float64, bool) {
	for _, m := range f.f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if len(got) != len(labels) {
			continue
		}
		same := true
		for k, v := range labels {
			if got[k] != v {
				same = false
			}
		}
		if !same {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		case m.Untyped != nil:
			return m.GetUntyped().GetValue(), true
		}
	}
	return 0, false
}

// mustServeConfigOut is mustServeConfig that keeps what serve prints.
func mustServeConfigOut(tb testing.TB, cfg *Config, stdout io.Writer) string {
	tb.Helper()
	cfg.Addr = "127.0.0.1:0"
	ready := make(chan string, 1)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return stdout.Write(p) })
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), w, ready) }()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		tb.Fatalf("serve ended: %v", err)
	}
	tb.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			tb.Errorf("serve: %v", err)
		}
	})
	return base
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestMetricsAfterKnownRequests scrapes /metrics after a known sequence of
// requests and checks the project's series by name, label and value.
func TestMetricsAfterKnownRequests(t *testing.T) {
	data := t.TempDir()
	gen := publishDocs(t, data, "m", 30)
	base := MustServe(t, data)
	get := func(path string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	get("/api/v1/search?q=alpha")              // plain, then answered from the cache
	get("/api/v1/search?q=alpha")              //
	get("/api/v1/search?q=alpha&country=Peru") // faceted
	get("/api/v1/search?q=%22unbalanced")      // 400
	get("/export.csv?q=alpha")                 // export
	get("/no/such/page")                       // 404, no route
	m := scrape(t, base+"/metrics")

	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"inlsearch_http_requests_total", map[string]string{"route": "/api/v1/search", "method": "GET", "code": "200"}, 3},
		{"inlsearch_http_requests_total", map[string]string{"route": "/api/v1/search", "method": "GET", "code": "400"}, 1},
		{"inlsearch_http_requests_total", map[string]string{"route": "/export.csv", "method": "GET", "code": "200"}, 1},
		{"inlsearch_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "code": "404"}, 1},
		{"inlsearch_http_request_duration_seconds", map[string]string{"route": "/api/v1/search", "method": "GET"}, 4},
		{"inlsearch_search_duration_seconds", map[string]string{"kind": "plain"}, 2},
		{"inlsearch_search_duration_seconds", map[string]string{"kind": "faceted"}, 1},
		{"inlsearch_search_duration_seconds", map[string]string{"kind": "export"}, 1},
		{"inlsearch_result_cache_hits_total", nil, 1},
		{"inlsearch_generation_info", map[string]string{"generation": gen}, 1},
		{"inlsearch_generation_passages", nil, 30},
		{"inlsearch_generation_pages", nil, 30},
		{"inlsearch_generation_swaps_total", nil, 1},
		{"inlsearch_generation_fallbacks_total", nil, 0},
		{"inlsearch_admission_in_flight", nil, 0},
		{"inlsearch_admission_queued", nil, 0},
		{"inlsearch_admission_rejected_total", map[string]string{"reason": "full"}, 0},
	}
	for _, c := range checks {
		f, ok := m[c.name]
		if !ok {
			t.Errorf("no series %s", c.name)
			continue
		}
		if got, ok := f.value(c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := m[name]; !ok {
			t.Errorf("no series %s", name)
		}
	}
}

// TestMetricsLoopbackOnly: on the main listener /metrics answers loopback
// peers only, unless --metrics-public; --metrics-addr moves it.
func TestMetricsSeparateListener(t *testing.T) {
	data := t.TempDir()
	publishDocs(t, data, "s", 3)
	cfg := &Config{Data: data, LogLevel: "error", MetricsAddr: "127.0.0.1:0"}
	var out strings.Builder
	base := mustServeConfigOut(t, cfg, &out)
	if resp, err := http.Get(base + "/metrics"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the main listener with --metrics-addr: %v %v, want 404", resp.Status, err)
	}
	i := strings.Index(out.String(), "metrics on ")
	if i < 0 {
		t.Fatalf("serve did not print the metrics address: %q", out.String())
	}
	u := strings.Fields(out.String()[i+len("metrics on "):])[0]
	if _, ok := scrape(t, u)["inlsearch_generation_passages"]; !ok {
		t.Errorf("the metrics listener lacks inlsearch_generation_passages")
	}
}

// TestMetricsJobs: a finished job counts by outcome, with its duration and pages.
func TestMetricsJobs(t *testing.T) {
	live, err := search.OpenLiveLimits(t.TempDir(), search.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	m := newServerMetrics(live, func() web.AdmissionStats { return web.AdmissionStats{} })
	m.jobDone(web.JobSucceeded, 90*time.Second, &indexer.Summary{Counts: indexer.Counts{New: 4, Changed: 2, Failed: 1}})
	m.jobDone(web.JobFailed, time.Second, nil)
	srv := httptest.NewServer(m.handler())
	defer srv.Close()
	got := scrape(t, srv.URL)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"inlsearch_crawl_jobs_total", map[string]string{"outcome": "succeeded"}, 1},
		{"inlsearch_crawl_jobs_total", map[string]string{"outcome": "failed"}, 1},
		{"inlsearch_crawl_job_duration_seconds", nil, 2},
		{"inlsearch_crawl_pages_total", map[string]string{"outcome": "new"}, 4},
		{"inlsearch_crawl_pages_total", map[string]string{"outcome": "changed"}, 2},
		{"inlsearch_crawl_pages_total", map[string]string{"outcome": "failed"}, 1},
	} {
		if v, ok := got[c.name].value(c.labels); !ok || v != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, v, ok, c.want)
		}
	}
	if _, ok := got["inlsearch_generation_info"]; ok {
		t.Errorf("generation_info present while nothing is served")
	}
}
