package pdf

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus/pdfgen"
)

func TestMain(m *testing.M) {
	ServeChild() // the Runner's children are this test binary
	os.Exit(m.Run())
}

// MustSiteFiles returns the demo site's PDFs, freshly generated.
func MustSiteFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := pdfgen.SiteFiles()
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func MustExtract(tb testing.TB, data []byte) *Document {
	tb.Helper()
	doc, err := Extract(data, Options{})
	if err != nil {
		tb.Fatalf("Extract = %v", err)
	}
	return doc
}

func find(doc *Document, phrase string) []Passage {
	var out []Passage
	for _, p := range doc.Passages {
		if strings.Contains(p.Text, phrase) {
			out = append(out, p)
		}
	}
	return out
}

func TestExtractReport(t *testing.T) {
	t.Parallel()
	doc := MustExtract(t, MustSiteFiles(t)[pdfgen.ReportPath])
	if doc.Title != "International Narcotics Control Strategy Report" {
		t.Errorf("Title = %q", doc.Title)
	}
	if want := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC); !doc.Published.Equal(want) {
		t.Errorf("Published = %v, want %v (the cover's March 2015)", doc.Published, want)
	}
	if doc.Pages != 10 {
		t.Errorf("Pages = %d, want 10", doc.Pages)
	}
	hits := find(doc, "mangrove checkpoint at Puerto Castilla")
	if len(hits) != 1 || hits[0].Page != 6 || len(hits[0].Headings) == 0 || hits[0].Headings[0] != "Honduras" {
		t.Fatalf("the phrase of page 6 of the Honduras chapter is in %+v", hits)
	}
	if got := strings.Join(hits[0].Headings, " › "); got != "Honduras › Maritime Security" {
		t.Errorf("headings = %q, want Honduras › Maritime Security", got)
	}
	for _, p := range doc.Passages {
		if strings.Contains(p.Text, "demo edition") {
			t.Errorf("running header left in page %d: %q", p.Page, p.Text)
		}
		if strings.HasSuffix(p.Text, " 3") || strings.HasPrefix(p.Text, "3 ") {
			t.Errorf("page number left in page %d: %q", p.Page, p.Text)
		}
		if p.Page >= 2 && p.Page <= 4 && p.Headings[0] != "Mexico" {
			t.Errorf("page %d is under %q, want Mexico", p.Page, p.Headings)
		}
	}
	// The generator hyphenates "marijuana" and "Cooperation" at line ends.
	for _, w := range []string{"heroin, methamphetamine and marijuana destined", "Cooperation under the Merida"} {
		if len(find(doc, w)) != 1 {
			t.Errorf("no passage holds %q: hyphenated word not joined", w)
		}
	}
}

func TestExtractTwoColumns(t *testing.T) {
	t.Parallel()
	doc := MustExtract(t, MustSiteFiles(t)[pdfgen.FactSheetPath])
	var heads []string
	for _, p := range doc.Passages {
		if len(p.Headings) > 0 {
			heads = append(heads, p.Headings[len(p.Headings)-1])
		}
	}
	if got, want := strings.Join(heads, ", "), "The Problem, The Program, Results, Our Support"; got != want {
		t.Errorf("sections in order %q, want %q (left column first)", got, want)
	}
	if len(find(doc, "Nearly all world trade travels in shipping containers, and only a small share of them is ever inspected.")) != 1 {
		t.Errorf("left column's first paragraph not read whole: %+v", doc.Passages)
	}
	if !strings.HasPrefix(doc.Title, "Container Control") || doc.Published.IsZero() {
		t.Errorf("Title = %q, Published = %v", doc.Title, doc.Published)
	}
}

func TestExtractTable(t *testing.T) {
	t.Parallel()
	doc := MustExtract(t, MustSiteFiles(t)[pdfgen.BudgetPath])
	rows := find(doc, "Mexico | 148,100 | 114,000 | 80,000")
	if len(rows) != 1 {
		t.Fatalf("table row not kept as cells: %+v", doc.Passages)
	}
	if got := rows[0].Headings[len(rows[0].Headings)-1]; got != "Western Hemisphere" {
		t.Errorf("row's heading = %q, want Western Hemisphere", got)
	}
	for _, p := range doc.Passages {
		if strings.Contains(p.Text, "Program and Budget Guide 1") {
			t.Errorf("footer left: %q", p.Text)
		}
	}
}

func TestExtractLigatures(t *testing.T) {
	t.Parallel()
	// Codes 1 and 2 draw the fi and fl ligature glyphs.
	doc := MustExtract(t, textPDF("The \x01rst \x02oor of the of\x01ce"))
	if got := doc.Passages[0].Text; got != "The first floor of the office" {
		t.Errorf("text = %q, want ligatures unfolded", got)
	}
	if got := unfold("e\ufb03cient \ufb02ow"); got != "efficient flow" {
		t.Errorf("unfold = %q", got)
	}
}

func TestExtractNoOutlineChapters(t *testing.T) {
	t.Parallel()
	// Chapter titles in a larger type than the section headings name the
	// chapters when there is no outline.
	data, err := pdfgen.StrategyReport(pdfgen.DemoReport())
	if err != nil {
		t.Fatal(err)
	}
	doc := MustExtract(t, stripOutline(t, data))
	hits := find(doc, "mangrove checkpoint")
	if len(hits) != 1 || hits[0].Page != 6 || hits[0].Headings[0] != "Honduras" {
		t.Errorf("without outline the phrase is in %+v", hits)
	}
}

// stripOutline makes the catalog's /Outlines entry unreadable by renaming it
// (same length, so the cross-reference table stays right).
func stripOutline(tb testing.TB, data []byte) []byte {
	tb.Helper()
	s := string(data)
	if !strings.Contains(s, "/Outlines") {
		tb.Fatal("no outline to strip")
	}
	return []byte(strings.ReplaceAll(s, "/Outlines", "/Xutlines"))
}

func TestJoinLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ a, b, want string }{
		{"inter-", "diction", "interdiction"},
		{"mid-", "and", "midand"},
		{"cross-", "Border", "cross- Border"},
		{"2014-", "15", "2014- 15"},
		{"end.", "Next", "end. Next"},
	} {
		if got := string(joinLine([]byte(c.a), c.b)); got != c.want {
			t.Errorf("joinLine(%q, %q) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}
