package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/pdf"
	"github.com/inlsearch/inlsearch/internal/apitest"
	"github.com/inlsearch/inlsearch/web"
)

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	pdf.ServeChild() // in-process crawls extract PDFs in children of this test binary
	// Every exchange of these tests with the API (http.Get, DefaultClient,
	// the puller) is checked against the OpenAPI document.
	v, err := apitest.New(web.OpenAPI())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	apiValidator = v
	var violations apitest.Recorder
	http.DefaultTransport = v.Transport(http.DefaultTransport, violations.Report)
	wrapTransport = func(rt http.RoundTripper) http.RoundTripper { return v.Transport(rt, violations.Report) }
	code := m.Run()
	for _, err := range violations.Errors() {
		fmt.Fprintf(os.Stderr, "openapi: an API exchange disagrees with the document: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// apiValidator checks every API exchange of these tests (TestMain).
var apiValidator *apitest.Validator

// notInlsearch tells the API check that the server at rawURL is a test's
// stand-in for a foreign server, whose answers owe nothing to the document.
func notInlsearch(tb testing.TB, rawURL string) {
	tb.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(apiValidator.Ignore(u.Host))
}

// mustBinary builds the inlsearch binary once per test run and returns its
// path, for the tests that kill or signal a real process.
func mustBinary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "inlsearch-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "inlsearch")
		gobin, err := exec.LookPath("go")
		if err != nil {
			binErr = err
			return
		}
		out, err := exec.Command(gobin, "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = &buildError{err: err, out: string(out)}
		}
	})
	if binErr != nil {
		tb.Fatalf("go build: %v", binErr)
	}
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// TestVersion: `inlsearch version` names the release, the commit and the Go
// release that built it.
func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &out, &errb); code != 0 {
		t.Fatalf("version exited %d: %s", code, errb.String())
	}
	got := out.String()
	for _, want := range []string{"inlsearch " + version + "\n", "commit    ", "go        " + runtime.Version()} {
		if !strings.Contains(got, want) {
			t.Errorf("version output lacks %q:\n%s", want, got)
		}
	}
}
