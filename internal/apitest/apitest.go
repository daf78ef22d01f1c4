// Package apitest checks HTTP exchanges with the server against its OpenAPI
// description (web/openapi.json), with kin-openapi's request and response
// validation. Tests wrap the server's handler (Handler) or their client's
// transport (Transport) with it, so that no API answer a test sees can
// drift from the document. It is imported by tests only.
package apitest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// maxBody caps the bytes of a response body that are checked; a longer
// body (a large export or generation file) is checked for its status and
// headers only.
const maxBody = 8 << 20

// Validator checks requests and responses against an OpenAPI document.
type Validator struct {
	doc    *openapi3.T
	routes []route
	others sync.Map // host:port of servers that are not inlsearch (Ignore)
	// one check at a time: kin-openapi compiles the JSON Schema of every
	// body it checks, and parallel tests checking at once would take the
	// CPU their servers' search deadlines need.
	mu sync.Mutex
}

// Ignore tells the transport that the server at host ("127.0.0.1:8080") is
// not inlsearch (a test's stand-in for a foreign server), until undo.
func (v *Validator) Ignore(host string) (undo func()) {
	v.others.Store(host, true)
	return func() { v.others.Delete(host) }
}

type route struct {
	path  string // the document's template, "/api/v1/documents/{id}"
	re    *regexp.Regexp
	names []string
	item  *openapi3.PathItem
}

// New loads and validates the OpenAPI document doc.
func New(doc []byte) (*Validator, error) {
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(doc)
	if err != nil {
		return nil, fmt.Errorf("load openapi: %w", err)
	}
	if err := t.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validate openapi: %w", err)
	}
	v := &Validator{doc: t}
	for _, p := range t.Paths.InMatchingOrder() {
		r, err := compileRoute(p)
		if err != nil {
			return nil, err
		}
		r.item = t.Paths.Value(p)
		v.routes = append(v.routes, r)
	}
	return v, nil
}

// Paths returns the document's path templates, with the methods of each
// ("GET /api/v1/documents/{id}").
func (v *Validator) Paths() []string {
	var out []string
	for _, r := range v.routes {
		for m := range r.item.Operations() {
			out = append(out, m+" "+r.path)
		}
	}
	slices.Sort(out)
	return out
}

var paramRE = regexp.MustCompile(`\{([^}/]+)\}`)

// compileRoute turns a path template into a regular expression. A
// parameter named "path" that ends the template matches across slashes
// (a file's path, as gin's *path).
func compileRoute(p string) (route, error) {
	r := route{path: p}
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, m := range paramRE.FindAllStringSubmatchIndex(p, -1) {
		b.WriteString(regexp.QuoteMeta(p[last:m[0]]))
		name := p[m[2]:m[3]]
		if name == "path" && m[1] == len(p) {
			b.WriteString("(.+)")
		} else {
			b.WriteString("([^/]+)")
		}
		r.names = append(r.names, name)
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(p[last:]))
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return r, fmt.Errorf("path %s: %w", p, err)
	}
	r.re = re
	return r, nil
}

// Covers reports whether exchanges on this URL path are checked: every path
// under /api/ (the page /api itself is HTML) and every path of the document.
func (v *Validator) Covers(path string) bool {
	if strings.HasPrefix(path, "/api/") {
		return true
	}
	_, _, ok := v.find(path)
	return ok
}

func (v *Validator) find(path string) (route, map[string]string, bool) {
	for _, r := range v.routes {
		m := r.re.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		params := make(map[string]string, len(r.names))
		for i, n := range r.names {
			params[n] = m[i+1]
		}
		return r, params, true
	}
	return route{}, nil, false
}

// Check validates one exchange: req as sent, and the status, header and
// body (complete when full) of its response. A request the document calls
// invalid must be refused with a documented 4xx; a path the document does
// not describe must answer a 404 or 405 error body.
func (v *Validator) Check(req *http.Request, status int, header http.Header, body []byte, full bool) error {
	if !v.Covers(req.URL.Path) {
		return nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	r, params, ok := v.find(req.URL.Path)
	var op *openapi3.Operation
	if ok {
		op = r.item.GetOperation(req.Method)
	}
	if op == nil {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed && status != http.StatusRequestURITooLong {
			return fmt.Errorf("%s %s: not in the document, yet answered %d", req.Method, req.URL.Path, status)
		}
		if req.Method == http.MethodHead || !full {
			return nil
		}
		return v.checkError(body)
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, SkipSettingDefaults: true}
	rin := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      &routers.Route{Spec: v.doc, Path: r.path, PathItem: r.item, Method: req.Method, Operation: op},
		Options:    opts,
	}
	if err := openapi3filter.ValidateRequest(ctx, rin); err != nil {
		if status < 400 || status >= 500 {
			return fmt.Errorf("%s %s: the document calls the request invalid, yet it was answered %d: %w", req.Method, req.URL, status, err)
		}
	}
	if !full {
		body = nil
		opts = &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, SkipSettingDefaults: true, ExcludeResponseBody: true}
		rin.Options = opts
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: rin, Status: status, Header: header, Options: opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("%s %s → %d: %w\nbody: %.400s", req.Method, req.URL, status, err, body)
	}
	return nil
}

// checkError validates body against the Error schema.
func (v *Validator) checkError(body []byte) error {
	s := v.doc.Components.Schemas["Error"]
	if s == nil {
		return errors.New("the document has no Error schema")
	}
	var val any
	if err := jsonUnmarshal(body, &val); err != nil {
		return fmt.Errorf("error body is not JSON: %w: %.200s", err, body)
	}
	if err := s.Value.VisitJSON(val, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("error body does not match Error: %w: %.200s", err, body)
	}
	return nil
}

// Recorder collects the violations of a test binary, for its TestMain.
type Recorder struct {
	mu   sync.Mutex
	errs []error
}

// Report records err (nil is ignored).
func (r *Recorder) Report(err error) {
	if err == nil {
		return
	}
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

// Errors returns the violations recorded so far.
func (r *Recorder) Errors() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.errs)
}

// Handler wraps h: every exchange it serves on a covered path is checked
// once answered, and a violation is passed to report.
func (v *Validator) Handler(h http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if !v.Covers(req.URL.Path) {
			h.ServeHTTP(w, req)
			return
		}
		// The request as the client sent it: handlers may change it.
		sent := req.Clone(req.Context())
		sent.Body = http.NoBody // request bodies are not described; the handler's is its own
		cw := &captureWriter{ResponseWriter: w}
		panicked := true
		defer func() {
			if panicked {
				return // an aborted answer (http.ErrAbortHandler) has no shape to check
			}
			status := cw.status
			if status == 0 {
				status = http.StatusOK
			}
			report(v.Check(sent, status, w.Header(), cw.body.Bytes(), !cw.overflow))
		}()
		h.ServeHTTP(cw, req)
		panicked = false
	})
}

// captureWriter passes an answer through and keeps a copy of it.
type captureWriter struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	overflow bool
}

func (w *captureWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.body.Len()+len(p) <= maxBody {
		w.body.Write(p)
	} else {
		w.overflow = true
	}
	return w.ResponseWriter.Write(p)
}

// Flush passes a flush through.
func (w *captureWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack passes a hijack through.
func (w *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijack not supported")
	}
	return hj.Hijack()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *captureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Transport wraps rt (nil: http.DefaultTransport as it is now): every
// exchange on a covered path is checked once its body is read, and a
// violation is passed to report and returned by RoundTrip.
func (v *Validator) Transport(rt http.RoundTripper, report func(error)) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &transport{v: v, rt: rt, report: report}
}

type transport struct {
	v      *Validator
	rt     http.RoundTripper
	report func(error)
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if _, other := t.v.others.Load(req.URL.Host); other || !t.v.Covers(req.URL.Path) {
		return t.rt.RoundTrip(req)
	}
	sent := req.Clone(req.Context())
	sent.Body = http.NoBody
	resp, err := t.rt.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if !isJSON(resp.Header.Get("Content-Type")) {
		// A file, a feed, a CSV: its status and headers are checked, and the
		// body is left to stream as it comes (a download may stall or resume).
		if verr := t.v.Check(sent, resp.StatusCode, resp.Header, nil, false); verr != nil {
			t.report(verr)
			resp.Body.Close()
			return nil, fmt.Errorf("openapi: %w", verr)
		}
		return resp, nil
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	full := rerr == nil && len(body) <= maxBody
	rest := resp.Body
	var tail io.Reader = rest
	if rerr != nil {
		tail = errReader{rerr}
	}
	resp.Body = readCloser{Reader: io.MultiReader(bytes.NewReader(body), tail), Closer: rest}
	if rerr != nil {
		return resp, nil // a broken answer: the test sees the break itself
	}
	if verr := t.v.Check(sent, resp.StatusCode, resp.Header, body, full); verr != nil {
		t.report(verr)
		resp.Body.Close()
		return nil, fmt.Errorf("openapi: %w", verr)
	}
	return resp, nil
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
