package tag_test

import (
	"testing"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
)

// BenchmarkTagPageDemo tags every gold page of the demo site as the crawl
// does (TagPage and Type); one iteration is the whole demo gold.
func BenchmarkTagPageDemo(b *testing.B) {
	tg := tag.MustNew()
	type pg struct {
		url  string
		page tag.Page
		text string
	}
	var pages []pg
	for _, g := range mustGold(b) {
		body, _, err := corpus.Render(g.Path)
		if err != nil {
			b.Fatal(err)
		}
		u := "http://127.0.0.1:8080" + g.Path
		p, err := extract.Extract(u, body)
		if err != nil {
			b.Fatal(err)
		}
		in := tag.Page{URL: u, Title: p.Title, Site: p.Site, Published: p.Published}
		text := ""
		for _, ps := range p.Passages {
			in.Passages = append(in.Passages, tag.PagePassage{Headings: ps.Headings, Text: ps.Text})
			text += ps.Text + "\n"
		}
		pages = append(pages, pg{u, in, text})
	}
	for b.Loop() {
		for _, p := range pages {
			tg.TagPage(p.page)
			tg.TypeOf(p.url, p.page.Title, p.page.Site, p.text)
		}
	}
}
