package extract

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// pageURLs gives each test page the address it would have been fetched from.
var pageURLs = map[string]string{
	"cms2012":    "https://www.example.gov/j/inl/focus/partnerships/index.htm",
	"table2005":  "http://2001-2009.example.gov/p/inl/rls/rpt/cbj/fy2006/c1234.htm",
	"uswds2020":  "https://2017-2021.example.gov/colombia-summary/index.html",
	"tdcell":     "http://www.example.gov/p/inl/rls/fs/141485.htm",
	"nosemantic": "https://www.example.gov/r/pa/prs/ps/2011/11/177788.htm",
	"embassy":    "https://xx.usembassy.example/inl-section/",
}

// golden is the JSON form of a Page kept in testdata.
type golden struct {
	Title     string    `json:"title"`
	Published string    `json:"published"`
	Lang      string    `json:"lang"`
	Links     []string  `json:"links"`
	Passages  []Passage `json:"passages"`
}

func toGolden(p *Page) golden {
	g := golden{Title: p.Title, Lang: p.Lang, Links: p.Links, Passages: p.Passages}
	if !p.Published.IsZero() {
		g.Published = p.Published.Format(time.DateOnly)
	}
	return g
}

// MustExtractFile extracts testdata/<name>.html with its test URL.
func MustExtractFile(tb testing.TB, name string) *Page {
	tb.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name+".html"))
	if err != nil {
		tb.Fatal(err)
	}
	u, ok := pageURLs[name]
	if !ok {
		tb.Fatalf("no URL for %s", name)
	}
	p, err := Extract(u, body)
	if err != nil {
		tb.Fatalf("Extract(%q) error: %v", u, err)
	}
	return p
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.html")
	if err != nil || len(files) < 3 {
		t.Fatalf("want at least 3 test pages, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		if _, ok := pageURLs[name]; !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			got := toGolden(MustExtractFile(t, name))
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			var want golden
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Extract(%s) mismatch (-want +got):\n%s", name, d)
			}
		})
	}
}
