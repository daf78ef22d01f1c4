package crawl

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// gzipBomb is a gzip stream of n MiB of zeros: one compressed MiB repeated as gzip
// members (a multi-member stream decompresses to their concatenation), about 1 KiB each.
func gzipBomb(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, 1<<20)); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return bytes.Repeat(buf.Bytes(), n)
}

func TestCrawlBodyLimits(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	bomb := gzipBomb(t, 1024) // 1 GiB of zeros in about 1 MiB
	s := MustSite(t, map[string]http.HandlerFunc{
		"/": htmlPage("/bomb", "/big", "/endless", "/huge-length", "/binary", "/pdf", "/gzip-ok", "/brotli"),
		"/bomb": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		},
		"/big": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><p>")
			w.Write(bytes.Repeat([]byte("é"), limit)) // 2×limit bytes
		},
		"/endless": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			chunk := bytes.Repeat([]byte("<p>more</p>"), 1000)
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
		"/huge-length": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", "10737418240")
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, "<html>")
		},
		"/binary": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d})
		},
		"/pdf": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			fmt.Fprint(w, "%PDF-1.4")
		},
		"/gzip-ok": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			fmt.Fprint(zw, "<html><body>compressed fine</body></html>")
			zw.Close()
		},
		"/brotli": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "br")
			fmt.Fprint(w, "xx")
		},
	})
	cfg := fastConfig()
	cfg.MaxBodyBytes = limit
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	rep, col := MustCrawl(t, cfg, s.URL("/"))

	wantFailure(t, rep, s.URL("/bomb"), ReasonDecompressedTooLarge)
	wantFailure(t, rep, s.URL("/huge-length"), ReasonContentTooLarge)
	wantFailure(t, rep, s.URL("/binary"), ReasonUnsupportedType)
	if pg := col.get(s.URL("/pdf")); pg == nil || pg.ContentType != PDFType {
		t.Errorf("/pdf = %+v, want handed over as a PDF", pg)
	}
	wantFailure(t, rep, s.URL("/brotli"), ReasonUnsupportedEncoding)
	for _, p := range []string{"/big", "/endless"} {
		pg := col.get(s.URL(p))
		if pg == nil {
			t.Errorf("%s not handed over", p)
			continue
		}
		if !pg.Truncated || len(pg.Body) > limit+3 || !utf8Valid(pg.Body) {
			t.Errorf("%s: Truncated = %v, %d bytes, valid UTF-8 %v; want truncated at %d, valid", p, pg.Truncated, len(pg.Body), utf8Valid(pg.Body), limit)
		}
	}
	if pg := col.get(s.URL("/gzip-ok")); pg == nil || !strings.Contains(string(pg.Body), "compressed fine") {
		t.Errorf("/gzip-ok = %+v, want its decompressed body", pg)
	}
	if got := s.log()[0].header.Get("Accept-Encoding"); got != "gzip" {
		t.Errorf("Accept-Encoding = %q, want gzip", got)
	}
	if rep.Truncated != 2 {
		t.Errorf("Truncated = %d, want 2", rep.Truncated)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 64<<20 {
		t.Errorf("heap grew by %d MiB, want < 64 MiB", grown>>20)
	}
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "") == string(b) }

func TestCrawlRedirects(t *testing.T) {
	t.Parallel()
	other := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage()})
	second := MustSite(t, map[string]http.HandlerFunc{"/landing": htmlPage()})
	routes := map[string]http.HandlerFunc{
		"/": htmlPage("/moved", "/chain0", "/loop-a", "/offsite", "/to-private", "/to-file", "/to-second",
			"/to-seen", "/nolocation", "/to-disallowed"),
		"/robots.txt":    text("User-agent: *\nDisallow: /hidden\n"),
		"/moved":         redirect("/final?b=2&a=1", http.StatusMovedPermanently),
		"/final":         htmlPage(),
		"/loop-a":        redirect("/loop-b", http.StatusFound),
		"/loop-b":        redirect("/loop-a", http.StatusFound),
		"/offsite":       redirect(other.URL("/"), http.StatusFound),
		"/to-private":    redirect("http://127.0.0.1:9/", http.StatusFound),
		"/to-file":       redirect("file:///etc/passwd", http.StatusFound),
		"/to-second":     redirect(second.URL("/landing"), http.StatusFound),
		"/to-seen":       redirect("/final?a=1&b=2", http.StatusTemporaryRedirect),
		"/nolocation":    status(http.StatusFound),
		"/to-disallowed": redirect("/hidden", http.StatusFound),
		"/hidden":        htmlPage(),
	}
	for i := range 12 {
		routes["/chain"+strconv.Itoa(i)] = redirect("/chain"+strconv.Itoa(i+1), http.StatusFound)
	}
	s := MustSite(t, routes)
	rep, col := MustCrawl(t, fastConfig(), s.URL("/"), second.URL("/"))

	if p := col.get(s.URL("/final?a=1&b=2")); p == nil || p.Status != 200 || p.Requested == p.URL {
		t.Errorf("redirect target page = %+v, want a 200 reached from /moved or /to-seen", p)
	}
	if n := s.count("/final?b=2&a=1") + s.count("/final?a=1&b=2"); n != 1 {
		t.Errorf("/final requested %d times, want 1", n)
	}
	for _, p := range col.order {
		if pg := col.get(p); pg.Status != 200 {
			t.Errorf("handed %s with status %d; only 200 may be handed over", p, pg.Status)
		}
	}
	wantFailure(t, rep, s.URL("/chain0"), ReasonTooManyRedirects)
	if n := s.count("/chain6"); n != 0 {
		t.Errorf("hop 6 (/chain6) requested %d times, want 0", n)
	}
	if n := s.count("/chain5"); n != 1 {
		t.Errorf("/chain5 requested %d times, want 1 (5 redirects followed)", n)
	}
	wantFailure(t, rep, s.URL("/loop-a"), ReasonRedirectLoop)
	wantFailure(t, rep, s.URL("/offsite"), ReasonRedirectBlocked)
	wantFailure(t, rep, s.URL("/to-private"), ReasonRedirectBlocked)
	wantFailure(t, rep, s.URL("/to-file"), ReasonRedirectBlocked)
	wantFailure(t, rep, s.URL("/nolocation"), reasonRedirectWithoutTarget)
	wantFailure(t, rep, s.URL("/to-disallowed"), ReasonRobotsDisallowed)
	if len(other.log()) != 0 || s.count("/hidden") != 0 {
		t.Errorf("blocked redirect targets were requested")
	}
	// A redirect to another in-scope host is fetched by that host's worker.
	if p := col.get(second.URL("/landing")); p == nil {
		t.Errorf("in-scope redirect target on the second host not fetched")
	}
	if rep.Redirected != 1 {
		t.Errorf("Redirected = %d, want 1", rep.Redirected)
	}
}

func TestCrawlStatusAndRetries(t *testing.T) {
	t.Parallel()
	var flaky atomic.Int32
	s := MustSite(t, map[string]http.HandlerFunc{
		"/":          htmlPage("/missing", "/gone", "/down", "/flaky", "/forbidden", "/nocontent"),
		"/gone":      status(http.StatusGone),
		"/down":      status(http.StatusServiceUnavailable),
		"/forbidden": status(http.StatusForbidden),
		"/nocontent": status(http.StatusNoContent),
		"/flaky": func(w http.ResponseWriter, r *http.Request) {
			if flaky.Add(1) < 3 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			htmlPage()(w, r)
		},
	})
	rep, col := MustCrawl(t, fastConfig(), s.URL("/"))
	f := wantFailure(t, rep, s.URL("/missing"), ReasonNotFound)
	if f.Status != 404 || !f.Gone() {
		t.Errorf("404 failure %+v: want Status 404 and Gone()", f)
	}
	if f := wantFailure(t, rep, s.URL("/gone"), ReasonGone); !f.Gone() {
		t.Errorf("410 failure %+v: want Gone()", f)
	}
	f = wantFailure(t, rep, s.URL("/down"), "http_503")
	if f.Status != 503 || f.Gone() {
		t.Errorf("503 failure %+v: want Status 503, not Gone()", f)
	}
	if n := s.count("/down"); n != 3 {
		t.Errorf("/down requested %d times, want 3 (1 + MaxRetries)", n)
	}
	if n := s.count("/missing"); n != 1 {
		t.Errorf("/missing requested %d times, want 1 (no retry for 404)", n)
	}
	wantFailure(t, rep, s.URL("/forbidden"), "http_403")
	wantFailure(t, rep, s.URL("/nocontent"), "http_204")
	if col.get(s.URL("/flaky")) == nil {
		t.Errorf("/flaky not fetched after two 502s")
	}
}

func TestCrawlRetryAfter(t *testing.T) {
	t.Parallel()
	t.Run("seconds", func(t *testing.T) {
		t.Parallel()
		var n atomic.Int32
		s := MustSite(t, map[string]http.HandlerFunc{
			"/": htmlPage("/after"),
			"/after": func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				htmlPage()(w, r)
			},
		})
		_, col := MustCrawl(t, fastConfig(), s.URL("/"))
		if col.get(s.URL("/after")) == nil {
			t.Fatal("/after not fetched on retry")
		}
		var first, second hit
		for _, h := range s.log() {
			if h.path == "/after" {
				if first.path == "" {
					first = h
				} else {
					second = h
				}
			}
		}
		if d := second.start.Sub(first.end); d < time.Second {
			t.Errorf("retry came %v after the 429, want >= Retry-After 1s", d)
		}
	})
	t.Run("above cap skips host", func(t *testing.T) {
		t.Parallel()
		s := MustSite(t, map[string]http.HandlerFunc{
			"/": htmlPage("/a", "/b"),
			"/a": func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", "999999")
				w.WriteHeader(http.StatusServiceUnavailable)
			},
			"/b": htmlPage(),
		})
		rep, _ := MustCrawl(t, fastConfig(), s.URL("/"))
		wantFailure(t, rep, s.URL("/a"), ReasonRetryAfterExceedsCap)
		wantFailure(t, rep, s.URL("/b"), ReasonRetryAfterExceedsCap)
		if s.count("/a") != 1 || s.count("/b") != 0 {
			t.Errorf("/a requested %d, /b %d times; want 1, 0", s.count("/a"), s.count("/b"))
		}
		if hr := rep.Hosts[s.host()]; hr.Skipped != ReasonRetryAfterExceedsCap {
			t.Errorf("host Skipped = %q, want %q", hr.Skipped, ReasonRetryAfterExceedsCap)
		}
	})
}

func TestCrawlTimeouts(t *testing.T) {
	t.Parallel()
	stall := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	trickle := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for {
			if _, err := w.Write([]byte("<p>")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	s := MustSite(t, map[string]http.HandlerFunc{
		"/": htmlPage("/stall", "/trickle"), "/stall": stall, "/trickle": trickle,
	})
	healthy := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage("/x"), "/x": htmlPage()})
	cfg := fastConfig()
	cfg.HeaderTimeout = 50 * time.Millisecond
	cfg.RequestTimeout = 300 * time.Millisecond
	cfg.MaxRetries = 1
	rep, col := MustCrawl(t, cfg, s.URL("/"), healthy.URL("/"))
	for _, p := range []string{"/stall", "/trickle"} {
		if f := wantFailure(t, rep, s.URL(p), ReasonTimeout); f.Gone() {
			t.Errorf("timeout %+v: Gone() = true, want false", f)
		}
		if n := s.count(p); n != 2 {
			t.Errorf("%s requested %d times, want 2 (1 + MaxRetries)", p, n)
		}
	}
	if col.get(healthy.URL("/x")) == nil {
		t.Errorf("the healthy host was not crawled")
	}
}

func TestCrawlTooManyFailuresSkipsHost(t *testing.T) {
	t.Parallel()
	routes := map[string]http.HandlerFunc{}
	var links []string
	for i := range 10 {
		p := "/p" + strconv.Itoa(i)
		links = append(links, p)
		routes[p] = status(http.StatusInternalServerError)
	}
	routes["/"] = htmlPage(links...)
	s := MustSite(t, routes)
	cfg := fastConfig()
	cfg.MaxRetries = -1
	cfg.MaxConsecutiveFailures = 3
	rep, _ := MustCrawl(t, cfg, s.URL("/"))
	if hr := rep.Hosts[s.host()]; hr.Skipped != ReasonTooManyFailures {
		t.Errorf("host Skipped = %q, want %q", hr.Skipped, ReasonTooManyFailures)
	}
	wantFailure(t, rep, s.URL("/p9"), ReasonTooManyFailures)
	if n := s.count("/p3"); n != 0 {
		t.Errorf("/p3 requested %d times after 3 failures in a row, want 0", n)
	}
}
