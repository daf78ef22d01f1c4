package indexer

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/pdf"
)

// PDFExtractor reads a PDF's passages. pdf.Runner, which extracts in a child
// process under a memory limit and a deadline, is the one to use on crawled
// documents. Its errors carry a pdf_… reason (pdf.ReasonOf).
type PDFExtractor interface {
	Extract(ctx context.Context, data []byte) (*pdf.Document, error)
}

// extractPDF reads a fetched PDF as a page whose passages link to their
// pages (#page=N). A PDF that cannot be read is recorded as a failure with
// its reason, as a fetch failure is.
func (b *builder) extractPDF(ctx context.Context, p *crawl.Page) (*extract.Page, error) {
	doc, err := b.pdf.Extract(ctx, p.Body)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		reason := pdf.ReasonOf(err)
		if reason == "" {
			reason = pdf.ReasonCrashed
		}
		b.mu.Lock()
		b.failed = append(b.failed, crawl.Failure{URL: p.URL, Reason: reason, Status: p.Status, Err: err})
		b.mu.Unlock()
		return nil, fmt.Errorf("pdf %s: %w", p.URL, err)
	}
	return PDFPage(p.URL, doc), nil
}

// PDFPage turns an extracted PDF into a page: each passage's anchor is
// "page=N", which browsers' PDF viewers open at that page. A document
// without a title is named by its file name.
func PDFPage(pageURL string, doc *pdf.Document) *extract.Page {
	page := &extract.Page{Title: doc.Title, Published: doc.Published}
	if page.Title == "" {
		page.Title = fileTitle(pageURL)
	}
	for _, ps := range doc.Passages {
		page.Passages = append(page.Passages, extract.Passage{
			Anchor:   "page=" + strconv.Itoa(ps.Page),
			Headings: ps.Headings,
			Text:     ps.Text,
		})
	}
	return page
}

func fileTitle(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return pageURL
	}
	name := strings.TrimSuffix(path.Base(u.Path), path.Ext(u.Path))
	if name == "" || name == "." || name == "/" {
		return u.Host
	}
	return strings.NewReplacer("-", " ", "_", " ").Replace(name)
}

// isDocumentReason tells the reasons of a document that was fetched but
// could not be read: the host answered, so they do not count against it.
func isDocumentReason(reason string) bool { return strings.HasPrefix(reason, "pdf_") }
