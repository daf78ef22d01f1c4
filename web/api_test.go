package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"github.com/inlsearch/inlsearch/search"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json and testdata/screenshot.png")

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	code := m.Run()
	if reportAPIViolations() && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// remoteAddrHeader, given to do, sets the request's peer address instead.
const remoteAddrHeader = "(remote-addr)"

// do sends one request to h and returns the recorded answer.
func do(tb testing.TB, h http.Handler, method, target string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == remoteAddrHeader {
			req.RemoteAddr = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkGolden compares an indented JSON body with testdata/<name>.golden.json.
func checkGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("%s mismatch (-golden +got):\n%s", path, diff)
	}
}

// decodeError checks the error shape and returns its code and message.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) (code, msg string) {
	t.Helper()
	var body map[string]map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, rec.Body)
	}
	e, ok := body["error"]
	if !ok || len(body) != 1 || len(e) != 2 {
		t.Fatalf("error body = %s, want exactly {\"error\":{\"code\",\"message\"}}", rec.Body)
	}
	code, _ = e["code"].(string)
	msg, _ = e["message"].(string)
	if code == "" || msg == "" {
		t.Fatalf("error body = %s: empty code or message", rec.Body)
	}
	return code, msg
}

// searchResponse decodes an answer of GET /api/v1/search (search.Result's
// JSON) in the tests.
type searchResponse struct {
	Query      string `json:"query"`
	Total      int    `json:"total"`
	ExactTotal int    `json:"exact_total"`
	Relaxed    bool   `json:"relaxed"`
	Page       int    `json:"page"`
	PerPage    int    `json:"per_page"`
	Hits       []struct {
		ID      string  `json:"id"`
		Score   float64 `json:"score"`
		Partial bool    `json:"partial"`
	} `json:"hits"`
	Facets      map[string][]search.FacetValue `json:"facets"`
	FacetsOther map[string]int                 `json:"facets_other"`
}

func TestAPIGolden(t *testing.T) {
	t.Parallel()
	doc := fixtureDocs()[0]
	doc.Provenance = map[string][]string{"topic:container and port control": {"container control"}}
	doc.Evidence = map[string]string{"topic:container and port control": "The Container Control Programme trains port officers.",
		"organization:CPATT": "Instructors of the CPATT certified 400 officers.", "no facet": "dropped"}
	doc.FoundOrganizations = []string{"CPATT"}
	doc.Amounts = []float64{2.5e6}
	doc.FirstSeen = time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	fake := &fakeSearcher{
		SearchFn: fixtureSearch(fixtureDocs()),
		GetFn: func(_ context.Context, id string) (*search.Document, error) {
			if id == doc.ID {
				return &doc, nil
			}
			return nil, fmt.Errorf("get %q: %w", id, search.ErrNotFound)
		},
	}
	st := fakeStatus{Status{
		Generation: &GenerationStatus{ID: "g-000007", BuiltAt: time.Date(2024, 6, 2, 3, 4, 5, 0, time.UTC), Passages: 1234, Pages: 56,
			FoundOrganizations: 3, FoundOrganizationPassages: 17},
		LastJob: &JobStatus{ID: "job-9", State: "succeeded", Started: time.Date(2024, 6, 2, 3, 0, 0, 0, time.UTC),
			Finished: time.Date(2024, 6, 2, 3, 4, 5, 0, time.UTC), Counts: map[string]int{"fetched": 60, "failed": 1}},
		NextRun: time.Date(2024, 6, 3, 3, 0, 0, 0, time.UTC),
	}}
	h := MustServer(t, Config{Version: "test"}, fake, st, nil).Handler()
	tests := []struct {
		name, target string
		status       int
	}{
		{"search_container", "/api/v1/search?q=container&organization=unodc&organization=United+Nations+Office+on+Drugs+and+Crime&per_page=2", 200},
		{"search_browse_page2", "/api/v1/search?page=2&per_page=3&sort=date&year_from=2020", 200},
		{"search_nothing", "/api/v1/search?q=zzzz", 200},
		{"document", "/api/v1/documents/doc-00", 200},
		{"document_missing", "/api/v1/documents/nope", 404},
		{"status", "/api/v1/status", 200},
		{"healthz", "/healthz", 200},
		{"bad_query", "/api/v1/search?q=%22unbalanced", 400},
		{"bad_pagination", "/api/v1/search?page=1000&per_page=100", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, "GET", tt.target, nil)
			if rec.Code != tt.status {
				t.Errorf("GET %s = %d, want %d\n%s", tt.target, rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			checkGolden(t, tt.name, rec.Body.Bytes())
		})
	}
}

func TestAPISearchShape(t *testing.T) {
	t.Parallel()
	// A hit with nothing set must still give lists, never null.
	fake := &fakeSearcher{SearchFn: func(context.Context, search.Query) (*search.Result, error) {
		return &search.Result{Total: 1, Hits: []search.Hit{{Document: search.Document{ID: "x"}}}}, nil
	}}
	rec := do(t, MustServer(t, Config{}, fake, nil, nil).Handler(), "GET", "/api/v1/search", nil)
	var got map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	for _, k := range []string{"query", "total", "took_ms", "page", "per_page", "hits", "facets", "facets_other"} {
		if _, ok := got[k]; !ok {
			t.Errorf("answer lacks %q (keys %v)", k, keys)
		}
	}
	if strings.Contains(rec.Body.String(), "null,") && !strings.Contains(rec.Body.String(), `"published":null`) {
		t.Errorf("a list is null: %s", rec.Body)
	}
	for _, field := range []string{`"organizations":[]`, `"countries":[]`, `"regions":[]`, `"topics":[]`, `"years":[]`, `"organization":[]`} {
		if !strings.Contains(rec.Body.String(), field) {
			t.Errorf("answer lacks %s: %s", field, rec.Body)
		}
	}
	if strings.Contains(rec.Body.String(), "first_seen") {
		t.Errorf("first_seen present while unset: %s", rec.Body)
	}
}

func TestSearchErrorsMapped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("%w: unexpected ')' at 4", search.ErrBadQuery), 400, "invalid_query"},
		{fmt.Errorf("%w: too deep", search.ErrBadPagination), 400, "invalid_pagination"},
		{fmt.Errorf("%w: unknown facet", search.ErrBadFilter), 400, "invalid_filter"},
		{fmt.Errorf("run: %w", search.ErrTimeout), 503, "search_timeout"},
		{fmt.Errorf("run: %w", search.ErrUnavailable), 503, "index_unavailable"},
		{errors.New("open /var/lib/inlsearch/gen-3/root.bolt: bad magic"), 500, "internal_error"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			fake := &fakeSearcher{SearchFn: func(context.Context, search.Query) (*search.Result, error) { return nil, tt.err }}
			srv := MustServer(t, Config{Logger: newTestLogger(&logs)}, fake, nil, nil)
			rec := do(t, srv.Handler(), "GET", "/api/v1/search?q=x", nil)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			code, msg := decodeError(t, rec)
			if code != tt.code {
				t.Errorf("code = %q, want %q", code, tt.code)
			}
			if tt.status == 400 && msg != tt.err.Error() {
				t.Errorf("message = %q, want the parser's %q", msg, tt.err.Error())
			}
			if tt.status == 500 {
				if strings.Contains(rec.Body.String(), "root.bolt") {
					t.Errorf("500 body leaks details: %s", rec.Body)
				}
				if n := strings.Count(logs.String(), "request failed"); n != 1 {
					t.Errorf("internal error logged %d times, want once:\n%s", n, logs.String())
				}
			}
			// HTML gets the same status with a page.
			rec = do(t, srv.Handler(), "GET", "/search?q=x", nil)
			if rec.Code != tt.status {
				t.Errorf("HTML status = %d, want %d", rec.Code, tt.status)
			}
		})
	}
}

func TestPanicIs500WithoutStack(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	fake := &fakeSearcher{SearchFn: func(context.Context, search.Query) (*search.Result, error) { panic("boom in handler") }}
	srv := MustServer(t, Config{Logger: newTestLogger(&logs)}, fake, nil, nil)
	for _, target := range []string{"/api/v1/search?q=a", "/search?q=a"} {
		rec := do(t, srv.Handler(), "GET", target, nil)
		if rec.Code != 500 {
			t.Fatalf("GET %s = %d, want 500", target, rec.Code)
		}
		body := rec.Body.String()
		for _, leak := range []string{"boom", "goroutine", ".go:", "panic"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s body contains %q:\n%s", target, leak, body)
			}
		}
		if strings.HasPrefix(target, "/api") {
			if code, _ := decodeError(t, rec); code != "internal_error" {
				t.Errorf("code = %q", code)
			}
		}
	}
	if !strings.Contains(logs.String(), "handler panic") {
		t.Errorf("panic not logged:\n%s", logs.String())
	}
}
