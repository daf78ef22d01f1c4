package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/inlsearch/inlsearch/corpus/pdfgen"
	"github.com/inlsearch/inlsearch/indexer"
)

// TestCrawlHostilePDFs runs the real binary over a site whose good pages sit
// beside hostile PDFs: each bad one ends with its reason, extraction children
// that die (out of memory) do not take the crawl with them, and the crawl
// publishes the good pages and exits 0.
func TestCrawlHostilePDFs(t *testing.T) {
	bin := mustBinary(t)
	files, err := pdfgen.SiteFiles()
	if err != nil {
		t.Fatal(err)
	}
	report := files[pdfgen.ReportPath]
	docs := map[string][]byte{
		"/report.pdf": report,
		"/locked.pdf": fpdfDoc(t, func(f *fpdf.Fpdf) { f.SetProtection(0, "secret", "owner") }, "Locked"),
		"/blank.pdf":  fpdfDoc(t, nil, ""),
		"/cut.pdf":    report[:len(report)/3],
		"/moved.pdf":  []byte("<html><body>This document has moved.</body></html>"),
		"/bomb.pdf":   pdfgen.Bomb(1 << 30),
	}
	want := map[string]string{
		"/locked.pdf": "pdf_encrypted", "/blank.pdf": "pdf_no_text", "/cut.pdf": "pdf_corrupt",
		"/moved.pdf": "pdf_not_pdf", "/bomb.pdf": "pdf_memory_limit",
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>Reports</title></head><body><main><h1>Reports</h1>
<p>The bureau publishes reports on counternarcotics programs, police training and the reform of justice sectors in partner countries every year.</p><ul>`)
			for p := range docs {
				fmt.Fprintf(w, `<li><a href="%s">%s</a></li>`, p, p)
			}
			fmt.Fprint(w, `</ul></main></body></html>`)
			return
		}
		b, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(b)
	}))
	t.Cleanup(site.Close)
	data := t.TempDir()
	cmd := exec.Command(bin, "crawl", "--data", data, "--seed", site.URL+"/", "--delay", "1ms",
		"--log-level", "error", "--pdf-timeout", "30s")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("crawl: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(data, "last-job.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum indexer.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range sum.Failures {
		got[strings.TrimPrefix(f.URL, site.URL)] = f.Reason
	}
	for p, reason := range want {
		if got[p] != reason {
			t.Errorf("%s ended %q, want %q\n%s", p, got[p], reason, out)
		}
	}
	if sum.Pages != 2 || sum.State != indexer.StateSucceeded {
		t.Errorf("state %s with %d pages, want the home page and the report\n%s", sum.State, sum.Pages, out)
	}
}

func fpdfDoc(tb testing.TB, setup func(f *fpdf.Fpdf), text string) []byte {
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
