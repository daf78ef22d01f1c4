package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/inlsearch/inlsearch/search"
)

// boilerMinPages is how many pages of one host must carry the very same
// passage for it to count as the site's boilerplate (a stock mission
// paragraph, a disclaimer) rather than content; boilerMinChars keeps short
// repeated lines out of the rule.
const (
	boilerMinPages = 3
	boilerMinChars = 120
)

// Boilerplate learns, over all the pages of a crawl, which passages recur word
// for word on at least three pages of one host. The extractor sees one page at
// a time and cannot tell a site's stock paragraph from content; across the
// crawl it shows. The zero value is ready to use.
type Boilerplate struct {
	pages map[string]int
}

// AddPage counts the passages of one page.
func (bp *Boilerplate) AddPage(docs []search.Document) {
	if bp.pages == nil {
		bp.pages = map[string]int{}
	}
	onPage := map[string]bool{}
	for _, d := range docs {
		if len(d.Text) < boilerMinChars {
			continue
		}
		k := boilerKey(d)
		if !onPage[k] {
			onPage[k] = true
			bp.pages[k]++
		}
	}
}

// Filter returns the passages of one page that are not boilerplate; it never
// empties a page.
func (bp *Boilerplate) Filter(docs []search.Document) []search.Document {
	out := make([]search.Document, 0, len(docs))
	for _, d := range docs {
		if len(d.Text) >= boilerMinChars && bp.pages[boilerKey(d)] >= boilerMinPages {
			continue
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return docs
	}
	return out
}

func boilerKey(d search.Document) string {
	host := ""
	if u, err := url.Parse(d.PageURL); err == nil {
		host = u.Host
	}
	h := sha256.Sum256([]byte(strings.Join(strings.Fields(strings.ToLower(d.Text)), " ")))
	return host + " " + hex.EncodeToString(h[:12])
}
