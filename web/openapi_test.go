package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/internal/apitest"
)

// apiViolations collects every API exchange of this package's tests that
// disagrees with openapi.json; TestMain fails the run on any.
var apiViolations apitest.Recorder

// apiValidator checks exchanges against openapi.json.
var apiValidator = func() *apitest.Validator {
	v, err := apitest.New(openapiJSON)
	if err != nil {
		panic(fmt.Sprintf("openapi.json: %v", err))
	}
	return v
}()

func init() {
	// Every Server the tests build checks its API exchanges: Handler and
	// Serve both go through it.
	wrapHandler = func(h http.Handler) http.Handler { return apiValidator.Handler(h, apiViolations.Report) }
}

// reportAPIViolations prints the violations recorded and tells whether
// there were any.
func reportAPIViolations() bool {
	errs := apiViolations.Errors()
	for _, err := range errs {
		fmt.Fprintf(os.Stderr, "openapi: an API exchange disagrees with openapi.json: %v\n", err)
	}
	return len(errs) > 0
}

// ginPath turns a gin route pattern into an OpenAPI path template.
func ginPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPICoversRoutes: every route the server registers under /api/
// (and every other route the document claims) is in openapi.json with its
// method, and every operation of openapi.json is a registered route, with
// every optional route switched on. A route outside the document must be
// one of the HTML pages listed here.
func TestOpenAPICoversRoutes(t *testing.T) {
	st, _, _ := MustGenerationStore(t)
	r := &fakeCanceler{fakeReindexer: fakeReindexer{ReindexFn: func(context.Context) (string, error) { return "job-1", nil }},
		CancelFn: func(context.Context) (string, error) { return "job-1", nil }}
	srv := MustServer(t, Config{AdminToken: testToken, Generations: st, Metrics: http.NotFoundHandler()}, nil, fakeStatus{Status{}}, r)
	html := map[string]bool{"GET /": true, "GET /search": true, "GET /facets/{facet}": true, "GET /status": true,
		"GET /passages/{id}": true, "GET /passages/{id}/similar": true, "GET /changes": true, "GET /coverage": true,
		"GET /static/{filepath}": true, "GET /metrics": true, "GET /api": true}
	registered := map[string]bool{}
	for _, ri := range srv.engine.Routes() {
		op := ri.Method + " " + ginPath(ri.Path)
		registered[op] = true
		if html[op] {
			if apiValidator.Covers(ginPath(ri.Path)) && ri.Path != "/api" {
				t.Errorf("%s is listed as a page but the document covers its path", op)
			}
			continue
		}
		if !slices.Contains(apiValidator.Paths(), op) {
			t.Errorf("route %s is not in openapi.json (nor a page of this test's list)", op)
		}
	}
	for _, op := range apiValidator.Paths() {
		if !registered[op] {
			t.Errorf("openapi.json describes %s, which the server does not register", op)
		}
	}
	if len(registered) < 20 {
		t.Fatalf("only %d routes registered: %v", len(registered), registered)
	}
}

// TestOpenAPIDocument: GET /api/v1/openapi.json serves the embedded
// document (revalidated by ETag), and GET /api renders every operation and
// shape of it as HTML, without script.
func TestOpenAPIDocument(t *testing.T) {
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	rec := do(t, h, "GET", "/api/v1/openapi.json", nil)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), openapiJSON) {
		t.Fatalf("GET /api/v1/openapi.json = %d, %d bytes; want 200 and the document", rec.Code, rec.Body.Len())
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q (%v), want 3.1.x", doc.OpenAPI, err)
	}
	if rec2 := do(t, h, "GET", "/api/v1/openapi.json", nil, "If-None-Match", rec.Header().Get("ETag")); rec2.Code != http.StatusNotModified {
		t.Errorf("GET with If-None-Match = %d, want 304", rec2.Code)
	}

	rec = do(t, h, "GET", "/api", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /api = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	page := rec.Body.String()
	for _, op := range apiValidator.Paths() {
		method, path, _ := strings.Cut(op, " ")
		if !strings.Contains(page, "<code>"+method+" "+template.HTMLEscapeString(path)+"</code>") {
			t.Errorf("GET /api does not show %s", op)
		}
	}
	for _, want := range []string{`id="schema-SearchResult"`, `id="schema-Error"`, `href="#schema-Hit"`, "<code>per_page</code>",
		"one of organization, country, region, topic, type, year, published_year", "X-Request-Id", "Retry-After"} {
		if !strings.Contains(page, want) {
			t.Errorf("GET /api lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "cdn") {
		t.Errorf("GET /api holds inline script or a CDN reference")
	}
}

// TestOpenAPIValidatorCatches: the check that guards every test fails on an
// answer that drifts from the document, on a request the document calls
// invalid that is answered 200, and on an undocumented status.
func TestOpenAPIValidatorCatches(t *testing.T) {
	hdr := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"abc"}, "Cache-Control": {"no-cache"}}
	req := httptest.NewRequest("GET", "/api/v1/status", nil)
	good := `{"version":"v","generation":null,"last_job":null,"degraded":false}`
	if err := apiValidator.Check(req, 200, hdr, []byte(good), true); err != nil {
		t.Fatalf("a good status answer: %v", err)
	}
	for name, tc := range map[string]struct {
		target string
		status int
		header http.Header
		body   string
	}{
		"extra field":          {"/api/v1/status", 200, hdr, `{"version":"v","generation":null,"last_job":null,"degraded":false,"surprise":1}`},
		"missing field":        {"/api/v1/status", 200, hdr, `{"version":"v","generation":null,"last_job":null}`},
		"no request id":        {"/api/v1/status", 200, http.Header{"Content-Type": {"application/json"}}, good},
		"undocumented status":  {"/api/v1/status", 418, hdr, good},
		"invalid request, 200": {"/api/v1/search?per_page=1000", 200, hdr, `{}`},
		"bad error body":       {"/api/v1/nope", 404, hdr, `{"message":"no"}`},
		"unknown path, 200":    {"/api/v1/nope", 200, hdr, `{}`},
	} {
		req := httptest.NewRequest("GET", tc.target, nil)
		if err := apiValidator.Check(req, tc.status, tc.header, []byte(tc.body), true); err == nil {
			t.Errorf("%s: no violation reported", name)
		}
	}
}

// TestJSONAccessLog: with a JSON handler, the access line of an API request
// carries its request id (the client's, when sane, also echoed in
// X-Request-Id), the generation that answered, the status and the duration.
func TestJSONAccessLog(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := MustServer(t, Config{Logger: log}, MustCoverageFolder(t), nil, nil).Handler()
	rec := do(t, h, "GET", "/api/v1/search?q=container", nil, "X-Request-Id", "req-42")
	if rec.Code != 200 || rec.Header().Get("X-Request-Id") != "req-42" {
		t.Fatalf("GET = %d, X-Request-Id %q", rec.Code, rec.Header().Get("X-Request-Id"))
	}
	var line struct {
		Msg        string  `json:"msg"`
		RequestID  string  `json:"request_id"`
		Generation string  `json:"generation"`
		Status     int     `json:"status"`
		Duration   float64 `json:"duration"`
	}
	found := false
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, l)
		}
		if line.Msg == "request" {
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("no access line:\n%s", logs.String())
	}
	if line.RequestID != "req-42" || line.Generation == "" || line.Generation != rec.Header().Get("X-Inlsearch-Generation") || line.Status != 200 || line.Duration <= 0 {
		t.Errorf("access line = %+v, want request_id req-42, the generation %q, status 200, a duration", line, rec.Header().Get("X-Inlsearch-Generation"))
	}
}
