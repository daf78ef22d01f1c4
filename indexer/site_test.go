package indexer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/search"
)

// fakePage is one page of fakeSite. The zero status serves the page.
type fakePage struct {
	finance, police string // the text of its two sections
	status          int    // answer this status instead (404, 410, 500, 429…)
	retryAfter      string
	stall           bool   // never answer (until the client gives up)
	validator       string // "etag" (default), "lastmod" or "none"
	version         int    // bumped on each edit, part of the ETag
}

type request struct {
	path, ifNoneMatch, ifModifiedSince string
	at                                 time.Time
}

// fakeSite is a small site on 127.0.0.1 whose pages change between crawls.
type fakeSite struct {
	srv *httptest.Server

	mu           sync.Mutex
	pages        map[string]*fakePage // by path, "/" excluded
	robotsStatus int                  // 0: robotsBody, or no robots.txt (404)
	robotsBody   string
	reqs         []request
}

var lastMod = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// MustFakeSite serves n content pages /p01…/pNN, all linked from /.
func MustFakeSite(tb testing.TB, n int) *fakeSite {
	tb.Helper()
	s := &fakeSite{pages: map[string]*fakePage{}}
	for i := 1; i <= n; i++ {
		s.pages[pagePath(i)] = &fakePage{
			finance: fmt.Sprintf("Mentors in program %d help the financial intelligence unit trace money laundering through banks and exchange houses, and analysts learn to follow the proceeds of crime.", i),
			police:  fmt.Sprintf("Officers of unit %d receive instruction on investigations, border interdiction and case building, and the academy adopts the course in its own curriculum over time.", i),
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

func pagePath(i int) string { return fmt.Sprintf("/p%02d", i) }

func (s *fakeSite) url(path string) string { return s.srv.URL + path }

// set changes a page under the lock; a nil page is added.
func (s *fakeSite) set(path string, fn func(p *fakePage)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pages[path]
	if p == nil {
		p = &fakePage{}
		s.pages[path] = p
	}
	fn(p)
}

func (s *fakeSite) requests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]request(nil), s.reqs...)
}

func (s *fakeSite) resetLog() {
	s.mu.Lock()
	s.reqs = nil
	s.mu.Unlock()
}

func (s *fakeSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, request{path: r.URL.Path, ifNoneMatch: r.Header.Get("If-None-Match"),
		ifModifiedSince: r.Header.Get("If-Modified-Since"), at: time.Now()})
	if r.URL.Path == "/robots.txt" {
		st, body := s.robotsStatus, s.robotsBody
		s.mu.Unlock()
		switch {
		case st != 0:
			w.WriteHeader(st)
		case body != "":
			_, _ = io.WriteString(w, body)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
		return
	}
	var body, etag string
	var p fakePage
	if r.URL.Path == "/" {
		body, etag = s.homeLocked(), ""
		p.validator = "none"
	} else if pp, ok := s.pages[r.URL.Path]; ok {
		p = *pp
		body = pageHTML(r.URL.Path, p)
		etag = fmt.Sprintf(`"%s-v%d"`, strings.TrimPrefix(r.URL.Path, "/"), p.version)
	} else {
		p.status = http.StatusNotFound
	}
	s.mu.Unlock()

	switch {
	case p.stall:
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	case p.status != 0:
		if p.retryAfter != "" {
			w.Header().Set("Retry-After", p.retryAfter)
		}
		w.WriteHeader(p.status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	switch p.validator {
	case "", "etag":
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	case "lastmod":
		w.Header().Set("Last-Modified", lastMod.Add(time.Duration(p.version)*time.Hour).Format(http.TimeFormat))
		if t, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !lastMod.Add(time.Duration(p.version)*time.Hour).After(t) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	_, _ = io.WriteString(w, body)
}

func (s *fakeSite) homeLocked() string {
	paths := make([]string, 0, len(s.pages))
	for p := range s.pages {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><title>Programs</title></head><body><main><h1>Programs</h1><ul>`)
	for _, p := range paths {
		fmt.Fprintf(&b, `<li><a href="%s">Program %s</a></li>`, p, p)
	}
	b.WriteString(`</ul></main></body></html>`)
	return b.String()
}

func pageHTML(path string, p fakePage) string {
	return fmt.Sprintf(`<!doctype html><html lang="en"><head><title>Program %[1]s | Site</title></head><body>
<nav><a href="/">Home</a></nav>
<main><h1>Program %[1]s</h1>
<p>The bureau works with partners in the region on several lines of effort described in the sections below.</p>
<h2 id="finance">Financial crime</h2><p>%[2]s</p>
<p>Courses run every quarter and cover case building, asset tracing and cooperation with foreign counterparts.</p>
<h2 id="police">Police</h2><p>%[3]s</p>
<p>Trainers from several agencies teach the modules, and partners share the cost of the equipment.</p>
</main><footer>Footer</footer></body></html>`, path, p.finance, p.police)
}

// testCrawl is a crawl configuration with shrunken timeouts and back-offs.
func testCrawl() crawl.Config {
	return crawl.Config{
		Delay:          time.Millisecond,
		HeaderTimeout:  300 * time.Millisecond,
		RequestTimeout: 300 * time.Millisecond,
		MaxRetries:     1,
		RetryBase:      5 * time.Millisecond,
		ThrottleBase:   5 * time.Millisecond,
	}
}

// testClock hands out one distinct instant per job.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(24 * time.Hour)
	return c.t
}

// MustRun runs a job over site in dir and fails the test on error.
func MustRun(tb testing.TB, dir string, site *fakeSite, clock *testClock) *Summary {
	tb.Helper()
	sum, err := newTestJob(dir, site, clock, nil).Run(context.Background())
	if err != nil {
		tb.Fatalf("job: %v", err)
	}
	return sum
}

func newTestJob(dir string, site *fakeSite, clock *testClock, log *slog.Logger) *Job {
	j := &Job{DataDir: dir, Seeds: []string{site.url("/")}, Crawl: testCrawl(), Log: log}
	if clock != nil {
		j.Now = clock.now
	}
	return j
}

// generation is the content of a published generation.
type generation struct {
	id     string
	docs   map[string]search.Document // by id
	byPage map[string][]search.Document
}

// fingerprint is the count and the sorted ids and texts of a generation.
func (g generation) fingerprint() string {
	ids := make([]string, 0, len(g.docs))
	for id, d := range g.docs {
		ids = append(ids, id+"="+d.Text)
	}
	sort.Strings(ids)
	return fmt.Sprintf("%d:%s", len(ids), strings.Join(ids, "|"))
}

// MustCurrent reads every passage of the current generation of dir.
func MustCurrent(tb testing.TB, dir string) generation {
	tb.Helper()
	st, err := search.NewStore(dir)
	if err != nil {
		tb.Fatal(err)
	}
	cur, _, err := st.Pointer()
	if err != nil {
		tb.Fatalf("pointer: %v", err)
	}
	ix, err := search.Open(st.IndexPath(cur))
	if err != nil {
		tb.Fatalf("open generation %s: %v", cur, err)
	}
	defer ix.Close()
	g := generation{id: cur, docs: map[string]search.Document{}, byPage: map[string][]search.Document{}}
	for page := 1; ; page++ {
		res, err := ix.Search(context.Background(), search.Query{Page: page, PerPage: 100, NoFacets: true})
		if err != nil {
			tb.Fatalf("search generation %s: %v", cur, err)
		}
		for _, h := range res.Hits {
			d, err := ix.Get(context.Background(), h.ID)
			if err != nil {
				tb.Fatal(err)
			}
			g.docs[d.ID] = *d
			g.byPage[d.PageURL] = append(g.byPage[d.PageURL], *d)
		}
		if page*100 >= res.Total {
			break
		}
	}
	return g
}
