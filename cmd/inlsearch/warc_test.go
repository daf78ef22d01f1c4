package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
)

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if code := run(ctx, args, &out, &errb); code != 0 {
		t.Fatalf("inlsearch %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

// TestCrawlWARCImportServeSame: crawl the demo site with --warc, import the
// file into an empty data folder: both serve the same passages.
func TestCrawlWARCImportServeSame(t *testing.T) {
	site := httptest.NewServer(corpus.Handler())
	t.Cleanup(site.Close)
	crawled, imported := t.TempDir(), t.TempDir()
	file := filepath.Join(t.TempDir(), "demo.warc.gz")
	out := mustRun(t, "crawl", "--data", crawled, "--seed", site.URL+"/", "--delay", "1ms", "--warc", file, "--log-level", "error")
	if !strings.Contains(out, "archived:") {
		t.Errorf("crawl summary names no archive:\n%s", out)
	}
	out = mustRun(t, "import", "--data", imported, "--log-level", "error", file)
	if !strings.Contains(out, "published generation") || !strings.Contains(out, "record_type") {
		t.Errorf("import summary:\n%s", out)
	}
	if a, b := servedFingerprint(t, crawled), servedFingerprint(t, imported); a != b {
		t.Errorf("crawl and import serve different passages:\n%.300s\n%.300s", a, b)
	}
	if _, err := os.Stat(filepath.Join(imported, "last-job.json")); err != nil {
		t.Errorf("import wrote no last-job.json: %v", err)
	}
}

// TestSampleWARC: the bundled sample archive imports into an empty folder.
func TestSampleWARC(t *testing.T) {
	data := t.TempDir()
	out := mustRun(t, "import", "--data", data, "--log-level", "error", filepath.Join(repoRoot(t), "corpus", "warc", "demo-site.warc.gz"))
	if !strings.Contains(out, "published generation") {
		t.Fatalf("import:\n%s", out)
	}
	out = mustRun(t, "search", "--data", data, "--format", "json", "precursor chemicals")
	var res struct {
		Total int
		Hits  []struct{ URL string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total == 0 || !strings.Contains(res.Hits[0].URL, "/precursor-chemical-control/") {
		t.Errorf("search the imported sample: %v %+v", err, res)
	}
	// The sample holds the demo site's PDFs: a hit links to its page.
	out = mustRun(t, "search", "--data", data, "--format", "json", `"Puerto Castilla"`)
	res.Hits = nil
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].URL, ".pdf#page=") {
		t.Errorf("search a PDF of the imported sample: %v %+v", err, res)
	}
}

func TestImportUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"import", "--data", t.TempDir()}, &out, &errb); code != 2 {
		t.Errorf("import without files: exit %d, want 2", code)
	}
	errb.Reset()
	missing := filepath.Join(t.TempDir(), "none.warc")
	if code := run(context.Background(), []string{"import", "--data", t.TempDir(), missing}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "none.warc") {
		t.Errorf("import of a missing file: exit %d, %s", code, errb.String())
	}
}

// inlSite simulates www.state.gov and 2009-2017.state.gov on loopback with
// their URL layout (pages of our own) and logs every path requested.
type inlSite struct {
	mu   sync.Mutex
	reqs map[string]bool
}

func (s *inlSite) requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for p := range s.reqs {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (s *inlSite) handler(host string, pages map[string][]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs[host+r.URL.RequestURI()] = true
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			return
		}
		if strings.HasSuffix(r.URL.Path, ".pdf") {
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = w.Write([]byte("%PDF-1.4\n%%EOF\n"))
			return
		}
		links, ok := pages[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>%[1]s</title></head><body><main><h1>%[1]s</h1>
<p>The Bureau of International Narcotics and Law Enforcement Affairs supports police training and counternarcotics programs with partner governments.</p>`, r.URL.Path)
		for _, l := range links {
			fmt.Fprintf(w, `<p><a href="%s">%s</a></p>`, l, l)
		}
		fmt.Fprint(w, `</main></body></html>`)
	})
}

// TestINLConfigScope crawls a simulated state.gov and its 2009-2017 archive
// with configs/inl.json: only in-scope pages and the documents they link
// are requested.
func TestINLConfigScope(t *testing.T) {
	s := &inlSite{reqs: map[string]bool{}}
	www := httptest.NewServer(s.handler("www", map[string][]string{
		"/bureau-of-international-narcotics-and-law-enforcement-affairs/": {
			"/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/",
			"/international-narcotics-control-strategy-reports/",
			"/inl-work-in-the-field-of-corrections/",
			"/visas/", "/travel-advisories/", "/press-briefings/", "/",
			"/bureau-of-international-narcotics-and-law-enforcement-affairs/feed/",
			"/bureau-of-international-narcotics-and-law-enforcement-affairs/?s=search",
		},
		"/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/": {
			"/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/mexico-summary/",
			"/countries-areas/mexico/",
		},
		"/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/mexico-summary/": {
			"/wp-content/uploads/2024/03/Mexico-INL-Fact-Sheet.pdf", "/about-us/",
		},
		"/international-narcotics-control-strategy-reports/": {
			"/2024-international-narcotics-control-strategy-report/",
			"/wp-content/uploads/2024/03/2024-INCSR-Vol-1-Drug-and-Chemical-Control.pdf",
		},
		"/2024-international-narcotics-control-strategy-report/": {"/secretary/", "/wp-content/uploads/2024/03/2024-INCSR-Vol-2.pdf"},
		"/inl-work-in-the-field-of-corrections/":                 {},
		"/visas/":                                                {"/visas/apply/"},
		"/":                                                      {"/bureau-of-international-narcotics-and-law-enforcement-affairs/"},
		"/travel-advisories/":                                    {}, "/press-briefings/": {},
	}))
	t.Cleanup(www.Close)
	archive := httptest.NewServer(s.handler("archive", map[string][]string{
		"/j/inl/":                      {"/j/inl/rls/nrcrpt/2016/", "/j/inl/focus/index.htm", "/r/pa/prs/ps/2016/index.htm", "/j/ct/", "/"},
		"/j/inl/rls/nrcrpt/2016/":      {"/documents/organization/253655.pdf", "/j/inl/rls/nrcrpt/2016/vol1/"},
		"/j/inl/rls/nrcrpt/2016/vol1/": {},
		"/j/inl/focus/index.htm":       {},
	}))
	t.Cleanup(archive.Close)

	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "configs", "inl.json"))
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.NewReplacer("https://www.state.gov", www.URL, "https://2009-2017.state.gov", archive.URL).Replace(string(raw))
	var check map[string]any
	if err := json.Unmarshal([]byte(conf), &check); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "inl.json")
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "crawl", "--config", file, "--data", t.TempDir(), "--delay", "1ms", "--log-level", "error")

	want := []string{
		"www/robots.txt", "archive/robots.txt",
		"www/bureau-of-international-narcotics-and-law-enforcement-affairs/",
		"www/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/",
		"www/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/mexico-summary/",
		"www/international-narcotics-control-strategy-reports/",
		"www/2024-international-narcotics-control-strategy-report/",
		"www/inl-work-in-the-field-of-corrections/",
		"www/wp-content/uploads/2024/03/Mexico-INL-Fact-Sheet.pdf",
		"www/wp-content/uploads/2024/03/2024-INCSR-Vol-1-Drug-and-Chemical-Control.pdf",
		"www/wp-content/uploads/2024/03/2024-INCSR-Vol-2.pdf",
		"archive/j/inl/", "archive/j/inl/rls/nrcrpt/2016/", "archive/j/inl/rls/nrcrpt/2016/vol1/",
		"archive/j/inl/focus/index.htm", "archive/documents/organization/253655.pdf",
	}
	got := s.requested()
	var extra []string
	for _, p := range got {
		if p == "www/sitemap.xml" || p == "archive/sitemap.xml" {
			continue // asked for by the crawler's sitemap discovery, not a page
		}
		if !contains(want, p) {
			extra = append(extra, p)
		}
	}
	if len(extra) > 0 {
		t.Errorf("requested outside the scope: %v", extra)
	}
	for _, p := range want {
		if !contains(got, p) {
			t.Errorf("in-scope %s not requested", p)
		}
	}
	for _, line := range []string{"not_included", "exclude */feed/", "exclude *?*"} {
		if !strings.Contains(out, line) {
			t.Errorf("summary lacks the skipped count of %q:\n%s", line, out)
		}
	}
}

// TestScopeFlags: rules that do not parse and seeds outside the scope are
// usage errors.
func TestScopeFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--seed", "http://127.0.0.1:1/", "--include", "no-slash"},
		{"--seed", "http://127.0.0.1:1/visas/", "--include", "/j/inl/"},
	} {
		var out, errb bytes.Buffer
		args = append([]string{"crawl", "--data", t.TempDir()}, args...)
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errb.String())
		}
	}
}
