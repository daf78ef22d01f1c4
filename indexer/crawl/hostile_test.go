package crawl

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCrawlGzipLabelledPage: a gzip bomb served as a page without
// Content-Encoding (Content-Type: application/gzip, or unlabelled) is never
// decompressed: only sitemaps may be gzip files (A3; the sitemap route is
// TestCrawlSitemapBomb, the Content-Encoding route TestCrawlBodyLimits).
func TestCrawlGzipLabelledPage(t *testing.T) {
	t.Parallel()
	bomb := gzipBomb(t, 16)
	s := MustSite(t, map[string]http.HandlerFunc{
		"/": htmlPage("/bomb.gz", "/unlabelled"),
		"/bomb.gz": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(bomb)
		},
		"/unlabelled": func(w http.ResponseWriter, _ *http.Request) {
			w.Header()["Content-Type"] = nil // no sniffing by net/http either
			w.Write(bomb)
		},
	})
	rep, col := MustCrawl(t, fastConfig(), s.URL("/"))
	wantFailure(t, rep, s.URL("/bomb.gz"), ReasonUnsupportedType)
	wantFailure(t, rep, s.URL("/unlabelled"), ReasonUnsupportedType)
	if len(col.order) != 1 {
		t.Errorf("handed over %v, want only /", col.order)
	}
}

// stallListener accepts TCP connections and never speaks: a TLS handshake
// that never completes.
func stallListener(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// TestCrawlTLSHandshakeStall: a host whose TLS handshake never completes is
// given up at the header timeout (its robots.txt is unreachable: the host
// is disallowed for the run, pages kept), while a second host is crawled
// (A6 case 3). TestMain checks that no goroutine is left behind.
func TestCrawlTLSHandshakeStall(t *testing.T) {
	t.Parallel()
	stalled := "https://" + stallListener(t) + "/"
	healthy := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage("/x"), "/x": htmlPage()})
	cfg := fastConfig()
	cfg.HeaderTimeout = 200 * time.Millisecond
	cfg.RequestTimeout = time.Second
	rep, col := MustCrawl(t, cfg, stalled, healthy.URL("/"))
	host := strings.TrimSuffix(strings.TrimPrefix(stalled, "https://"), "/")
	hr := rep.Hosts[host]
	if hr == nil || hr.Skipped != ReasonRobotsUnavailable || hr.Robots != "unavailable" {
		t.Errorf("stalled host report %+v, want skipped %q", hr, ReasonRobotsUnavailable)
	}
	if f := wantFailure(t, rep, stalled, ReasonRobotsUnavailable); f.Gone() {
		t.Errorf("failure %+v: Gone() = true, want its pages kept", f)
	}
	if col.get(healthy.URL("/x")) == nil {
		t.Errorf("the healthy host was not crawled")
	}
}
