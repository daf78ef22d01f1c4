package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/inlsearch/inlsearch/corpus/pdfgen"
)

// encryptedPDF needs a user password to open.
func encryptedPDF(tb testing.TB) []byte {
	tb.Helper()
	f := fpdf.New("P", "pt", "Letter", "")
	f.SetProtection(fpdf.CnProtectPrint, "secret", "owner")
	f.AddPage()
	f.SetFont("Helvetica", "", 11)
	f.Text(72, 72, "Locked report text")
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// scannedPDF has a page drawn from an image, without a text layer.
func scannedPDF() []byte {
	img := strings.Repeat("\x80", 64*64)
	return rawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", "q 612 0 0 792 0 0 cm /Im1 Do Q"),
		stream("/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8", img),
	)
}

// emptyPagesPDF has n pages with nothing on them.
func emptyPagesPDF(n int) []byte {
	kids := make([]string, n)
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", i+3)
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return rawPDF(objs...)
}

// nestedPDF hides an array nested depth deep in the page dictionary.
func nestedPDF(depth int) []byte {
	deep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	return rawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Deep "+deep+" /Contents 4 0 R >>",
		stream("", "BT /F1 11 Tf 72 700 Td (deep) Tj ET"),
	)
}

// cyclicOutlinePDF's outline entry is its own first child and next sibling.
func cyclicOutlinePDF() []byte {
	return rawPDF(
		"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", "BT /F1 11 Tf 72 700 Td (A page under a looping outline.) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
		"<< /Title (Loop) /Parent 6 0 R /First 7 0 R /Next 7 0 R /Dest [3 0 R /Fit] >>",
	)
}

func TestRunnerHostile(t *testing.T) {
	good := MustSiteFiles(t)[pdfgen.ReportPath]
	for _, c := range []struct {
		name string
		data []byte
		want []string // acceptable reasons
	}{
		{"encrypted", encryptedPDF(t), []string{ReasonEncrypted}},
		{"truncated", good[:len(good)/2], []string{ReasonCorrupt}},
		{"not a pdf", []byte("<html><body>Not found</body></html>"), []string{ReasonNotPDF}},
		{"empty", nil, []string{ReasonNotPDF}},
		{"scanned", scannedPDF(), []string{ReasonNoText}},
		{"10000 empty pages", emptyPagesPDF(10000), []string{ReasonTooManyPages}},
		{"unterminated array", append([]byte("%PDF-1.4\n1 0 obj\n<< /Kids [1 0 R "), bytes.Repeat([]byte("["), 1000)...), []string{ReasonCorrupt}},
		{"unterminated hex string", []byte("%PDF-1.4\n1 0 obj\n<< /Title <48656c6c6f"), []string{ReasonCorrupt}},
		{"huge size", bytes.Replace(textPDF("small"), []byte("/Size 6"), []byte("/Size 999999999"), 1), []string{""}}, // the reader ignores /Size
		{"deeply nested", nestedPDF(2_000_000), []string{ReasonCorrupt, ReasonCrashed}},
		{"decompression bomb", pdfgen.Bomb(1 << 30), []string{ReasonMemoryLimit, ReasonTimeout}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Runner{Timeout: 20 * time.Second, MemLimit: 256 << 20}
			doc, err := r.Extract(context.Background(), c.data)
			got := ReasonOf(err)
			for _, w := range c.want {
				if got == w {
					return
				}
			}
			t.Errorf("Extract = %v, %v; want a reason among %q", doc != nil, err, c.want)
		})
	}
}

func TestRunnerCyclicOutline(t *testing.T) {
	doc, err := Runner{Timeout: 20 * time.Second}.Extract(context.Background(), cyclicOutlinePDF())
	if err != nil {
		t.Fatalf("Extract = %v", err)
	}
	if len(doc.Passages) != 1 || doc.Passages[0].Headings[0] != "Loop" {
		t.Errorf("passages = %+v, want one under Loop", doc.Passages)
	}
}

func TestRunnerGood(t *testing.T) {
	doc, err := Runner{}.Extract(context.Background(), MustSiteFiles(t)[pdfgen.ReportPath])
	if err != nil {
		t.Fatalf("Extract = %v", err)
	}
	if len(find(doc, "mangrove checkpoint")) != 1 {
		t.Errorf("child's document lacks the page 6 phrase: %+v", doc.Passages)
	}
}

func TestRunnerTimeout(t *testing.T) {
	// A child that never answers.
	exe := filepath.Join(t.TempDir(), "stall")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := Runner{Exe: exe, Timeout: 200 * time.Millisecond}
	_, err := r.Extract(context.Background(), []byte("%PDF-1.4"))
	if got := ReasonOf(err); got != ReasonTimeout {
		t.Errorf("Extract = %v, want %s", err, ReasonTimeout)
	}
}

func TestChildDeath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ stderr, want string }{
		{"fatal error: runtime: out of memory\n", ReasonMemoryLimit},
		{"runtime: goroutine stack exceeds 67108864-byte limit\nfatal error: stack overflow\n", ReasonCrashed},
		{"fatal error: too many address space collisions for -race mode\n", ReasonMemoryLimit},
		{"", ReasonCrashed},
	} {
		if got := ReasonOf(childDeath(errors.New("exit status 2"), c.stderr)); got != c.want {
			t.Errorf("childDeath(%q) = %q, want %q", c.stderr, got, c.want)
		}
	}
}

func TestExtractManyEmptyPages(t *testing.T) {
	t.Parallel()
	// Allowed that many pages, 10,000 empty ones are read (one walk of the
	// page tree) and found to hold no text.
	_, err := Extract(emptyPagesPDF(10000), Options{MaxPages: 20000})
	if got := ReasonOf(err); got != ReasonNoText {
		t.Errorf("Extract = %v, want %s", err, ReasonNoText)
	}
}
