package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/inlsearch/inlsearch/corpus/pdfgen"
	"github.com/inlsearch/inlsearch/indexer/pdf"
)

// pdfReportPages is the length of the generated report whose extraction is
// timed: an INCSR volume runs to 300 pages and more.
const pdfReportPages = 300

// PDFStats are the figures of PDF text extraction on a generated report
// (pdfgen.LargeReport): in this process, and through the child process the
// crawler uses (pdf.Runner), which adds a process start and the copy of the
// file and the result.
type PDFStats struct {
	Pages          int     `json:"pages"`
	Bytes          int     `json:"bytes"`
	Passages       int     `json:"passages"`
	PagesPerS      float64 `json:"pages_per_s"`
	ChildPagesPerS float64 `json:"child_pages_per_s"`
	Failed         string  `json:"failed,omitempty"`
}

// pdfSide generates the report and times its extraction, once in process and
// once through a child process.
func pdfSide(ctx context.Context) (*PDFStats, error) {
	data, err := pdfgen.StrategyReport(pdfgen.LargeReport(pdfReportPages))
	if err != nil {
		return nil, fmt.Errorf("generate report: %w", err)
	}
	st := &PDFStats{Bytes: len(data)}
	t0 := time.Now()
	doc, err := pdf.Extract(data, pdf.Options{})
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	st.PagesPerS = round3(float64(doc.Pages) / time.Since(t0).Seconds())
	st.Pages, st.Passages = doc.Pages, len(doc.Passages)
	t0 = time.Now()
	if _, err := (pdf.Runner{}).Extract(ctx, data); err != nil {
		return nil, fmt.Errorf("extract in a child: %w", err)
	}
	st.ChildPagesPerS = round3(float64(doc.Pages) / time.Since(t0).Seconds())
	return st, nil
}

// writePDF writes the PDF line of the report.
func writePDF(w io.Writer, p *PDFStats) {
	if p == nil {
		return
	}
	if p.Failed != "" {
		fmt.Fprintf(w, "PDF extraction: not measured (%s).\n", p.Failed)
		return
	}
	fmt.Fprintf(w, "PDF extraction (generated report, %d pages, %d KB, %d passages): %.0f pages/s in process, %.0f pages/s through the crawler's child process.\n",
		p.Pages, p.Bytes>>10, p.Passages, p.PagesPerS, p.ChildPagesPerS)
}
