package pdf

import (
	"testing"
	"time"
)

// FuzzExtract feeds mutated PDFs to the in-process extractor: it must not
// panic, a failure must carry a reason, and a document's passages must have
// text and lie on its pages. (A fatal stack overflow or out-of-memory found
// here is what the Runner's child process exists for; report it upstream.)
func FuzzExtract(f *testing.F) {
	for _, data := range MustSiteFiles(f) {
		f.Add(data)
	}
	f.Add(textPDF("The \x01rst \x02oor", "second line"))
	f.Add(scannedPDF())
	f.Add(cyclicOutlinePDF())
	f.Add(emptyPagesPDF(3))
	f.Add(nestedPDF(50))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Kids [1 0 R [[["))
	f.Fuzz(func(t *testing.T, data []byte) {
		type result struct {
			doc *Document
			err error
		}
		done := make(chan result, 1)
		go func() {
			doc, err := Extract(data, Options{MaxPages: 200})
			done <- result{doc, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Extract stalled (the Runner's deadline is what ends this in a crawl)")
		}
		doc, err := res.doc, res.err
		if err != nil {
			if ReasonOf(err) == "" {
				t.Fatalf("Extract error without a reason: %v", err)
			}
			return
		}
		if len(doc.Passages) == 0 {
			t.Fatal("Extract returned a document without passages")
		}
		for _, p := range doc.Passages {
			if p.Text == "" || p.Page < 1 || p.Page > doc.Pages {
				t.Fatalf("bad passage %+v of %d pages", p, doc.Pages)
			}
		}
	})
}
