package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

// serverMetrics are the Prometheus series of `inlsearch serve` (the README's
// "Metrics" table lists them). Series that mirror state someone else keeps
// (the gate, the served generation, the result caches) are read at scrape
// time; the rest are observed as things happen.
type serverMetrics struct {
	reg *prometheus.Registry

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	searchDuration  *prometheus.HistogramVec
	jobs            *prometheus.CounterVec
	jobDuration     prometheus.Histogram
	jobPages        *prometheus.CounterVec
}

// latencyBuckets span a cached answer (100 µs) to an export (1 min).
var latencyBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

func newServerMetrics(live *search.Live, admission func() web.AdmissionStats) *serverMetrics {
	m := &serverMetrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "inlsearch_http_requests_total", Help: "HTTP requests answered, by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "inlsearch_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern and method.",
		Buckets: latencyBuckets,
	}, []string{"route", "method"})
	m.searchDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "inlsearch_search_duration_seconds", Help: "Time a search took in the index, by kind: plain, faceted (a filter or a year bound), export (to its last row).",
		Buckets: latencyBuckets,
	}, []string{"kind"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "inlsearch_crawl_jobs_total", Help: "Re-index jobs this server ran, by outcome: succeeded, failed, skipped, cancelled.",
	}, []string{"outcome"})
	m.jobDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "inlsearch_crawl_job_duration_seconds", Help: "Wall time of the re-index jobs this server ran.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 16), // 1 s … 9 h
	})
	m.jobPages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "inlsearch_crawl_pages_total", Help: "Pages of the re-index jobs this server ran, by outcome: new, changed, unchanged, removed, failed, carried_over.",
	}, []string{"outcome"})

	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
	}
	gen := func() search.Generation { return live.Status().Generation }
	m.reg.MustRegister(
		m.requests, m.requestDuration, m.searchDuration, m.jobs, m.jobDuration, m.jobPages,
		gauge("inlsearch_admission_in_flight", "Searches running now.", func() float64 { return float64(admission().InFlight) }),
		gauge("inlsearch_admission_queued", "Searches waiting for a slot now.", func() float64 { return float64(admission().Queued) }),
		&rejectedCollector{admission: admission},
		counter("inlsearch_result_cache_hits_total", "Searches answered from a generation's result cache.",
			func() float64 { return float64(live.Counters().CacheHits) }),
		counter("inlsearch_result_cache_misses_total", "Searches a result cache did not hold (searched, then remembered).",
			func() float64 { return float64(live.Counters().CacheMisses) }),
		&generationCollector{live: live},
		gauge("inlsearch_generation_passages", "Passages in the served generation.", func() float64 { return float64(gen().Passages) }),
		gauge("inlsearch_generation_pages", "Pages in the served generation.", func() float64 { return float64(gen().Pages) }),
		gauge("inlsearch_generation_age_seconds", "Seconds since the served generation was built.", func() float64 {
			if b := gen().BuiltAt; !b.IsZero() {
				return time.Since(b).Seconds()
			}
			return 0
		}),
		counter("inlsearch_generation_swaps_total", "Generations this server started serving (the first included).",
			func() float64 { return float64(live.Counters().Swaps) }),
		counter("inlsearch_generation_fallbacks_total", "Swaps to the previous generation because the current one could not be opened.",
			func() float64 { return float64(live.Counters().Fallbacks) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// handler serves the registry in Prometheus' text format.
func (m *serverMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *serverMetrics) observeRequest(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched" // a 404 must not make one series per path asked for
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.requestDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

func (m *serverMetrics) observeSearch(kind string, d time.Duration) {
	m.searchDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// jobDone records a job of the runner that has ended.
func (m *serverMetrics) jobDone(state string, took time.Duration, sum *indexer.Summary) {
	m.jobs.WithLabelValues(state).Inc()
	m.jobDuration.Observe(took.Seconds())
	if sum == nil {
		return
	}
	c := sum.Counts
	for outcome, n := range map[string]int{"new": c.New, "changed": c.Changed, "unchanged": c.Unchanged,
		"removed": c.Removed, "failed": c.Failed, "carried_over": c.CarriedOver} {
		m.jobPages.WithLabelValues(outcome).Add(float64(n))
	}
}

// generationCollector is inlsearch_generation_info: 1, labelled with the
// served generation's id.
type generationCollector struct{ live *search.Live }

var generationInfoDesc = prometheus.NewDesc("inlsearch_generation_info",
	"The served index generation (its id as a label); absent while none is served.", []string{"generation"}, nil)

func (g *generationCollector) Describe(ch chan<- *prometheus.Desc) { ch <- generationInfoDesc }

func (g *generationCollector) Collect(ch chan<- prometheus.Metric) {
	if st := g.live.Status(); st.Serving {
		ch <- prometheus.MustNewConstMetric(generationInfoDesc, prometheus.GaugeValue, 1, st.Generation.ID)
	}
}

// rejectedCollector is inlsearch_admission_rejected_total by reason.
type rejectedCollector struct{ admission func() web.AdmissionStats }

var rejectedDesc = prometheus.NewDesc("inlsearch_admission_rejected_total",
	"Searches refused with 503 overloaded, by reason: full (every waiting place taken), wait (no slot within the wait).",
	[]string{"reason"}, nil)

func (r *rejectedCollector) Describe(ch chan<- *prometheus.Desc) { ch <- rejectedDesc }

func (r *rejectedCollector) Collect(ch chan<- prometheus.Metric) {
	a := r.admission()
	ch <- prometheus.MustNewConstMetric(rejectedDesc, prometheus.CounterValue, float64(a.RefusedFull), "full")
	ch <- prometheus.MustNewConstMetric(rejectedDesc, prometheus.CounterValue, float64(a.RefusedWait), "wait")
}
