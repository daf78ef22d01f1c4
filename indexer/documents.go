package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// Documents turns an extracted page into tagged passage documents, first
// seen, last seen and changed at seen.
func Documents(t *tag.Tagger, pageURL string, page *extract.Page, truncated bool, seen time.Time) []search.Document {
	// The type classifier reads headings ("Challenges", "Goals") as cues, so
	// each passage's own heading goes on a line before its text.
	var full strings.Builder
	for _, p := range page.Passages {
		if n := len(p.Headings); n > 0 {
			full.WriteString(p.Headings[n-1])
			full.WriteString("\n")
		}
		full.WriteString(p.Text)
		full.WriteString("\n")
	}
	kind := t.TypeOf(pageURL, page.Title, page.Site, full.String())
	// The page is tagged at once: a topic the page treats in several short
	// sections goes to the passages that carry it.
	in := tag.Page{URL: pageURL, Title: page.Title, Site: page.Site, Published: page.Published}
	for _, p := range page.Passages {
		in.Passages = append(in.Passages, tag.PagePassage{Headings: p.Headings, Text: p.Text})
	}
	all := t.TagPage(in)
	used := map[string]int{}
	docs := make([]search.Document, 0, len(page.Passages))
	for i, p := range page.Passages {
		anchor := p.Anchor
		used[anchor]++
		key := pageURL + "#" + anchor
		if n := used[anchor]; n > 1 {
			key = fmt.Sprintf("%s~%d", key, n)
		}
		tags := all[i]
		u := pageURL
		if anchor != "" {
			u += "#" + anchor
		}
		docs = append(docs, search.Document{
			ID:                 DocID(key),
			URL:                u,
			PageURL:            pageURL,
			Title:              page.Title,
			Section:            strings.Join(p.Headings, " › "),
			Text:               p.Text,
			Organizations:      sorted(tags.Organizations),
			Countries:          sorted(tags.Countries),
			Regions:            sorted(tags.Regions),
			Topics:             sorted(tags.Topics),
			Type:               kind,
			Years:              tags.Years,
			Amounts:            tags.Amounts,
			Provenance:         tags.Provenance,
			Evidence:           tags.Evidence,
			FoundOrganizations: sorted(tags.FoundOrganizations),
			Published:          page.Published,
			FirstSeen:          seen.UTC(),
			LastSeen:           seen.UTC(),
			ChangedAt:          seen.UTC(),
			Truncated:          truncated,
		})
	}
	return docs
}

// DocID is the stable id of a passage: a hash of its page URL and anchor.
func DocID(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:8])
}

func sorted(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	return out
}
