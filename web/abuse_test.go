package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// rawRequest sends req as it is on a new connection and returns the status
// line's code (0 when the server closed the connection without answering).
func rawRequest(tb testing.TB, addr, req string) int {
	tb.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestFacetHeaderRouteAbuse: C7 against the real server.
func TestFacetHeaderRouteAbuse(t *testing.T) {
	t.Parallel()
	base := MustServe(t, MustServer(t, Config{}, nil, nil, nil))
	addr := strings.TrimPrefix(base, "http://")
	get := func(target string, header http.Header) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("GET", base+target, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %.60s: %v", target, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	wantCode := func(target string, header http.Header, status int, code string) {
		t.Helper()
		resp, body := get(target, header)
		if resp.StatusCode != status {
			t.Errorf("GET %.60s = %d, want %d\n%.300s", target, resp.StatusCode, status, body)
			return
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("GET %.60s echoes markup: %.300s", target, body)
		}
		if code == "" {
			return
		}
		var e apiError
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != code {
			t.Errorf("GET %.60s error = %.200s, want code %q", target, body, code)
		}
	}

	// There is no facet-choosing parameter: the six facets are always
	// counted, with a fixed cost; unknown parameters are ignored.
	_, plain := get("/api/v1/search?q=container", nil)
	resp, odd := get("/api/v1/search?q=container&facet=nonexistent&facet=%3Cscript%3E", nil)
	if resp.StatusCode != 200 || odd != plain {
		t.Errorf("facet=nonexistent changed the answer: %d\n%s\nvs\n%s", resp.StatusCode, odd, plain)
	}
	wantCode("/api/v1/search?q=x&facet_size=1000000", nil, 400, "invalid_parameter")
	wantCode("/api/v1/search?q=x&facet_size=50", nil, 200, "")
	wantCode("/api/v1/search?q=x"+strings.Repeat("&country=%3Cimg+src=x%3E", 100), nil, 400, "invalid_filter")
	wantCode("/api/v1/search?q=x&unknown_facet=1", nil, 200, "")

	// A 10 KiB query string: 414 before any parsing; the HTML page too.
	long := "/api/v1/search?q=" + strings.Repeat("a", 10<<10)
	wantCode(long, nil, 414, "uri_too_long")
	wantCode("/search?q="+strings.Repeat("%3Cscript%3Ealert(1)%3C/script%3E", 400), nil, 414, "")
	wantCode("/api/v1/search?q="+strings.Repeat("b", 7<<10), nil, 400, "invalid_query") // under the cap: q's own limit

	// 200 small headers are fine; 80 KiB of headers get 431 from the server.
	many := http.Header{}
	for i := range 200 {
		many.Set(fmt.Sprintf("X-Junk-%d", i), "v")
	}
	wantCode("/api/v1/search?q=x", many, 200, "")
	var hdr strings.Builder
	for i := range 200 {
		fmt.Fprintf(&hdr, "X-Big-%d: %s\r\n", i, strings.Repeat("h", 400))
	}
	if code := rawRequest(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n"+hdr.String()+"\r\n"); code != 431 {
		t.Errorf("80 KiB of headers = %d, want 431", code)
	}
	if code := rawRequest(t, addr, "GET /healthz?"+strings.Repeat("x", 70<<10)+" HTTP/1.1\r\nHost: x\r\n\r\n"); code != 431 && code != 414 {
		t.Errorf("70 KiB request line = %d, want 414 or 431", code)
	}

	// Methods nobody serves.
	for _, m := range []string{"TRACE", "OPTIONS", "DELETE", "PATCH"} {
		req, _ := http.NewRequest(m, base+"/api/v1/search", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 405 {
			t.Errorf("%s /api/v1/search = %d, want 405", m, resp.StatusCode)
		}
	}
	if code := rawRequest(t, addr, "TRACE / HTTP/1.1\r\nHost: x\r\nX-Echo: <script>\r\n\r\n"); code != 405 {
		t.Errorf("TRACE / = %d, want 405", code)
	}
}

// TestSlowClients: connections that trickle their headers are cut at
// ReadHeaderTimeout, idle keep-alive connections at IdleTimeout, an
// oversized body gets 413 without being read, and a normal client is served
// throughout (E4).
func TestSlowClients(t *testing.T) {
	t.Parallel()
	lim := ServerLimits{ReadHeaderTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond}
	srv := MustServer(t, Config{AdminToken: testToken, Server: lim}, nil, nil, okReindexer())
	base := MustServe(t, srv)
	addr := strings.TrimPrefix(base, "http://")

	const slow = 50
	closed := make(chan time.Duration, 2*slow)
	var wg sync.WaitGroup
	for i := range 2 * slow {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				closed <- -1
				return
			}
			defer conn.Close()
			start := time.Now()
			if i < slow {
				// slowloris: a header line every 100 ms, never the blank line
				_, _ = io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
				for k := 0; k < 100; k++ {
					time.Sleep(100 * time.Millisecond)
					if _, err := fmt.Fprintf(conn, "X-Slow-%d: 1\r\n", k); err != nil {
						break
					}
				}
			} else {
				// idle keep-alive: one request, then silence
				_, _ = io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
				br := bufio.NewReader(conn)
				if resp, err := http.ReadResponse(br, nil); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = io.Copy(io.Discard, conn) // returns when the server closes
			if err != nil {
				closed <- -1
				return
			}
			closed <- time.Since(start)
		})
	}
	// A well-behaved client is answered while the attack goes on.
	for range 5 {
		resp, err := http.Get(base + "/api/v1/search?q=container")
		if err != nil {
			t.Fatalf("normal client during the attack: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("normal client during the attack: %d", resp.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()
	close(closed)
	for d := range closed {
		if d < 0 || d > 5*time.Second {
			t.Errorf("a slow or idle connection was not closed by the server (after %v)", d)
		}
	}

	// 100 MiB announced: 413 at once, the body is not read.
	body := &countingReader{n: 100 << 20}
	req, _ := http.NewRequest("POST", base+"/api/v1/reindex", body)
	req.ContentLength = 100 << 20
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Errorf("100 MiB POST = %d, want 413", resp.StatusCode)
		}
	}
	if sent := 100<<20 - body.left(); sent > 32<<20 {
		t.Errorf("the server read %d MiB of an oversized body", sent>>20)
	}
}

// countingReader yields n zero bytes and remembers how many are left.
type countingReader struct {
	mu sync.Mutex
	n  int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n)
	clear(p[:k])
	r.n -= k
	return int(k), nil
}

func (r *countingReader) left() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// TestClientCancelStopsSearch: a client that hangs up cancels its search's
// context; the handler returns and its goroutines end (C4). Not parallel:
// it counts goroutines.
func TestClientCancelStopsSearch(t *testing.T) {
	entered := make(chan struct{}, 1)
	stopped := make(chan error, 1)
	fake := &fakeSearcher{SearchFn: func(ctx context.Context, q search.Query) (*search.Result, error) {
		entered <- struct{}{}
		<-ctx.Done()
		stopped <- ctx.Err()
		return nil, ctx.Err()
	}}
	base := MustServe(t, MustServer(t, Config{}, fake, nil, nil))
	if resp, err := http.Get(base + "/healthz"); err == nil { // the server's goroutines are up
		resp.Body.Close()
	}
	http.DefaultClient.CloseIdleConnections()
	time.Sleep(50 * time.Millisecond)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/search?q=slow", nil)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-entered
	cancel()
	if err := <-errc; err == nil {
		t.Errorf("the cancelled request completed")
	}
	select {
	case err := <-stopped:
		if err != context.Canceled {
			t.Errorf("search context ended with %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the search never saw the client go")
	}
	http.DefaultClient.CloseIdleConnections()
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the cancelled request, %d before\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
