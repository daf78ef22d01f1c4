package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// hit is one request seen by a fake site.
type hit struct {
	path       string // path?query
	start, end time.Time
	header     http.Header
}

// site is a fake website on 127.0.0.1 that logs every request.
type site struct {
	srv    *httptest.Server
	mu     sync.Mutex
	hits   []hit
	routes map[string]http.HandlerFunc
}

// MustSite starts a fake site serving routes (keyed by path?query, path, or a "/dir/"
// prefix); unknown paths answer 404.
func MustSite(tb testing.TB, routes map[string]http.HandlerFunc) *site {
	tb.Helper()
	s := &site{routes: routes}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		key := r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		s.mu.Lock()
		h, ok := s.routes[key]
		if !ok {
			h, ok = s.routes[r.URL.Path]
		}
		for k, v := range s.routes { // "/dir/" serves everything below it
			if !ok && len(k) > 1 && strings.HasSuffix(k, "/") && strings.HasPrefix(r.URL.Path, k) {
				h, ok = v, true
			}
		}
		i := len(s.hits)
		s.hits = append(s.hits, hit{path: key, start: start, header: r.Header.Clone()})
		s.mu.Unlock()
		if ok {
			h(w, r)
		} else {
			http.NotFound(w, r)
		}
		s.mu.Lock()
		s.hits[i].end = time.Now()
		s.mu.Unlock()
	}))
	tb.Cleanup(s.srv.Close)
	return s
}

// setRoutes replaces the routes (for handlers that need the site's own URL).
func (s *site) setRoutes(routes map[string]http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes = routes
}

func (s *site) URL(p string) string { return s.srv.URL + p }

func (s *site) host() string {
	u, _ := url.Parse(s.srv.URL)
	return u.Host
}

// count is the number of requests for path (path?query).
func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits {
		if h.path == path {
			n++
		}
	}
	return n
}

func (s *site) log() []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]hit(nil), s.hits...)
}

// htmlPage serves a small HTML page linking to hrefs.
func htmlPage(hrefs ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><html><head><title>t</title></head><body>")
		for _, h := range hrefs {
			fmt.Fprintf(w, "<a href=%q>link</a>\n", h)
		}
		fmt.Fprint(w, "</body></html>")
	}
}

func text(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, body)
	}
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

func redirect(to string, code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", to)
		w.WriteHeader(code)
	}
}

// fastConfig is a config for tests: tiny delays and back-offs.
func fastConfig() Config {
	return Config{
		Delay:          2 * time.Millisecond,
		RetryBase:      5 * time.Millisecond,
		ThrottleBase:   5 * time.Millisecond,
		HeaderTimeout:  3 * time.Second,
		RequestTimeout: 5 * time.Second,
	}
}

// collector records the pages handed over and returns their links.
type collector struct {
	mu    sync.Mutex
	pages map[string]*Page
	order []string
}

func (c *collector) handle(_ context.Context, p *Page) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		c.pages = make(map[string]*Page)
	}
	c.pages[p.URL] = p
	c.order = append(c.order, p.URL)
	return Links(p.URL, p.Body)
}

func (c *collector) get(u string) *Page {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pages[u]
}

func (c *collector) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pages)
}

// MustCrawl runs a crawl that must end within 20 s and return no error.
func MustCrawl(tb testing.TB, cfg Config, seeds ...string) (*Report, *collector) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	col := &collector{}
	rep, err := New(cfg, nil).Crawl(ctx, seeds, col.handle)
	if err != nil {
		tb.Fatalf("Crawl(%v) error: %v", seeds, err)
	}
	return rep, col
}

// failure finds the failure reported for u.
func failure(rep *Report, u string) (Failure, bool) {
	for _, f := range rep.Failures {
		if f.URL == u {
			return f, true
		}
	}
	return Failure{}, false
}

func wantFailure(tb testing.TB, rep *Report, u, reason string) Failure {
	tb.Helper()
	f, ok := failure(rep, u)
	if !ok {
		tb.Fatalf("no failure for %s; failures: %+v", u, rep.Failures)
	}
	if f.Reason != reason {
		tb.Errorf("failure for %s: reason %q (err %v), want %q", u, f.Reason, f.Err, reason)
	}
	return f
}
