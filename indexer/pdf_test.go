package indexer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/inlsearch/inlsearch/corpus/pdfgen"
	"github.com/inlsearch/inlsearch/indexer/pdf"
)

// pdfSite serves an HTML page linking to good and hostile PDFs; the body of
// each path can be changed between crawls.
type pdfSite struct {
	srv  *httptest.Server
	mu   sync.Mutex
	docs map[string][]byte
	hits map[string]int // 200 answers by path
}

func MustPDFSite(tb testing.TB) *pdfSite {
	tb.Helper()
	files, err := pdfgen.SiteFiles()
	if err != nil {
		tb.Fatal(err)
	}
	report := files[pdfgen.ReportPath]
	s := &pdfSite{hits: map[string]int{}, docs: map[string][]byte{
		"/report.pdf":  report,
		"/budget.pdf":  files[pdfgen.BudgetPath],
		"/locked.pdf":  mustFpdf(tb, func(f *fpdf.Fpdf) { f.SetProtection(0, "secret", "owner") }, "Locked text"),
		"/blank.pdf":   mustFpdf(tb, nil, ""),
		"/cut.pdf":     report[:len(report)/2],
		"/notpdf.pdf":  []byte("<html><body>Sorry, this document moved.</body></html>"),
		"/nested.pdf":  append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("["), 3_000_000)...),
		"/page.html":   []byte(`<!doctype html><html lang="en"><head><title>Programs</title></head><body><main><h1>Country programs</h1><p>The bureau trains border police and customs officers, and supports prosecutors who bring cases against trafficking networks in the region.</p></main></body></html>`),
		"/octet.pdf":   files[pdfgen.FactSheetPath],
		"/robots.txt":  nil,
		"/favicon.ico": nil,
	}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

func mustFpdf(tb testing.TB, setup func(f *fpdf.Fpdf), text string) []byte {
	tb.Helper()
	f := fpdf.New("P", "pt", "Letter", "")
	if setup != nil {
		setup(f)
	}
	f.AddPage()
	if text != "" {
		f.SetFont("Helvetica", "", 11)
		f.Text(72, 72, text)
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func (s *pdfSite) url(p string) string { return s.srv.URL + p }

func (s *pdfSite) set(p string, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[p] = b
}

func (s *pdfSite) served(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[p]
}

func (s *pdfSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, ok := s.docs[r.URL.Path]
	var links []string
	for p := range s.docs {
		links = append(links, fmt.Sprintf(`<li><a href="%s">%s</a></li>`, p, p))
	}
	s.mu.Unlock()
	sort.Strings(links)
	switch {
	case r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>Documents</title></head><body><main><h1>Documents</h1><ul>%s</ul></main></body></html>`, strings.Join(links, ""))
		return
	case !ok || body == nil:
		http.NotFound(w, r)
		return
	}
	switch {
	case strings.HasSuffix(r.URL.Path, ".html"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	case r.URL.Path == "/octet.pdf":
		w.Header().Set("Content-Type", "application/octet-stream")
	default:
		w.Header().Set("Content-Type", "application/pdf")
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:6]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	_, _ = w.Write(body)
}

func TestCrawlPDFs(t *testing.T) {
	site := MustPDFSite(t)
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	run := func() *Summary {
		t.Helper()
		j := &Job{DataDir: dir, Seeds: []string{site.url("/")}, Crawl: testCrawl(), Now: clock.now,
			PDF: pdf.Runner{Timeout: 20 * time.Second, MemLimit: 256 << 20}}
		j.Crawl.RequestTimeout = 5 * time.Second
		sum, err := j.Run(context.Background())
		if err != nil {
			t.Fatalf("job: %v (summary %+v)", err, sum)
		}
		return sum
	}
	sum := run()
	for p, reason := range map[string]string{
		"/locked.pdf": pdf.ReasonEncrypted, "/blank.pdf": pdf.ReasonNoText, "/cut.pdf": pdf.ReasonCorrupt,
		"/notpdf.pdf": pdf.ReasonNotPDF, "/nested.pdf": pdf.ReasonCorrupt,
	} {
		got := ""
		for _, f := range sum.Failures {
			if f.URL == site.url(p) {
				got = f.Reason
			}
		}
		if got != reason {
			t.Errorf("%s failed with %q, want %q", p, got, reason)
		}
	}
	g := MustCurrent(t, dir)
	var hit *string
	for _, d := range g.byPage[site.url("/report.pdf")] {
		if strings.Contains(d.Text, "mangrove checkpoint at Puerto Castilla") {
			hit = &d.URL
			if !strings.HasSuffix(d.URL, "#page=6") || !strings.HasPrefix(d.Section, "Honduras") {
				t.Errorf("hit url %q section %q, want #page=6 under Honduras", d.URL, d.Section)
			}
			if d.Title != "International Narcotics Control Strategy Report" || d.Published.Year() != 2015 {
				t.Errorf("hit title %q published %v", d.Title, d.Published)
			}
			if !contains(d.Countries, "Honduras") {
				t.Errorf("hit countries %q, want Honduras tagged", d.Countries)
			}
		}
	}
	if hit == nil {
		t.Fatalf("report passages: %+v", g.byPage[site.url("/report.pdf")])
	}
	for _, p := range []string{"/budget.pdf", "/octet.pdf", "/page.html"} {
		if len(g.byPage[site.url(p)]) == 0 {
			t.Errorf("%s not indexed", p)
		}
	}

	// Unchanged: asked conditionally, 304, the same passages.
	clock.advance()
	before := site.served("/report.pdf")
	sum = run()
	if site.served("/report.pdf") != before || sum.NotModified == 0 || sum.Counts.Parsed != 0 {
		t.Errorf("second crawl: report served in full %v, %d not modified, %d parsed; want 304s and nothing parsed",
			site.served("/report.pdf") != before, sum.NotModified, sum.Counts.Parsed)
	}
	g2 := MustCurrent(t, dir)
	if a, b := len(g.byPage[site.url("/report.pdf")]), len(g2.byPage[site.url("/report.pdf")]); a != b {
		t.Errorf("report passages %d then %d after a 304", a, b)
	}

	// Broken on the next crawl: the last good passages are carried over, stale.
	clock.advance()
	site.set("/report.pdf", []byte("%PDF-1.4\ngarbage"))
	sum = run()
	if sum.FailReasons[pdf.ReasonCorrupt] < 2 {
		t.Errorf("fail reasons %v, want the report's pdf_corrupt too", sum.FailReasons)
	}
	g3 := MustCurrent(t, dir)
	docs := g3.byPage[site.url("/report.pdf")]
	if len(docs) != len(g.byPage[site.url("/report.pdf")]) || docs[0].StaleSince.IsZero() {
		t.Errorf("broken report: %d passages (stale since %v), want the %d of before, stale",
			len(docs), docs[0].StaleSince, len(g.byPage[site.url("/report.pdf")]))
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
