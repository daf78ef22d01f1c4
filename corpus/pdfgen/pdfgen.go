// Package pdfgen writes the demo site's PDF documents and larger reports for
// tests and benchmarks: a multi-chapter strategy report with an outline, a
// budget guide with a table, and a two-column fact sheet, in this project's
// own words. The output is deterministic (fixed dates, sorted catalog), so
// the files under corpus/site can be checked against a fresh run.
//
// It imports codeberg.org/go-pdf/fpdf and nothing of ours; package corpus
// serves the files it wrote and never imports it.
package pdfgen

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry in points (US Letter).
const (
	pageW      = 612.0
	margin     = 72.0
	bodyW      = pageW - 2*margin
	bodySize   = 11.0
	lineHeight = 14.0
)

// Chapter is one chapter of a report: its title (an outline entry) and its
// pages, each a list of paragraphs; a paragraph starting with "## " is a
// subheading.
type Chapter struct {
	Title string
	Pages [][]string
}

// Report describes a strategy report.
type Report struct {
	Title    string // document title, on the cover and in the document information
	Subtitle string
	Date     time.Time
	Header   string // running header on every page but the cover
	Chapters []Chapter
}

func newDoc(title string, date time.Time) *fpdf.Fpdf {
	f := fpdf.New("P", "pt", "Letter", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetTitle(title, true)
	f.SetAuthor("inlsearch demo site", true)
	f.SetProducer("inlsearch pdfgen", true)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, margin)
	return f
}

func output(f *fpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// StrategyReport writes r: a cover page, then each chapter from a new page
// with an outline entry, a running header and a page number in the footer.
func StrategyReport(r Report) ([]byte, error) {
	f := newDoc(r.Title, r.Date)
	f.SetHeaderFunc(func() {
		if f.PageNo() == 1 { // the cover
			return
		}
		f.SetFont("Helvetica", "I", 8)
		f.Text(margin, 40, r.Header)
	})
	f.SetFooterFunc(func() {
		if f.PageNo() == 1 {
			return
		}
		f.SetFont("Helvetica", "", 9)
		n := fmt.Sprint(f.PageNo())
		f.Text(pageW/2-f.GetStringWidth(n)/2, 760, n)
	})
	f.AddPage()
	f.SetFont("Helvetica", "B", 24)
	y := 220.0
	for _, line := range wrap(f, r.Title, bodyW, false) {
		f.Text(margin, y, line)
		y += 30
	}
	f.SetFont("Helvetica", "", 16)
	f.Text(margin, y+10, r.Subtitle)
	f.Text(margin, y+40, r.Date.Format("January 2006"))
	for _, ch := range r.Chapters {
		for i, paras := range ch.Pages {
			f.AddPage()
			y := margin + 10
			if i == 0 {
				f.Bookmark(ch.Title, 0, 0)
				f.SetFont("Helvetica", "B", 18)
				f.Text(margin, y+8, ch.Title)
				y += 40
			}
			y = paragraphs(f, paras, margin, y, bodyW)
			if y > 740 {
				return nil, fmt.Errorf("chapter %q page %d: text overflows the page", ch.Title, i+1)
			}
		}
	}
	return output(f)
}

// paragraphs sets paras in a column at x, from y, and returns the y after them.
func paragraphs(f *fpdf.Fpdf, paras []string, x, y, w float64) float64 {
	for _, p := range paras {
		if h, ok := strings.CutPrefix(p, "## "); ok {
			f.SetFont("Helvetica", "B", 12.5)
			y += 6
			f.Text(x, y, h)
			y += lineHeight + 4
			continue
		}
		f.SetFont("Helvetica", "", bodySize)
		for _, line := range wrap(f, p, w, true) {
			f.Text(x, y, line)
			y += lineHeight
		}
		y += 8
	}
	return y
}

// wrap breaks text into lines of at most w points; with hyphenate, a long
// word that does not fit is split with a hyphen at the line's end, as
// typeset reports do.
func wrap(f *fpdf.Fpdf, text string, w float64, hyphenate bool) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if f.GetStringWidth(try) <= w {
			line = try
			continue
		}
		if hyphenate && len(word) >= 9 && !strings.ContainsAny(word, "-/") {
			// the longest head of at least 4 letters that fits, leaving 4
			for cut := len(word) - 4; cut >= 4; cut-- {
				head := word[:cut] + "-"
				if line != "" {
					head = line + " " + head
				}
				if f.GetStringWidth(head) <= w {
					lines = append(lines, head)
					line = word[cut:]
					word = ""
					break
				}
			}
			if word == "" {
				continue
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// Row is one row of a budget table: a label and its amounts.
type Row struct {
	Label   string
	Amounts []string
	Heading bool // a group heading row (a region), set in bold without amounts
}

// BudgetGuide writes a program and budget guide: a title, an introduction and
// a table of amounts by country, with a running footer.
func BudgetGuide(title string, date time.Time, intro []string, columns []string, rows []Row) ([]byte, error) {
	f := newDoc(title, date)
	f.SetFooterFunc(func() {
		f.SetFont("Helvetica", "", 9)
		n := fmt.Sprintf("Program and Budget Guide   %d", f.PageNo())
		f.Text(pageW-margin-f.GetStringWidth(n), 760, n)
	})
	f.AddPage()
	f.SetFont("Helvetica", "B", 18)
	y := margin + 10.0
	for _, line := range wrap(f, title, bodyW, false) {
		f.Text(margin, y, line)
		y += 24
	}
	f.SetFont("Helvetica", "", 11)
	f.Text(margin, y, date.Format("January 2, 2006"))
	y = paragraphs(f, intro, margin, y+28, bodyW)
	labelW := 216.0
	colW := (bodyW - labelW) / float64(len(columns))
	head := func(y float64) float64 {
		f.SetFont("Helvetica", "B", 10)
		f.Text(margin, y, "Country or program")
		for i, c := range columns {
			x := margin + labelW + float64(i+1)*colW - f.GetStringWidth(c)
			f.Text(x, y, c)
		}
		f.Line(margin, y+4, pageW-margin, y+4)
		return y + lineHeight + 4
	}
	y = head(y + 4)
	for _, r := range rows {
		if y > 720 {
			f.AddPage()
			y = head(margin + 10)
		}
		if r.Heading {
			f.SetFont("Helvetica", "B", 10)
			f.Text(margin, y+4, r.Label)
			y += lineHeight + 4
			continue
		}
		f.SetFont("Helvetica", "", 10)
		f.Text(margin+8, y, r.Label)
		for i, a := range r.Amounts {
			x := margin + labelW + float64(i+1)*colW - f.GetStringWidth(a)
			f.Text(x, y, a)
		}
		y += lineHeight
	}
	return output(f)
}

// FactSheet writes a one-page fact sheet: a title across the page, then the
// paragraphs in two columns, the left one filled first.
func FactSheet(title string, date time.Time, left, right []string) ([]byte, error) {
	f := newDoc(title, date)
	f.AddPage()
	f.SetFont("Helvetica", "B", 18)
	y := margin + 10.0
	for _, line := range wrap(f, title, bodyW, false) {
		f.Text(margin, y, line)
		y += 24
	}
	f.SetFont("Helvetica", "I", 10)
	f.Text(margin, y, "Fact Sheet   "+date.Format("January 2, 2006"))
	y += 26
	gutter := 24.0
	colW := (bodyW - gutter) / 2
	yl := paragraphs(f, left, margin, y, colW)
	yr := paragraphs(f, right, margin+colW+gutter, y, colW)
	if max(yl, yr) > 740 {
		return nil, fmt.Errorf("fact sheet %q overflows the page", title)
	}
	return output(f)
}
