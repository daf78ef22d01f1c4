package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	lpdf "github.com/ledongthuc/pdf"
)

// Reasons a PDF yields no passages, as they appear in a crawl summary.
const (
	ReasonEncrypted    = "pdf_encrypted"      // needs a password, or an encryption we cannot read
	ReasonCorrupt      = "pdf_corrupt"        // truncated, broken cross-references, unreadable pages
	ReasonNotPDF       = "pdf_not_pdf"        // no %PDF- header: not a PDF at all
	ReasonNoText       = "pdf_no_text"        // no text layer (a scan) or only empty pages
	ReasonTooLarge     = "pdf_too_large"      // more bytes than the limit
	ReasonTooManyPages = "pdf_too_many_pages" // more pages than Options.MaxPages
	ReasonTimeout      = "pdf_timeout"        // extraction took longer than its deadline
	ReasonMemoryLimit  = "pdf_memory_limit"   // the extraction ran out of its memory allowance
	ReasonCrashed      = "pdf_crashed"        // the extraction process died (stack overflow, fatal error)
)

// Error is a PDF that could not be extracted, with its reason.
type Error struct {
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

func (e *Error) Unwrap() error { return e.Err }

func fail(reason string, format string, args ...any) *Error {
	return &Error{Reason: reason, Err: fmt.Errorf(format, args...)}
}

// ReasonOf returns the reason of a *Error in err's chain, or "" when there is none.
func ReasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// Document is what Extract finds in a PDF.
type Document struct {
	// Title comes from the outline (a single top entry over the chapters),
	// else the largest lines of the first page, else the document
	// information's /Title.
	Title string `json:"title"`
	// Published is a date stated on the first page, else the document
	// information's /CreationDate; zero when neither gives one.
	Published time.Time `json:"published,omitzero"`
	// Pages is the number of pages.
	Pages int `json:"pages"`
	// Passages are in document order.
	Passages []Passage `json:"passages"`
}

// Passage is the text of one section of a document on one page: a section
// running over three pages gives three passages with the same headings, so
// that each hit can link to its page.
type Passage struct {
	Page     int      `json:"page"`     // 1-based page the text is on
	Headings []string `json:"headings"` // chapter first, then headings inside it
	Text     string   `json:"text"`
}

// Options bound an extraction.
type Options struct {
	// MaxPages is the most pages a document may have, default 5000.
	MaxPages int
}

func (o Options) withDefaults() Options {
	if o.MaxPages <= 0 {
		o.MaxPages = 5000
	}
	return o
}

// Extract reads the PDF in data in this process. It recovers from the
// library's panics but not from a fatal out-of-memory or stack overflow: run
// it through a Runner on untrusted input.
func Extract(data []byte, opt Options) (doc *Document, err error) {
	opt = opt.withDefaults()
	if !isPDF(data) {
		return nil, fail(ReasonNotPDF, "no %%PDF- header")
	}
	defer func() {
		if v := recover(); v != nil {
			doc, err = nil, fail(ReasonCorrupt, "read: %v", v)
		}
	}()
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, lpdf.ErrInvalidPassword) || bytes.Contains(data, []byte("/Encrypt")) {
			return nil, &Error{Reason: ReasonEncrypted, Err: err}
		}
		return nil, &Error{Reason: ReasonCorrupt, Err: err}
	}
	n := r.NumPage()
	switch {
	case n > opt.MaxPages:
		return nil, fail(ReasonTooManyPages, "%d pages, more than %d", n, opt.MaxPages)
	case n <= 0:
		return nil, fail(ReasonCorrupt, "no pages")
	}
	leaves := pageList(r, opt.MaxPages)
	if len(leaves) == 0 {
		return nil, fail(ReasonCorrupt, "no page in the page tree")
	}
	n = len(leaves)
	pages, bad := readPages(leaves)
	if bad > 0 && bad*2 >= n {
		return nil, fail(ReasonCorrupt, "%d of %d pages unreadable", bad, n)
	}
	removeRunning(pages)
	doc = &Document{Pages: n}
	outline := readOutline(r, leaves)
	doc.Passages = passages(pages, outline)
	if len(doc.Passages) == 0 {
		return nil, fail(ReasonNoText, "no text on %d pages", n)
	}
	info := r.Trailer().Key("Info")
	doc.Title = title(outline, pages, info.Key("Title").Text())
	doc.Published = published(pages, info.Key("CreationDate").Text())
	return doc, nil
}

// isPDF looks for the %PDF- header in the first KiB, where readers accept it.
func isPDF(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// pageList walks the page tree once, in order, and returns its pages, at
// most limit of them; a node met twice (a cyclic tree) is not walked again.
// (The library's Page(i) walks the tree from its root for every page, which
// is quadratic on the flat trees many writers produce.)
func pageList(r *lpdf.Reader, limit int) []lpdf.Value {
	var out []lpdf.Value
	seen := map[string]bool{}
	var walk func(v lpdf.Value, depth int)
	walk = func(v lpdf.Value, depth int) {
		if len(out) >= limit || depth > 64 || v.Kind() != lpdf.Dict {
			return
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || (kids.IsNull() && !v.Key("Contents").IsNull()) {
			out = append(out, v)
			return
		}
		k := v.String()
		if seen[k] {
			return
		}
		seen[k] = true
		for i := 0; i < kids.Len() && len(out) < limit; i++ {
			walk(kids.Index(i), depth+1)
		}
	}
	walk(r.Trailer().Key("Root").Key("Pages"), 0)
	return out
}

// readPages reads the lines of every page; bad counts pages that failed.
func readPages(leaves []lpdf.Value) (pages []*page, bad int) {
	pages = make([]*page, len(leaves))
	for i, v := range leaves {
		p, err := readPage(lpdf.Page{V: v}, i+1)
		if err != nil {
			bad++
			p = &page{num: i + 1}
		}
		pages[i] = p
	}
	return pages, bad
}

func readPage(pg lpdf.Page, num int) (p *page, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("page %d: %v", num, v)
		}
	}()
	if pg.V.IsNull() {
		return &page{num: num}, nil
	}
	height := 792.0
	if box := inherited(pg.V, "MediaBox"); box.Len() == 4 {
		if h := box.Index(3).Float64() - box.Index(1).Float64(); h > 0 {
			height = h
		}
	}
	var gs []glyph
	for _, t := range pg.Content().Text {
		gs = append(gs, glyph{x: t.X, y: t.Y, w: t.W, size: t.FontSize, font: t.Font, s: t.S})
	}
	return layout(num, height, gs), nil
}

// normalizeSpace collapses runs of white space.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// inherited looks key up on a page and its ancestors, a bounded number of
// them (a hostile page tree may be cyclic).
func inherited(v lpdf.Value, key string) lpdf.Value {
	for range 32 {
		if v.IsNull() {
			break
		}
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return lpdf.Value{}
}
