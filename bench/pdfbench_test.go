package main

import (
	"context"
	"strings"
	"testing"
)

func TestPDFSide(t *testing.T) {
	st, err := pdfSide(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages != pdfReportPages+1 || st.Passages < pdfReportPages || st.PagesPerS <= 0 || st.ChildPagesPerS <= 0 {
		t.Errorf("pdfSide = %+v, want %d pages (a cover and the report), a passage or more a page, both rates", st, pdfReportPages+1)
	}
	var b strings.Builder
	writePDF(&b, st)
	if !strings.Contains(b.String(), "pages/s in process") {
		t.Errorf("writePDF = %q", b.String())
	}
}
