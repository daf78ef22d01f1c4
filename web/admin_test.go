package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestAdminToken covers F1: every bad token is a generic 401 with
// WWW-Authenticate, the good one a 202 with a job id, GET a 405, and the
// token is never logged.
func TestAdminToken(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	srv := MustServer(t, Config{AdminToken: testToken, Logger: newTestLogger(&logs)}, nil, nil, okReindexer())
	sameLength := strings.Repeat("x", len(testToken))
	tests := []struct {
		name, method, target, auth string
		body                       io.Reader
		status                     int
		code                       string
	}{
		{"no header", "POST", "/api/v1/reindex", "", nil, 401, "unauthorized"},
		{"wrong", "POST", "/api/v1/reindex", "Bearer wrong", nil, 401, "unauthorized"},
		{"same length", "POST", "/api/v1/reindex", "Bearer " + sameLength, nil, 401, "unauthorized"},
		{"one char", "POST", "/api/v1/reindex", "Bearer x", nil, 401, "unauthorized"},
		{"1 MiB", "POST", "/api/v1/reindex", "Bearer " + strings.Repeat("y", 1<<20), nil, 401, "unauthorized"},
		{"prefix of token", "POST", "/api/v1/reindex", "Bearer " + testToken[:len(testToken)-1], nil, 401, "unauthorized"},
		{"basic scheme", "POST", "/api/v1/reindex", "Basic " + testToken, nil, 401, "unauthorized"},
		{"bare token", "POST", "/api/v1/reindex", testToken, nil, 401, "unauthorized"},
		{"empty bearer", "POST", "/api/v1/reindex", "Bearer ", nil, 401, "unauthorized"},
		{"query token", "POST", "/api/v1/reindex?token=" + testToken, "", nil, 401, "unauthorized"},
		{"query and header", "POST", "/api/v1/reindex?access_token=" + testToken, "Bearer " + testToken, nil, 401, "unauthorized"},
		{"GET", "GET", "/api/v1/reindex", "Bearer " + testToken, nil, 405, "method_not_allowed"},
		{"correct", "POST", "/api/v1/reindex", "Bearer " + testToken, nil, 202, ""},
		{"lower-case scheme", "POST", "/api/v1/reindex", "bearer " + testToken, nil, 202, ""},
		{"small body", "POST", "/api/v1/reindex", "Bearer " + testToken, strings.NewReader("{}"), 202, ""},
		{"big body", "POST", "/api/v1/reindex", "Bearer " + testToken, strings.NewReader(strings.Repeat("z", 65<<10)), 413, "payload_too_large"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Each case from its own address, so that the failure limit stays out of the way.
			hdr := []string{remoteAddrHeader, fmt.Sprintf("192.0.2.%d:1234", i+1)}
			if tt.auth != "" {
				hdr = append(hdr, "Authorization", tt.auth)
			}
			rec := do(t, srv.Handler(), tt.method, tt.target, tt.body, hdr...)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d\n%s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 202 {
				var got reindexResponse
				if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.ID != "job-1" {
					t.Errorf("body = %s, want {\"id\":\"job-1\"}", rec.Body)
				}
				return
			}
			if code, msg := decodeError(t, rec); code != tt.code || strings.Contains(msg, "token") && tt.status == 401 && strings.Contains(msg, testToken) {
				t.Errorf("code = %q (%s), want %q", code, msg, tt.code)
			}
			if tt.status == 401 && rec.Header().Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("WWW-Authenticate = %q, want Bearer", rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
	t.Cleanup(func() {
		if strings.Contains(logs.String(), testToken) {
			t.Errorf("the token appears in the log:\n%s", logs.String())
		}
	})
}

func TestAdminBodyTooLargeChunked(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{AdminToken: testToken}, nil, nil, okReindexer()).Handler()
	req := httptest.NewRequest("POST", "/api/v1/reindex", io.LimitReader(neverEnding('a'), 100<<20))
	req.ContentLength = -1 // unknown length: only the MaxBytesReader can stop it
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("chunked 100 MiB body = %d, want 413", rec.Code)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

func TestAdminConflict(t *testing.T) {
	t.Parallel()
	r := &fakeReindexer{ReindexFn: func(context.Context) (string, error) {
		return "job-7", fmt.Errorf("start: %w", ErrReindexRunning)
	}}
	h := MustServer(t, Config{AdminToken: testToken}, nil, nil, r).Handler()
	rec := do(t, h, "POST", "/api/v1/reindex", nil, "Authorization", "Bearer "+testToken)
	if rec.Code != 409 {
		t.Fatalf("status = %d, want 409", rec.Code)
	}
	code, msg := decodeError(t, rec)
	if code != "reindex_in_progress" || !strings.Contains(msg, "job-7") {
		t.Errorf("error = %q %q, want reindex_in_progress naming job-7", code, msg)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
}

func TestAdminJobOutlivesRequest(t *testing.T) {
	t.Parallel()
	var jobCtx context.Context
	r := &fakeReindexer{ReindexFn: func(ctx context.Context) (string, error) {
		jobCtx = ctx
		return "job-2", nil
	}}
	h := MustServer(t, Config{AdminToken: testToken}, nil, nil, r).Handler()
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("POST", "/api/v1/reindex", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+testToken)
	h.ServeHTTP(httptest.NewRecorder(), req)
	cancel()
	if jobCtx == nil || jobCtx.Err() != nil {
		t.Errorf("job context = %v, want one that survives the request", jobCtx)
	}
}

// TestAdminUsesConstantTimeHelper asserts that the handler decides through
// tokenEqual, whose implementation compares SHA-256 digests in constant time.
func TestAdminUsesConstantTimeHelper(t *testing.T) {
	t.Parallel()
	srv := MustServer(t, Config{AdminToken: testToken}, nil, nil, okReindexer())
	var calls atomic.Int32
	orig := srv.tokenEqual
	srv.tokenEqual = func(given string) bool { calls.Add(1); return orig(given) }
	if rec := do(t, srv.Handler(), "POST", "/api/v1/reindex", nil, "Authorization", "Bearer "+testToken); rec.Code != 202 {
		t.Fatalf("status = %d", rec.Code)
	}
	if calls.Load() != 1 {
		t.Errorf("tokenEqual called %d times, want 1", calls.Load())
	}
	if !srv.tokenMatches(testToken) || srv.tokenMatches(testToken+"x") || srv.tokenMatches("") {
		t.Error("tokenMatches gives wrong answers")
	}
	empty := &Server{}
	if empty.tokenMatches("") {
		t.Error("an empty token matches an empty configuration")
	}
}

// TestAdminRateLimit: after 10 failures in a minute from one address, 429,
// even with the right token; X-Forwarded-For cannot dodge it.
func TestAdminRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	srv := MustServer(t, Config{AdminToken: testToken, Now: func() time.Time { return time.Unix(0, clock.Load()) }},
		nil, nil, okReindexer())
	for i := range 20 {
		rec := do(t, srv.Handler(), "POST", "/api/v1/reindex", nil,
			"Authorization", "Bearer bad", "X-Forwarded-For", fmt.Sprintf("10.0.0.%d", i))
		want := 401
		if i >= 10 {
			want = 429
		}
		if rec.Code != want {
			t.Fatalf("attempt %d = %d, want %d", i+1, rec.Code, want)
		}
	}
	if rec := do(t, srv.Handler(), "POST", "/api/v1/reindex", nil, "Authorization", "Bearer "+testToken); rec.Code != 429 {
		t.Errorf("right token while limited = %d, want 429", rec.Code)
	}
	clock.Add(int64(61 * time.Second))
	if rec := do(t, srv.Handler(), "POST", "/api/v1/reindex", nil, "Authorization", "Bearer "+testToken); rec.Code != 202 {
		t.Errorf("right token after a minute = %d, want 202", rec.Code)
	}
}

func TestAdminDisabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string
		r     Reindexer
	}{
		{"empty token", "", okReindexer()},
		{"no reindexer", testToken, nil},
	}
	for _, tt := range tests {
		var logs syncBuffer
		h := MustServer(t, Config{AdminToken: tt.token, Logger: newTestLogger(&logs)}, nil, nil, tt.r).Handler()
		for _, auth := range []string{"", "Bearer ", "Bearer " + testToken} {
			rec := do(t, h, "POST", "/api/v1/reindex", nil, "Authorization", auth)
			if rec.Code != 404 {
				t.Errorf("%s: POST with %q = %d, want 404", tt.name, auth, rec.Code)
			}
		}
		if !strings.Contains(logs.String(), "admin routes disabled") {
			t.Errorf("%s: no startup warning:\n%s", tt.name, logs.String())
		}
	}
}

// fakeCanceler is a Reindexer that can also stop its job.
type fakeCanceler struct {
	fakeReindexer
	CancelFn func(ctx context.Context) (string, error)
}

func (f *fakeCanceler) CancelReindex(ctx context.Context) (string, error) { return f.CancelFn(ctx) }

// TestAdminCancel: DELETE /api/v1/reindex asks the running job to stop (202
// with its id and state cancelling), 404 no_reindex_running when none runs,
// under the same token and body rules as POST.
func TestAdminCancel(t *testing.T) {
	t.Parallel()
	var running atomic.Bool
	r := &fakeCanceler{fakeReindexer: *okReindexer(), CancelFn: func(context.Context) (string, error) {
		if running.Swap(false) {
			return "job-1", nil
		}
		return "", fmt.Errorf("cancel: %w", ErrNoReindexRunning)
	}}
	h := MustServer(t, Config{AdminToken: testToken}, nil, nil, r).Handler()
	auth := "Bearer " + testToken
	tests := []struct {
		name, auth, query string
		running           bool
		body              io.Reader
		status            int
		code              string
	}{
		{"no token", "", "", true, nil, 401, "unauthorized"},
		{"wrong token", "Bearer wrong", "", true, nil, 401, "unauthorized"},
		{"token in the query", "", "?token=" + testToken, true, nil, 401, "unauthorized"},
		{"big body", auth, "", true, strings.NewReader(strings.Repeat("z", 65<<10)), 413, "payload_too_large"},
		{"running", auth, "", true, nil, 202, ""},
		{"none running", auth, "", false, nil, 404, "no_reindex_running"},
	}
	for i, tt := range tests { // in order: the job runs until cancelled
		running.Store(tt.running)
		hdr := []string{remoteAddrHeader, fmt.Sprintf("192.0.2.%d:1234", i+1)}
		if tt.auth != "" {
			hdr = append(hdr, "Authorization", tt.auth)
		}
		rec := do(t, h, "DELETE", "/api/v1/reindex"+tt.query, tt.body, hdr...)
		if rec.Code != tt.status {
			t.Fatalf("%s: status = %d, want %d\n%s", tt.name, rec.Code, tt.status, rec.Body)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control = %q", tt.name, rec.Header().Get("Cache-Control"))
		}
		if tt.status == 202 {
			var got cancelResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got != (cancelResponse{ID: "job-1", State: "cancelling"}) {
				t.Errorf("%s: body = %s, want {\"id\":\"job-1\",\"state\":\"cancelling\"}", tt.name, rec.Body)
			}
			continue
		}
		if code, _ := decodeError(t, rec); code != tt.code {
			t.Errorf("%s: code = %q, want %q", tt.name, code, tt.code)
		}
		if tt.running && !running.Load() {
			t.Errorf("%s: the job was cancelled", tt.name)
		}
	}

	// Failed DELETEs count toward the failure limit, as failed POSTs do.
	for i := range 10 {
		if rec := do(t, h, "DELETE", "/api/v1/reindex", nil, remoteAddrHeader, "198.51.100.1:1", "Authorization", "Bearer bad"); rec.Code != 401 {
			t.Fatalf("bad token %d = %d", i+1, rec.Code)
		}
	}
	if rec := do(t, h, "POST", "/api/v1/reindex", nil, remoteAddrHeader, "198.51.100.1:1", "Authorization", auth); rec.Code != 429 {
		t.Errorf("POST after 10 failed DELETEs = %d, want 429", rec.Code)
	}
}

// TestAdminCancelRouteNeedsTokenAndCanceler: without a token no DELETE
// route exists; a Reindexer that cannot cancel gets 405 for DELETE.
func TestAdminCancelRouteNeedsTokenAndCanceler(t *testing.T) {
	t.Parallel()
	canceler := &fakeCanceler{fakeReindexer: *okReindexer(), CancelFn: func(context.Context) (string, error) { return "job-1", nil }}
	tests := []struct {
		name  string
		token string
		r     Reindexer
		want  int
	}{
		{"no token", "", canceler, 404},
		{"no canceler", testToken, okReindexer(), 405},
		{"both", testToken, canceler, 202},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := MustServer(t, Config{AdminToken: tt.token}, nil, nil, tt.r).Handler()
			if rec := do(t, h, "DELETE", "/api/v1/reindex", nil, "Authorization", "Bearer "+testToken); rec.Code != tt.want {
				t.Errorf("DELETE = %d, want %d", rec.Code, tt.want)
			}
		})
	}
}

// TestAdminRateLimitBehindProxy: behind a trusted proxy the failure limit
// counts each client apart: one client's failures do not lock the others out.
func TestAdminRateLimitBehindProxy(t *testing.T) {
	t.Parallel()
	srv := MustServer(t, Config{AdminToken: testToken, TrustedProxies: []string{"10.0.0.0/8"}}, nil, nil, okReindexer())
	from := func(client, auth string) int {
		return do(t, srv.Handler(), "POST", "/api/v1/reindex", nil, remoteAddrHeader, "10.0.0.2:3000",
			"X-Forwarded-For", client, "Authorization", auth).Code
	}
	for i := range 10 {
		if code := from("203.0.113.1", "Bearer bad"); code != 401 {
			t.Fatalf("attempt %d = %d, want 401", i+1, code)
		}
	}
	if code := from("203.0.113.1", "Bearer "+testToken); code != 429 {
		t.Errorf("the client that failed 10 times = %d, want 429", code)
	}
	if code := from("203.0.113.2", "Bearer "+testToken); code != 202 {
		t.Errorf("another client behind the same proxy = %d, want 202", code)
	}
}
