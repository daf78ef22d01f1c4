package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// syncBuffer is a log sink safe for concurrent handlers.
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

func newTestLogger(w interface{ Write([]byte) (int, error) }) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// trickySearcher fails in the ways a real index can, keyed by q.
func trickySearcher() *fakeSearcher {
	fixture := fixtureSearch(fixtureDocs())
	return &fakeSearcher{SearchFn: func(ctx context.Context, q search.Query) (*search.Result, error) {
		switch q.Q {
		case "unavailable":
			return nil, fmt.Errorf("alias: %w", search.ErrUnavailable)
		case "slow":
			return nil, fmt.Errorf("run: %w", search.ErrTimeout)
		case "boom":
			panic("boom")
		}
		return fixture(ctx, q)
	}}
}

const testToken = "s3cret-admin-token-for-tests"

func okReindexer() *fakeReindexer {
	return &fakeReindexer{ReindexFn: func(context.Context) (string, error) { return "job-1", nil }}
}

// TestSecurityHeadersEverywhere: every kind of answer carries the headers (F3).
func TestSecurityHeadersEverywhere(t *testing.T) {
	t.Parallel()
	srv := MustServer(t, Config{AdminToken: testToken}, trickySearcher(), nil, okReindexer())
	css := srv.assets.urls["style.css"]
	tests := []struct {
		name, method, target string
		header               []string
		status               int
		noStore              bool
	}{
		{"html search", "GET", "/search?q=container", nil, 200, false},
		{"html home", "GET", "/", nil, 200, false},
		{"html status", "GET", "/status", nil, 200, false},
		{"api search", "GET", "/api/v1/search?q=container", nil, 200, false},
		{"api 400", "GET", "/api/v1/search?page=0", nil, 400, false},
		{"html 400", "GET", "/search?page=0", nil, 400, false},
		{"api 404", "GET", "/api/v1/nothing", nil, 404, false},
		{"html 404", "GET", "/nothing", nil, 404, false},
		{"doc 404", "GET", "/api/v1/documents/none", nil, 404, false},
		{"api 405", "POST", "/api/v1/search", nil, 405, false},
		{"html 405", "DELETE", "/", nil, 405, false},
		{"api 503", "GET", "/api/v1/search?q=unavailable", nil, 503, false},
		{"html 503", "GET", "/search?q=slow", nil, 503, false},
		{"api 500", "GET", "/api/v1/search?q=boom", nil, 500, false},
		{"static css", "GET", css, nil, 200, false},
		{"static 404", "GET", "/static/nope.css", nil, 404, false},
		{"export csv", "GET", "/export.csv?q=container", nil, 200, false},
		{"export json", "GET", "/export.json?q=container", nil, 200, false},
		{"healthz", "GET", "/healthz", nil, 200, false},
		{"admin 401", "POST", "/api/v1/reindex", nil, 401, true},
		{"admin 202", "POST", "/api/v1/reindex", []string{"Authorization", "Bearer " + testToken}, 202, true},
		{"admin 405", "GET", "/api/v1/reindex", nil, 405, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := append([]string{"Origin", "https://evil.example"}, tt.header...)
			rec := do(t, srv.Handler(), tt.method, tt.target, nil, h...)
			if rec.Code != tt.status {
				t.Fatalf("%s %s = %d, want %d\n%s", tt.method, tt.target, rec.Code, tt.status, rec.Body)
			}
			want := map[string]string{
				"Content-Security-Policy": contentSecurityPolicy,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "strict-origin-when-cross-origin",
				"X-Frame-Options":         "DENY",
			}
			for k, v := range want {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if !strings.Contains(rec.Header().Get("Content-Type"), "charset=utf-8") {
				t.Errorf("Content-Type = %q, want a charset", rec.Header().Get("Content-Type"))
			}
			if rec.Header().Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
			for k := range rec.Header() {
				if strings.HasPrefix(k, "Access-Control-") || k == "X-Powered-By" || k == "Server" {
					t.Errorf("unexpected header %s: %q", k, rec.Header().Get(k))
				}
			}
			if tt.noStore && rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", rec.Header().Get("Cache-Control"))
			}
		})
	}
}

func TestCSPHasNoUnsafeInline(t *testing.T) {
	t.Parallel()
	if strings.Contains(contentSecurityPolicy, "unsafe") {
		t.Errorf("CSP allows unsafe sources: %s", contentSecurityPolicy)
	}
}

func TestNoCORSPreflight(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{AdminToken: testToken}, nil, nil, okReindexer()).Handler()
	for _, target := range []string{"/api/v1/search", "/api/v1/reindex"} {
		rec := do(t, h, "OPTIONS", target, nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
		if rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusNotFound {
			t.Errorf("OPTIONS %s = %d, want 404/405", target, rec.Code)
		}
		for k := range rec.Header() {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("OPTIONS %s sets %s", target, k)
			}
		}
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	tests := []struct {
		method, target string
		status         int
		json           bool
	}{
		{"GET", "/nope", 404, false},
		{"GET", "/api/v1/nope", 404, true},
		{"GET", "/api/v1/search/", 404, true},
		{"POST", "/api/v1/search", 405, true},
		{"PUT", "/search", 405, false},
		{"TRACE", "/", 405, false},
		{"POST", "/api/v1/reindex", 404, true}, // no token: admin routes do not exist
		{"POST", "/feed.atom", 405, true},
		{"GET", "/export.xml", 404, false},
		{"GET", "/api/v2/search", 404, true},
	}
	for _, tt := range tests {
		rec := do(t, h, tt.method, tt.target, nil)
		if rec.Code != tt.status {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.target, rec.Code, tt.status)
			continue
		}
		if tt.json {
			code, _ := decodeError(t, rec)
			want := map[int]string{404: "not_found", 405: "method_not_allowed"}[tt.status]
			if code != want {
				t.Errorf("%s %s code = %q, want %q", tt.method, tt.target, code, want)
			}
		} else if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s %s Content-Type = %q, want HTML", tt.method, tt.target, rec.Header().Get("Content-Type"))
		}
		if tt.status == 405 && rec.Header().Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tt.method, tt.target)
		}
	}
}

// TestStaticTraversal: nothing outside the embedded assets is ever served (F4).
func TestStaticTraversal(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	for _, target := range []string{
		"/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
		"/static/%252e%252e/%252e%252e/etc/passwd", `/static/..\..\windows\win.ini`, "/static//etc/passwd",
		"/static/a%00.css", "/static/", "/static/../templates/layout.html", "/api/v1/documents/..%2f..%2fetc%2fpasswd",
	} {
		rec := do(t, h, "GET", target, nil)
		if rec.Code != 400 && rec.Code != 404 {
			t.Errorf("GET %s = %d, want 400/404", target, rec.Code)
		}
		if body := rec.Body.String(); strings.Contains(body, "root:") || strings.Contains(body, `{{define`) {
			t.Errorf("GET %s leaks a file:\n%s", target, body)
		}
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	h := MustServer(t, Config{Logger: newTestLogger(&logs)}, nil, nil, nil).Handler()
	rec := do(t, h, "GET", "/healthz", nil, "X-Request-ID", "abc-123_x.y")
	if got := rec.Header().Get("X-Request-ID"); got != "abc-123_x.y" {
		t.Errorf("sane incoming id not kept: %q", got)
	}
	for _, bad := range []string{"has space", strings.Repeat("a", 65), "semi;colon", "<script>"} {
		rec := do(t, h, "GET", "/healthz", nil, "X-Request-ID", bad)
		got := rec.Header().Get("X-Request-ID")
		if got == bad || !saneRequestID(got) {
			t.Errorf("incoming id %q answered with %q, want a fresh one", bad, got)
		}
	}
	if !strings.Contains(logs.String(), "request_id=abc-123_x.y") {
		t.Errorf("log lacks the request id:\n%s", logs.String())
	}
}

// TestLogHygiene: q is capped and escaped; every line carries the request id.
func TestLogHygiene(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	h := MustServer(t, Config{Logger: newTestLogger(&logs)}, trickySearcher(), nil, nil).Handler()
	start := len(logs.String()) // startup lines carry no request id
	q := "evil%0Alevel=ERROR+msg=forged%0D" + strings.Repeat("x", 900)
	do(t, h, "GET", "/api/v1/search?q="+q, nil)
	do(t, h, "GET", "/api/v1/search?q=boom", nil)
	out := logs.String()[start:]
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.Contains(line, "request_id=") {
			t.Errorf("log line without request_id: %s", line)
		}
		if strings.HasPrefix(line, "level=ERROR msg=forged") {
			t.Errorf("forged log line: %s", line)
		}
		if len(line) > 2000 && !strings.Contains(line, "stack=") {
			t.Errorf("log line too long (%d bytes)", len(line))
		}
	}
	if !strings.Contains(out, `\\u000a`) {
		t.Errorf("newline in q not escaped:\n%s", out)
	}
}

func TestSanitizeForLog(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"a\nb\rc\x00", `a\u000ab\u000dc\u0000`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"line\u2028sep", `line\u2028sep`},
	}
	for _, tt := range tests {
		if got := sanitizeForLog(tt.in); got != tt.want {
			t.Errorf("sanitizeForLog(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := sanitizeForLog(strings.Repeat("é", 500)); len(got) > maxLoggedBytes+8 {
		t.Errorf("sanitizeForLog of 1000 bytes gave %d bytes", len(got))
	}
}

// TestOverload: beyond MaxInFlight searches, a fast 503 with Retry-After (E3).
func TestOverload(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{}, 8)
	release := make(chan struct{})
	fake := blockingSearcher("block", entered, release)
	h := MustServer(t, Config{MaxInFlight: 2, MaxPerClient: -1, MaxQueued: -1}, fake, nil, nil).Handler()
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { codes[i] = do(t, h, "GET", "/api/v1/search?q=block", nil).Code })
	}
	for range 2 {
		select {
		case <-entered:
		case <-time.After(10 * time.Second):
			t.Fatal("searches did not start")
		}
	}
	for _, target := range []string{"/api/v1/search?q=x", "/search?q=x", "/export.csv?q=x"} {
		rec := do(t, h, "GET", target, nil)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
			t.Errorf("GET %s while full = %d Retry-After %q, want 503 and 1", target, rec.Code, rec.Header().Get("Retry-After"))
		}
		if strings.HasPrefix(target, "/api") {
			if code, _ := decodeError(t, rec); code != "overloaded" {
				t.Errorf("code = %q, want overloaded", code)
			}
		}
	}
	// Status and health stay available while searches are saturated.
	if rec := do(t, h, "GET", "/healthz", nil); rec.Code != 200 {
		t.Errorf("healthz while full = %d", rec.Code)
	}
	close(release)
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("blocked search %d ended with %d, want 200", i, c)
		}
	}
	if rec := do(t, h, "GET", "/api/v1/search?q=x", nil); rec.Code != 200 {
		t.Errorf("after release = %d, want 200", rec.Code)
	}
}

// TestOverloadWaitingRoom: a search that finds the slots taken waits in a
// bounded room; when the room is full it gets 503 at once, and a wait longer
// than QueueWait ends in 503 too (E3).
func TestOverloadWaitingRoom(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{}, 8)
	release := make(chan struct{})
	fake := blockingSearcher("block", entered, release)
	srv := MustServer(t, Config{MaxInFlight: 1, MaxQueued: 1, QueueWait: time.Minute}, fake, nil, nil)
	h := srv.Handler()
	codes := make(chan int, 2)
	go func() { codes <- do(t, h, "GET", "/api/v1/search?q=block", nil).Code }()
	<-entered
	go func() { codes <- do(t, h, "GET", "/api/v1/search?q=waits", nil).Code }()
	for deadline := time.Now().Add(10 * time.Second); srv.gate.waiting() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the second search never waited")
		}
	}
	// The third finds the room taken: 503 while the first still holds its slot.
	rec := do(t, h, "GET", "/api/v1/search?q=x", nil)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("third search = %d, want 503 with Retry-After", rec.Code)
	}
	close(release)
	for range 2 {
		if c := <-codes; c != 200 {
			t.Errorf("a blocked or waiting search ended with %d, want 200", c)
		}
	}

	// A wait longer than QueueWait ends in 503.
	release2 := make(chan struct{})
	fake2 := blockingSearcher("block", entered, release2)
	h2 := MustServer(t, Config{MaxInFlight: 1, QueueWait: 20 * time.Millisecond}, fake2, nil, nil).Handler()
	go func() { codes <- do(t, h2, "GET", "/api/v1/search?q=block", nil).Code }()
	<-entered
	if rec := do(t, h2, "GET", "/api/v1/search?q=x", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("search waiting past QueueWait = %d, want 503", rec.Code)
	}
	close(release2)
	<-codes
}

// TestExpensiveSearchesGetAQuarterOfTheSlots: expensive searches (the plan
// says so: a deep page, a browse of everything) and exports hold at most a
// quarter of the slots; a cheap search still finds one (E3).
func TestExpensiveSearchesGetAQuarterOfTheSlots(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{}, 8)
	release := make(chan struct{})
	fake := blockingSearcher("heavy block", entered, release)
	h := MustServer(t, Config{MaxInFlight: 4, MaxPerClient: -1, MaxQueued: -1}, fake, nil, nil).Handler()
	done := make(chan int, 1)
	go func() { done <- do(t, h, "GET", "/api/v1/search?q=heavy+block&page=11&per_page=100", nil).Code }()
	<-entered
	for _, target := range []string{"/api/v1/search?q=heavy+other&page=20&per_page=100", "/export.csv?q=x", "/search", "/api/v1/search?q="} {
		if rec := do(t, h, "GET", target, nil); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the heavy lane full = %d, want 503", target, rec.Code)
		}
	}
	for _, target := range []string{"/api/v1/search?q=container", "/api/v1/search?q=container&page=10&per_page=100", "/search?country=Panama"} {
		if rec := do(t, h, "GET", target, nil); rec.Code != 200 {
			t.Errorf("GET %s (cheap) with the heavy lane full = %d, want 200", target, rec.Code)
		}
	}
	close(release)
	if c := <-done; c != 200 {
		t.Errorf("the heavy search = %d", c)
	}
	if rec := do(t, h, "GET", "/export.csv?q=x", nil); rec.Code != 200 {
		t.Errorf("export after release = %d", rec.Code)
	}
}

// blockingSearcher answers from the fixture, except that a search for
// block signals entered, then waits for release.
func blockingSearcher(block string, entered chan<- struct{}, release <-chan struct{}) *fakeSearcher {
	fixture := fixtureSearch(fixtureDocs())
	return &fakeSearcher{SearchFn: func(ctx context.Context, q search.Query) (*search.Result, error) {
		if q.Q == block {
			entered <- struct{}{}
			<-release
		}
		return fixture(ctx, q)
	}}
}
