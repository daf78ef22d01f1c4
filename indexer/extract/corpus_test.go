package extract_test

import (
	"flag"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"golang.org/x/text/encoding/charmap"
)

var dumpCorpus = flag.Bool("dumpcorpus", false, "print the extraction of every demo page")

// chrome are strings of the demo templates' navigation, banners and
// footers (read from corpus/templates, used here only): none may reach a
// passage.
var chrome = []string{
	"Careers with INL", "Subscribe to Updates", "No FEAR Act", "Office of the Historian",
	"Related Material", "Related Articles", "OpenID", "Diplomacy in Action", "Great Seal",
	"printable banner", "Here's how you know", "official website of the United States government",
	"Official websites use .gov", "ARCHIVED CONTENT", "Copy link", "Report a Vulnerability",
	"All Countries", "Accessibility Statement", "uses cookies",
	"Visa Waiver and ESTA", "Voting from Abroad", "Skip to content",
	"should not be construed", "do not constitute an endorsement",
}

// MustRenderUTF8 renders a demo page and decodes it to UTF-8 as the crawler would.
func MustRenderUTF8(tb testing.TB, path string) []byte {
	tb.Helper()
	body, ctype, err := corpus.Render(path)
	if err != nil {
		tb.Fatalf("Render(%q): %v", path, err)
	}
	if strings.Contains(strings.ToLower(ctype), "windows-1252") {
		if body, err = charmap.Windows1252.NewDecoder().Bytes(body); err != nil {
			tb.Fatalf("decode %q: %v", path, err)
		}
	}
	return body
}

func TestCorpusPages(t *testing.T) {
	pages, err := corpus.Pages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("corpus.Pages() is empty")
	}
	for _, pg := range pages {
		t.Run(strings.Trim(pg.Path, "/"), func(t *testing.T) {
			t.Parallel()
			u := "http://127.0.0.1:8099" + pg.Path
			p, err := extract.Extract(u, MustRenderUTF8(t, pg.Path))
			if err != nil {
				t.Fatalf("Extract(%q) error: %v", u, err)
			}
			if *dumpCorpus {
				var b strings.Builder
				fmt.Fprintf(&b, "=== %s\nTITLE %q (front matter %q)\nDATE %v (front matter %v)\n", pg.Path, p.Title, pg.Title, p.Published.Format("2006-01-02"), pg.Published.Format("2006-01-02"))
				for _, ps := range p.Passages {
					fmt.Fprintf(&b, "--- %q #%s\n%s\n", ps.Headings, ps.Anchor, ps.Text)
				}
				t.Log(b.String())
			}
			if len(p.Passages) == 0 {
				t.Fatalf("Extract(%q) gave no passage", u)
			}
			if p.Title == "" || strings.Contains(p.Title, "Department of State") && !strings.Contains(pg.Title, "Department of State") {
				t.Errorf("Extract(%q).Title = %q, want the page's own title (%q)", u, p.Title, pg.Title)
			}
			for _, ps := range p.Passages {
				text := strings.Join(append(ps.Headings, ps.Text), "\n")
				for _, c := range chrome {
					if strings.Contains(strings.ToLower(text), strings.ToLower(c)) {
						t.Errorf("Extract(%q): passage %q contains template text %q", u, ps.Headings, c)
					}
				}
			}
		})
	}
}

var rePartner = regexp.MustCompile(`<p><strong>([^<]+?):</strong>`)

// TestCorpusPartnerships checks that the demo partnerships page yields one
// passage per partner block, named by the partner.
func TestCorpusPartnerships(t *testing.T) {
	const path = "/j/inl/focus/partnerships/index.htm"
	body := MustRenderUTF8(t, path)
	var want []string
	for _, m := range rePartner.FindAllSubmatch(body, -1) {
		want = append(want, html.UnescapeString(string(m[1])))
	}
	if len(want) < 10 {
		t.Fatalf("found %d partner blocks in %s, the page changed?", len(want), path)
	}
	p, err := extract.Extract("http://127.0.0.1:8099"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, ps := range p.Passages {
		count[ps.Headings[len(ps.Headings)-1]]++
	}
	for _, name := range want {
		if count[name] != 1 {
			t.Errorf("Extract(%s): %d passages named %q, want 1", path, count[name], name)
		}
	}
}
