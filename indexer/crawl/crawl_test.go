package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCrawlScope(t *testing.T) {
	t.Parallel()
	other := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage("/secret")})
	s := MustSite(t, nil)
	s.setRoutes(map[string]http.HandlerFunc{
		"/": htmlPage("/a", "/b#frag", "/a?utm_source=x",
			other.URL("/"), "http://other.example/", "http://127.0.0.1:6379/", "http://[::1]/",
			"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
			"http://0x7f000001/", "http://2130706433/", "http://[fd00::1]/",
			"file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "ftp://x/", "mailto:a@b"),
		"/a": htmlPage("/", "/b"),
		"/b": htmlPage(s.URL("/a#again")),
	})
	col := &collector{}
	handle := func(ctx context.Context, p *Page) []string {
		links := col.handle(ctx, p) // Links already drops the other schemes; hand them over anyway
		if p.URL == s.URL("/") {
			links = append(links, "file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "ftp://x/", "mailto:a@b", "gopher://x/")
		}
		return links
	}
	rep, err := New(fastConfig(), nil).Crawl(context.Background(), []string{s.URL("/")}, handle)
	if err != nil {
		t.Fatalf("Crawl error: %v", err)
	}
	if rep.Fetched != 3 || col.len() != 3 {
		t.Errorf("Fetched = %d (handled %d), want 3", rep.Fetched, col.len())
	}
	for _, p := range []string{"/", "/a", "/b"} {
		if n := s.count(p); n != 1 {
			t.Errorf("%s requested %d times, want 1", p, n)
		}
	}
	if n := len(other.log()); n != 0 {
		t.Errorf("out-of-scope site got %d requests, want 0", n)
	}
	// The other site, the named host, the 7 addresses and the 6 other schemes.
	if rep.OutOfScope != 15 {
		t.Errorf("OutOfScope = %d, want 15", rep.OutOfScope)
	}
	if p := col.get(s.URL("/")); p == nil || p.Depth != 0 || p.Status != 200 || p.ContentType != "text/html" {
		t.Errorf("seed page = %+v, want depth 0, status 200, text/html", p)
	}
	if p := col.get(s.URL("/b")); p == nil || p.Depth != 1 {
		t.Errorf("page /b = %+v, want depth 1", p)
	}
	if hr := rep.Hosts[s.host()]; hr == nil || hr.Fetched != 3 || hr.Robots != "missing" {
		t.Errorf("host report = %+v, want 3 fetched, robots missing", hr)
	}
}

func TestCrawlNoSeeds(t *testing.T) {
	t.Parallel()
	rep, err := New(fastConfig(), nil).Crawl(context.Background(), []string{"ftp://x/", "not a url"}, (&collector{}).handle)
	if !errors.Is(err, ErrNoSeeds) {
		t.Fatalf("Crawl error = %v, want ErrNoSeeds", err)
	}
	if rep == nil || len(rep.Failures) != 2 || rep.Failures[0].Reason != ReasonInvalidURL {
		t.Errorf("report = %+v, want two invalid_url failures", rep)
	}
}

func TestCrawlUserAgent(t *testing.T) {
	t.Parallel()
	s := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage()})
	MustCrawl(t, fastConfig(), s.URL("/"))
	log := s.log()
	if len(log) == 0 {
		t.Fatal("no request")
	}
	for _, h := range log {
		if ua := h.header.Get("User-Agent"); !strings.HasPrefix(ua, "inlsearch/"+Version) {
			t.Errorf("%s: User-Agent %q, want inlsearch/%s", h.path, ua, Version)
		}
	}
}

func TestCrawlRobots(t *testing.T) {
	t.Parallel()
	s := MustSite(t, map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: *\nDisallow: /private\nAllow: /private/ok\nDisallow: /all-bots\n\n" +
			"User-agent: inlsearch\nDisallow: /private\nAllow: /private/ok\nDisallow: /not-for-inlsearch\n"),
		"/":          htmlPage("/private/x", "/private/ok", "/privateer", "/not-for-inlsearch", "/all-bots", "/public"),
		"/private/x": htmlPage(), "/private/ok": htmlPage(), "/privateer": htmlPage(),
		"/not-for-inlsearch": htmlPage(), "/all-bots": htmlPage(), "/public": htmlPage(),
	})
	rep, _ := MustCrawl(t, fastConfig(), s.URL("/"))
	for _, p := range []string{"/private/x", "/privateer", "/not-for-inlsearch"} {
		if n := s.count(p); n != 0 {
			t.Errorf("disallowed %s requested %d times", p, n)
		}
		wantFailure(t, rep, s.URL(p), ReasonRobotsDisallowed)
	}
	// Our own group applies, not "*": /all-bots is allowed for inlsearch.
	for _, p := range []string{"/private/ok", "/all-bots", "/public"} {
		if n := s.count(p); n != 1 {
			t.Errorf("allowed %s requested %d times, want 1", p, n)
		}
	}
	if rep.RobotsSkipped != 3 || rep.Failed != 0 {
		t.Errorf("RobotsSkipped = %d, Failed = %d; want 3, 0", rep.RobotsSkipped, rep.Failed)
	}
	if f, _ := failure(rep, s.URL("/privateer")); !f.Gone() {
		t.Errorf("robots failure %+v: Gone() = false, want true", f)
	}
	if n := s.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
}

// TestCrawlRobotsUserAgent: the configured User-Agent's product token picks
// the robots.txt group (whole token, not prefix); the rules see the query as
// linked, not re-sorted; a space before the colon does not lose the file.
func TestCrawlRobotsUserAgent(t *testing.T) {
	t.Parallel()
	s := MustSite(t, map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: research-bot\nDisallow : /no-research\nDisallow: /list?b=2\n\n" +
			"User-agent: research\nDisallow: /\n\nUser-agent: *\nDisallow: /no-anyone\n"),
		"/":            htmlPage("/no-research", "/no-anyone", "/list?b=2&a=1", "/list?a=1"),
		"/no-research": htmlPage(), "/no-anyone": htmlPage(), "/list": htmlPage(),
	})
	cfg := fastConfig()
	cfg.UserAgent = "Research-Bot/2.0 (+https://example.org/bot)"
	rep, col := MustCrawl(t, cfg, s.URL("/"))
	if n := s.count("/no-research"); n != 0 {
		t.Errorf("/no-research disallowed for research-bot, requested %d times", n)
	}
	if n := s.count("/no-anyone"); n != 1 {
		t.Errorf("/no-anyone: the * group must not apply to research-bot, requested %d times", n)
	}
	if col.get(s.URL("/list?a=1&b=2")) != nil {
		t.Errorf("/list?b=2&a=1 is disallowed as linked (query not re-sorted) but was fetched")
	}
	if col.get(s.URL("/list?a=1")) == nil {
		t.Errorf("/list?a=1 is allowed but was not fetched")
	}
	for _, h := range s.log() {
		if ua := h.header.Get("User-Agent"); ua != cfg.UserAgent {
			t.Errorf("%s: User-Agent sent = %q, want %q", h.path, ua, cfg.UserAgent)
		}
	}
	wantFailure(t, rep, s.URL("/no-research"), ReasonRobotsDisallowed)
}

func TestCrawlRobotsStatus(t *testing.T) {
	t.Parallel()
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	huge := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: *\nDisallow: /early\n")
		for range 600 {
			fmt.Fprintf(w, "# %s\n", strings.Repeat("x", 1020))
		}
		fmt.Fprint(w, "Disallow: /late\n")
	}
	tests := []struct {
		name        string
		robots      map[string]http.HandlerFunc
		wantFetched []string
		wantSkipped string
		wantRobots  string
	}{
		{"404 allows all", map[string]http.HandlerFunc{"/robots.txt": status(404)}, []string{"/", "/early", "/late"}, "", "missing"},
		{"403 allows all", map[string]http.HandlerFunc{"/robots.txt": status(403)}, []string{"/", "/early", "/late"}, "", "missing"},
		{"503 disallows all", map[string]http.HandlerFunc{"/robots.txt": status(503)}, nil, ReasonRobotsUnavailable, "unavailable"},
		{"429 disallows all", map[string]http.HandlerFunc{"/robots.txt": status(429)}, nil, ReasonRobotsUnavailable, "unavailable"},
		{"timeout disallows all", map[string]http.HandlerFunc{"/robots.txt": hang}, nil, ReasonRobotsUnavailable, "unavailable"},
		{"redirected twice", map[string]http.HandlerFunc{
			"/robots.txt": redirect("/r1", 301), "/r1": redirect("/r2.txt", 302),
			"/r2.txt": text("User-agent: *\nDisallow: /early\n"),
		}, []string{"/", "/late"}, "", "ok"},
		{"too many redirects allows all", map[string]http.HandlerFunc{
			"/robots.txt": redirect("/r1", 302), "/r1": redirect("/r2", 302), "/r2": redirect("/r3", 302),
			"/r3": redirect("/r4", 302), "/r4": redirect("/r5", 302), "/r5": redirect("/r6", 302),
			"/r6": text("User-agent: *\nDisallow: /\n"),
		}, []string{"/", "/early", "/late"}, "", "redirect_limit"},
		{"redirect out of scope", map[string]http.HandlerFunc{"/robots.txt": redirect("http://elsewhere.example/robots.txt", 301)},
			nil, ReasonRobotsUnavailable, "unavailable"},
		{"truncated at the cap", map[string]http.HandlerFunc{"/robots.txt": huge}, []string{"/", "/late"}, "", "ok"},
		{"unparseable lines ignored", map[string]http.HandlerFunc{
			"/robots.txt": text("Disallow: /late\nUser-agent: *\nCrawl-delay: soon\nDisallow: /early\n"),
		}, []string{"/", "/late"}, "", "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			routes := map[string]http.HandlerFunc{"/": htmlPage("/early", "/late"), "/early": htmlPage(), "/late": htmlPage()}
			for k, v := range tt.robots {
				routes[k] = v
			}
			s := MustSite(t, routes)
			cfg := fastConfig()
			cfg.HeaderTimeout = 100 * time.Millisecond
			rep, _ := MustCrawl(t, cfg, s.URL("/"))
			var got []string
			for _, p := range []string{"/", "/early", "/late"} {
				if s.count(p) > 0 {
					got = append(got, p)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.wantFetched) {
				t.Errorf("requested %v, want %v", got, tt.wantFetched)
			}
			hr := rep.Hosts[s.host()]
			if hr.Skipped != tt.wantSkipped || hr.Robots != tt.wantRobots {
				t.Errorf("host Skipped = %q, Robots = %q; want %q, %q", hr.Skipped, hr.Robots, tt.wantSkipped, tt.wantRobots)
			}
			if tt.wantSkipped != "" {
				f := wantFailure(t, rep, s.URL("/"), tt.wantSkipped)
				if f.Gone() {
					t.Errorf("failure %+v: Gone() = true, want false (pages are kept)", f)
				}
			}
		})
	}
}

func TestCrawlDelay(t *testing.T) {
	t.Parallel()
	t.Run("honoured", func(t *testing.T) {
		t.Parallel()
		s := MustSite(t, map[string]http.HandlerFunc{
			"/robots.txt": text("User-agent: *\nCrawl-delay: 0.25\n"),
			"/":           htmlPage("/a"), "/a": htmlPage(),
		})
		rep, _ := MustCrawl(t, fastConfig(), s.URL("/"))
		assertGaps(t, s.log(), 250*time.Millisecond)
		if hr := rep.Hosts[s.host()]; hr.CrawlDelay != 250*time.Millisecond || hr.Delay != 250*time.Millisecond {
			t.Errorf("host CrawlDelay = %v, Delay = %v; want 250ms", hr.CrawlDelay, hr.Delay)
		}
	})
	t.Run("above max skips host", func(t *testing.T) {
		t.Parallel()
		s := MustSite(t, map[string]http.HandlerFunc{
			"/robots.txt": text("User-agent: *\nCrawl-delay: 3600\n"),
			"/":           htmlPage(),
		})
		rep, _ := MustCrawl(t, fastConfig(), s.URL("/"))
		if n := s.count("/"); n != 0 {
			t.Errorf("/ requested %d times, want 0", n)
		}
		if hr := rep.Hosts[s.host()]; hr.Skipped != ReasonCrawlDelayExceedsMax {
			t.Errorf("host Skipped = %q, want %q", hr.Skipped, ReasonCrawlDelayExceedsMax)
		}
		wantFailure(t, rep, s.URL("/"), ReasonCrawlDelayExceedsMax)
	})
}

// assertGaps checks that each request started at least gap after the previous one ended.
func assertGaps(tb testing.TB, log []hit, gap time.Duration) {
	tb.Helper()
	if len(log) < 3 {
		tb.Fatalf("only %d requests logged", len(log))
	}
	for i := 1; i < len(log); i++ {
		if d := log[i].start.Sub(log[i-1].end); d < gap {
			tb.Errorf("request %d (%s) started %v after %s ended, want >= %v", i, log[i].path, d, log[i-1].path, gap)
		}
	}
}

func TestCrawlPoliteness(t *testing.T) {
	t.Parallel()
	var inFlight, maxInFlight atomic.Int32
	slow := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			if n > maxInFlight.Load() {
				maxInFlight.Store(n)
			}
			next(w, r)
		}
	}
	s := MustSite(t, map[string]http.HandlerFunc{
		"/":  slow(htmlPage("/a", "/b")),
		"/a": slow(htmlPage()), "/b": slow(htmlPage()),
	})
	other := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage("/c"), "/c": htmlPage()})
	cfg := fastConfig()
	cfg.Delay = 200 * time.Millisecond
	MustCrawl(t, cfg, s.URL("/"), other.URL("/"))
	assertGaps(t, s.log(), cfg.Delay)
	assertGaps(t, other.log(), cfg.Delay)
	if m := maxInFlight.Load(); m != 1 {
		t.Errorf("%d requests in flight at once on one host, want 1", m)
	}
	// Hosts run in parallel: the second host started before the first one finished.
	a, b := s.log(), other.log()
	if !b[0].start.Before(a[len(a)-1].start) || !a[0].start.Before(b[len(b)-1].start) {
		t.Errorf("hosts crawled one after the other, want them in parallel")
	}
}

func TestCrawlPanicInHandle(t *testing.T) {
	t.Parallel()
	s := MustSite(t, map[string]http.HandlerFunc{
		"/": htmlPage("/boom", "/fine"), "/boom": htmlPage(), "/fine": htmlPage(),
	})
	col := &collector{}
	handle := func(ctx context.Context, p *Page) []string {
		if strings.HasSuffix(p.URL, "/boom") {
			panic("extractor bug")
		}
		return col.handle(ctx, p)
	}
	rep, err := New(fastConfig(), nil).Crawl(context.Background(), []string{s.URL("/")}, handle)
	if err != nil {
		t.Fatalf("Crawl error: %v", err)
	}
	wantFailure(t, rep, s.URL("/boom"), ReasonPanic)
	if col.get(s.URL("/fine")) == nil {
		t.Errorf("/fine not handled after the panic")
	}
	if rep.Fetched != 2 || rep.Failed != 1 {
		t.Errorf("Fetched = %d, Failed = %d; want 2, 1", rep.Fetched, rep.Failed)
	}
}

func TestCrawlCancel(t *testing.T) {
	t.Parallel()
	s := MustSite(t, map[string]http.HandlerFunc{
		"/": htmlPage("/slow"),
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	col := &collector{}
	handle := func(ctx context.Context, p *Page) []string {
		links := col.handle(ctx, p)
		time.AfterFunc(50*time.Millisecond, cancel)
		return links
	}
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		_, err = New(fastConfig(), nil).Crawl(ctx, []string{s.URL("/")}, handle)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Crawl did not return after cancellation")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Crawl error = %v, want context.Canceled", err)
	}
}

func TestCrawlConditionalGET(t *testing.T) {
	t.Parallel()
	s := MustSite(t, nil)
	s.setRoutes(map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			htmlPage("/new")(w, r)
		},
		"/old": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-Modified-Since") == "Mon, 02 Jan 2006 15:04:05 GMT" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			htmlPage()(w, r)
		},
		"/new": htmlPage(),
	})
	cfg := fastConfig()
	cfg.Prior = func(u string) (string, string, bool) {
		switch u {
		case s.URL("/"):
			return `"v1"`, "", true
		case s.URL("/old"):
			return "", "Mon, 02 Jan 2006 15:04:05 GMT", true
		}
		return "", "", false
	}
	col := &collector{}
	handle := func(ctx context.Context, p *Page) []string {
		col.handle(ctx, p)
		if p.NotModified && p.URL == s.URL("/") {
			return []string{s.URL("/old")} // the links stored from the last crawl
		}
		return nil
	}
	rep, err := New(cfg, nil).Crawl(context.Background(), []string{s.URL("/")}, handle)
	if err != nil {
		t.Fatalf("Crawl error: %v", err)
	}
	for _, u := range []string{s.URL("/"), s.URL("/old")} {
		p := col.get(u)
		if p == nil || !p.NotModified || p.Status != http.StatusNotModified || len(p.Body) != 0 {
			t.Errorf("page %s = %+v, want NotModified with an empty body", u, p)
		}
	}
	if rep.NotModified != 2 || rep.Fetched != 0 || s.count("/new") != 0 {
		t.Errorf("NotModified = %d, Fetched = %d, /new requested %d; want 2, 0, 0", rep.NotModified, rep.Fetched, s.count("/new"))
	}
}

// TestCrawlProgress: the progress callback sees every finished URL, the last
// call with nothing queued.
func TestCrawlProgress(t *testing.T) {
	t.Parallel()
	s := MustSite(t, map[string]http.HandlerFunc{
		"/":  htmlPage("/a", "/b", "/missing"),
		"/a": htmlPage(), "/b": htmlPage(),
	})
	var mu sync.Mutex
	var seen []Progress
	cfg := fastConfig()
	cfg.Progress = func(p Progress) { mu.Lock(); seen = append(seen, p); mu.Unlock() }
	MustCrawl(t, cfg, s.URL("/"))
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("no progress reported")
	}
	last := seen[len(seen)-1]
	if last.Queued != 0 || last.Done != len(seen) || last.Fetched != 3 || last.Failed != 1 || last.Host != s.host() {
		t.Errorf("last progress = %+v after %d calls; want nothing queued, every call counted, 3 fetched, 1 failed (the 404)", last, len(seen))
	}
}
