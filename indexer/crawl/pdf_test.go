package crawl

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestCrawlPDFs(t *testing.T) {
	t.Parallel()
	const htmlLimit, pdfLimit = 16 << 10, 64 << 10
	// Bytes that are no valid UTF-8 must reach the caller as served.
	doc := append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte("x"), 2*htmlLimit)...)
	small := doc[:100]
	pdfBody := func(ctype string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.Write(body)
		}
	}
	s := MustSite(t, map[string]http.HandlerFunc{
		"/": htmlPage("/report.pdf", "/Download.PDF", "/file.bin", "/labelled", "/sniffed", "/sniffed-big",
			"/huge.pdf", "/endless.pdf", "/bomb.pdf", "/big.html"),
		"/report.pdf":   pdfBody("application/pdf", doc),
		"/Download.PDF": pdfBody("application/octet-stream", doc),
		"/file.bin":     pdfBody("application/octet-stream", []byte("\x00\x01binary")),
		"/labelled":     pdfBody("application/x-pdf", doc),
		"/sniffed":      pdfBody("text/html", small),
		"/sniffed-big":  pdfBody("text/html", doc),
		"/huge.pdf": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Length", "10737418240")
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, "%PDF-1.4")
		},
		"/endless.pdf": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			chunk := bytes.Repeat([]byte("0 0 0 "), 1000)
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
		"/bomb.pdf": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBomb(t, 1))
		},
		"/big.html": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>", strings.Repeat("<p>words</p>", htmlLimit/8))
		},
	})
	cfg := fastConfig()
	cfg.MaxBodyBytes, cfg.MaxPDFBytes = htmlLimit, pdfLimit
	rep, col := MustCrawl(t, cfg, s.URL("/"))
	for _, p := range []string{"/report.pdf", "/Download.PDF", "/labelled", "/sniffed"} {
		pg, want := col.get(s.URL(p)), doc
		if p == "/sniffed" {
			want = small
		}
		if pg == nil {
			t.Errorf("%s not handed over; failures %+v", p, rep.Failures)
			continue
		}
		if pg.ContentType != PDFType || !bytes.Equal(pg.Body, want) || pg.Truncated {
			t.Errorf("%s: ContentType %q, %d bytes (as served: %v), truncated %v; want the PDF whole",
				p, pg.ContentType, len(pg.Body), bytes.Equal(pg.Body, want), pg.Truncated)
		}
	}
	wantFailure(t, rep, s.URL("/file.bin"), ReasonUnsupportedType)
	wantFailure(t, rep, s.URL("/sniffed-big"), ReasonPDFTooLarge) // behind an HTML label, cut at the HTML limit
	wantFailure(t, rep, s.URL("/huge.pdf"), ReasonPDFTooLarge)
	wantFailure(t, rep, s.URL("/endless.pdf"), ReasonPDFTooLarge)
	wantFailure(t, rep, s.URL("/bomb.pdf"), ReasonPDFTooLarge)
	if pg := col.get(s.URL("/big.html")); pg == nil || !pg.Truncated {
		t.Errorf("/big.html = %+v, want truncated at the HTML limit", pg)
	}
	for _, h := range s.log() {
		if h.path == "/" {
			if got := h.header.Get("Accept"); !strings.Contains(got, "application/pdf") {
				t.Errorf("Accept = %q, want application/pdf named", got)
			}
		}
	}
}
