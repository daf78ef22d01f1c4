package eval

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
	"golang.org/x/net/html/charset"
)

// siteURL is the origin the demo pages are indexed under.
const siteURL = "http://demo.test"

// seen is the crawl time recorded on every passage.
var seen = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// MustIndexDemo indexes every page of the demo site as a crawl would
// (render, extract, tag, index) into a temporary index, and returns it with
// the documents it holds.
func MustIndexDemo(tb testing.TB) (*search.Index, []search.Document) {
	tb.Helper()
	tagger := tag.MustNew()
	pages, err := corpus.Pages()
	if err != nil {
		tb.Fatal(err)
	}
	var docs []search.Document
	var perPage [][]search.Document
	for _, p := range pages {
		body, ctype, err := corpus.Render(p.Path)
		if err != nil {
			tb.Fatalf("render %s: %v", p.Path, err)
		}
		if !strings.HasPrefix(ctype, "text/html") {
			continue
		}
		// decode a legacy charset as the crawler does (Content-Type first)
		enc, _, _ := charset.DetermineEncoding(body, ctype)
		if body, err = enc.NewDecoder().Bytes(body); err != nil {
			tb.Fatalf("decode %s: %v", p.Path, err)
		}
		u := siteURL + p.Path
		page, err := extract.Extract(u, body)
		if err != nil {
			tb.Fatalf("extract %s: %v", u, err)
		}
		perPage = append(perPage, indexer.Documents(tagger, u, page, false, seen))
	}
	// as the crawl job does: drop the site's stock passages
	var bp indexer.Boilerplate
	for _, pd := range perPage {
		bp.AddPage(pd)
	}
	for _, pd := range perPage {
		docs = append(docs, bp.Filter(pd)...)
	}
	ix, err := search.Create(tb.TempDir()+"/index", tagger.Vocabulary())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	if err := ix.Add(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	return ix, docs
}

// pagePath is the path of a passage's page on the demo site.
func pagePath(d *search.Document) string { return strings.TrimPrefix(d.PageURL, siteURL) }
