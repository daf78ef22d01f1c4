package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

// mustLiveLogged opens the data folder's generations for serving, closed at
// the end of the test, and a logger whose lines the test can read.
func mustLiveLogged(tb testing.TB, data string) (*search.Live, *syncBuffer, *slog.Logger) {
	tb.Helper()
	live, err := search.OpenLive(data)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = live.Close() })
	logs := &syncBuffer{}
	return live, logs, slog.New(slog.NewTextHandler(logs, nil))
}

// mustServeConfig runs serve with cfg until the test ends and returns its
// base URL.
func mustServeConfig(tb testing.TB, cfg *Config, log *slog.Logger) string {
	tb.Helper()
	cfg.Addr = "127.0.0.1:0"
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ready := make(chan string, 1)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, log, io.Discard, ready) }()
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

// getJSON GETs base+target and decodes the answer into v; it returns the status.
func getJSON(tb testing.TB, target string, v any) int {
	tb.Helper()
	resp, err := http.Get(target)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			tb.Fatalf("GET %s: %v\n%s", target, err, body)
		}
	}
	return resp.StatusCode
}

type errorBody struct {
	Error struct{ Code, Message string } `json:"error"`
}

// withLimits sets the limits in force for one test.
func withLimits(t *testing.T, l Limits) {
	t.Helper()
	old := limits
	limits = l
	t.Cleanup(func() { limits = old })
}

// stallSite never answers until the test ends: a crawl of it stays running.
func stallSite(t *testing.T) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); site.Close() })
	return site
}

// TestLimitsWired: serve gives the one set of search limits to the web
// layer (pagination is checked there) and to the index (terms after
// expansion are counted there).
func TestLimitsWired(t *testing.T) {
	l := DefaultLimits
	l.Search.MaxPerPage = 5
	l.Search.MaxTerms = 4
	withLimits(t, l)
	data := t.TempDir()
	publishDocs(t, data, "a", 30)
	base := mustServeConfig(t, &Config{Data: data}, nil)
	var e errorBody
	if code := getJSON(t, base+"/api/v1/search?q=alpha&per_page=6", &e); code != 400 || e.Error.Code != "invalid_pagination" {
		t.Errorf("per_page=6 with MaxPerPage 5: %d %+v", code, e)
	}
	q := url.Values{"q": {"alpha program port control"}}.Encode()
	if code := getJSON(t, base+"/api/v1/search?"+q, &e); code != 400 || e.Error.Code != "too_many_clauses" {
		t.Errorf("4 words × 3 fields with MaxTerms 4: %d %+v", code, e)
	}
	if code := getJSON(t, base+"/api/v1/search?q=alpha&per_page=5", nil); code != 200 {
		t.Errorf("within the limits: %d", code)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"search", "--data", data, "--per-page", "5", "alpha", "program", "port", "control"}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "too many terms") {
		t.Errorf("the search command ignores the limits: exit %d, %s", code, errb.String())
	}
}

// TestDefaultsAreSafe loads the default configuration and checks the
// guardrails of RELIABILITY.md F6 and its suggested limits.
func TestDefaultsAreSafe(t *testing.T) {
	d := DefaultLimits
	for name, c := range map[string]struct{ got, want any }{
		"body after decompression": {d.Crawl.MaxBodyBytes, int64(5 << 20)},
		"header timeout":           {d.Crawl.HeaderTimeout, 10 * time.Second},
		"request timeout":          {d.Crawl.RequestTimeout, 30 * time.Second},
		"redirects":                {d.Crawl.MaxRedirects, 5},
		"pages":                    {d.Crawl.MaxPages, 10000},
		"depth":                    {d.Crawl.MaxDepth, 10},
		"robots.txt bytes":         {d.Crawl.MaxRobotsBytes, int64(500 << 10)},
		"Crawl-delay cap":          {d.Crawl.MaxCrawlDelay, 30 * time.Second},
		"Retry-After cap":          {d.Crawl.MaxRetryAfter, 24 * time.Hour},
		"query bytes":              {d.Search.MaxQueryBytes, 1024},
		"terms (clauses)":          {d.Search.MaxTerms, 1024},
		"per_page":                 {d.Search.MaxPerPage, 100},
		"result window":            {d.Search.MaxWindow, 10000},
		"facet buckets":            {d.Search.MaxFacetSize, 50},
		"search deadline":          {d.Search.Deadline, 2 * time.Second},
		"in flight (2×GOMAXPROCS)": {d.MaxInFlight, 0},
		"ReadHeaderTimeout":        {d.Server.ReadHeaderTimeout, 5 * time.Second},
		"ReadTimeout":              {d.Server.ReadTimeout, 10 * time.Second},
		"WriteTimeout":             {d.Server.WriteTimeout, 15 * time.Second},
		"IdleTimeout":              {d.Server.IdleTimeout, 60 * time.Second},
		"MaxHeaderBytes":           {d.Server.MaxHeaderBytes, 64 << 10},
		"admin body":               {d.Server.MaxBodyBytes, int64(64 << 10)},
		"free space factor":        {d.Space.Factor, 2},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}
	if d.Search != search.DefaultLimits || d.Server != web.DefaultServerLimits {
		t.Errorf("DefaultLimits differ from the packages' own defaults")
	}

	// Pinned minimums: x/net with the fixes of CVE-2024-45338, -2025-47911,
	// -2025-58190, -2026-25680; bleve with the escaping highlighter.
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			floor := map[string][2]int{"golang.org/x/net": {0, 55}, "github.com/blevesearch/bleve/v2": {2, 6}}[m.Path]
			if floor == [2]int{} {
				continue
			}
			var major, minor int
			if _, err := fmt.Sscanf(m.Version, "v%d.%d.", &major, &minor); err != nil || major < floor[0] || major == floor[0] && minor < floor[1] {
				t.Errorf("%s %s is below v%d.%d", m.Path, m.Version, floor[0], floor[1])
			}
		}
	}

	// The flags' defaults: robots obeyed (there is no switch), SSRF guard on.
	cfg := &Config{}
	if err := parseConfig(newFlagSet("crawl", cfg, "seed"), cfg, nil); err != nil {
		t.Fatal(err)
	}
	cc := crawl.New(crawlConfig(cfg), nil).Config()
	if cc.AllowPrivate || cc.MaxPages != 10000 || cc.MaxDepth != 10 || cc.Delay != time.Second || cc.MaxBodyBytes != 5<<20 {
		t.Errorf("default crawl config %+v", cc)
	}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[crawl.Config]()) {
		if f.Type.Kind() == reflect.Bool && f.Name != "AllowPrivate" {
			t.Errorf("crawl.Config.%s: a switch that could turn off robots.txt or the scope", f.Name)
		}
	}

	// No token: no admin route; no CORS; the data folder is not remote.
	data := t.TempDir()
	publishDocs(t, data, "a", 5)
	base := mustServeConfig(t, &Config{Data: data, Seeds: []string{"http://127.0.0.1:9/"}}, nil)
	resp, err := http.Post(base+"/api/v1/reindex", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("POST /api/v1/reindex without a token configured = %d, want 404", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/search?q=alpha", nil)
	req.Header.Set("Origin", "https://evil.example")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("CORS header %q", v)
	}
	if w := search.FilesystemWarning(data); w != "" {
		t.Logf("note: %s", w)
	}
}

// TestReindexRefusedOnFullDisk: with less free space than the rule asks,
// POST /api/v1/reindex answers 409 insufficient_disk with the numbers and
// search goes on (D4).
func TestReindexRefusedOnFullDisk(t *testing.T) {
	l := DefaultLimits
	l.Space.Free = func(string) (uint64, error) { return 3 << 20, nil }
	withLimits(t, l)
	data := t.TempDir()
	publishDocs(t, data, "a", 30)
	base := mustServeConfig(t, &Config{Data: data, Seeds: []string{"http://127.0.0.1:9/"}, AdminToken: "tok"}, nil)
	req, _ := http.NewRequest("POST", base+"/api/v1/reindex", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e errorBody
	_ = json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if resp.StatusCode != 409 || e.Error.Code != "insufficient_disk" || !strings.Contains(e.Error.Message, "3.0 MiB free") ||
		!strings.Contains(e.Error.Message, "16.0 MiB needed") || strings.Contains(e.Error.Message, data) {
		t.Errorf("POST /api/v1/reindex on a full disk = %d %+v", resp.StatusCode, e)
	}
	if code := getJSON(t, base+"/api/v1/search?q=alpha", nil); code != 200 {
		t.Errorf("search on a full disk = %d", code)
	}
}

// TestServeCorruptGeneration: a server over a damaged current generation
// serves the previous one and says so in /healthz and the status; with
// nothing servable, /healthz and search answer 503 (D7).
func TestServeCorruptGeneration(t *testing.T) {
	data := t.TempDir()
	a := publishDocs(t, data, "a", 30)
	b := publishDocs(t, data, "b", 30)
	st, _ := search.NewStore(data)
	if err := os.WriteFile(filepath.Join(st.IndexPath(b), "index_meta.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	base := mustServeConfig(t, &Config{Data: data}, slog.New(slog.NewTextHandler(&logs, nil)))
	var h struct{ Status, Message string }
	if code := getJSON(t, base+"/healthz", &h); code != 200 || h.Status != "degraded" || !strings.Contains(h.Message, b) {
		t.Errorf("/healthz = %d %+v, want 200 degraded naming %s", code, h, b)
	}
	var res struct {
		Total int
		Hits  []struct{ ID string }
	}
	if code := getJSON(t, base+"/api/v1/search?q=alpha", &res); code != 200 || res.Total != 30 || !strings.HasPrefix(res.Hits[0].ID, "a-") {
		t.Errorf("search on the fallback = %d %+v", code, res)
	}
	var s statusJSON
	getJSON(t, base+"/api/v1/status", &s)
	if s.Generation == nil || s.Generation.ID != a {
		t.Errorf("status generation %+v, want %s", s.Generation, a)
	}
	if !strings.Contains(logs.String(), "serving a fallback generation") {
		t.Errorf("no log line for the fallback:\n%s", logs.String())
	}

	// Nothing servable: 503 everywhere, the folder as it was.
	if err := os.WriteFile(filepath.Join(st.IndexPath(a), "index_meta.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	other := mustServeConfig(t, &Config{Data: data}, nil)
	var e errorBody
	if code := getJSON(t, other+"/healthz", &e); code != 503 || e.Error.Code != "index_unavailable" {
		t.Errorf("/healthz with nothing servable = %d %+v", code, e)
	}
	if code := getJSON(t, other+"/api/v1/search?q=alpha", &e); code != 503 || e.Error.Code != "index_unavailable" {
		t.Errorf("search with nothing servable = %d %+v", code, e)
	}
	for _, id := range []string{a, b} {
		if _, err := st.Info(id); err != nil {
			t.Errorf("generation %s touched: %v", id, err)
		}
	}
}

// TestJobOverlap: one job at a time. A second start and a scheduled tick
// while a job runs are refused (409 for the admin route), and the tick is
// logged as skipped (D9).
func TestJobOverlap(t *testing.T) {
	data := t.TempDir()
	publishDocs(t, data, "a", 5)
	site := stallSite(t)
	live, logs, log := mustLiveLogged(t, data)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := &Config{Data: data, Seeds: []string{site.URL + "/"}, Delay: time.Millisecond}
	r := &jobRunner{cfg: cfg, log: log, live: live, ctx: ctx}
	first, err := r.start()
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.Reindex(context.Background())
	if !errors.Is(err, web.ErrReindexRunning) || second != first {
		t.Errorf("second start = %q, %v; want %q and ErrReindexRunning", second, err, first)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.schedule(sctx, 20*time.Millisecond) }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "skipped: run in progress"); {
		if time.Now().After(deadline) {
			t.Fatalf("no skipped tick logged:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done
	cancel() // the running job ends
	r.wait()
	last, _ := r.snapshot()
	if last == nil || last.ID != first || last.State != "failed" {
		t.Errorf("last job %+v, want %s failed (cancelled)", last, first)
	}
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
