package extract

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrPageURL is returned by Extract when the page URL is not an absolute
// http or https URL, against which links could be resolved.
var ErrPageURL = errors.New("page url is not absolute http(s)")

// Page is what Extract finds in one HTML page.
type Page struct {
	// Title is the page's own title: og:title, else the h1 of the main
	// content, else <title> without the site's name.
	Title string
	// Published is the date the page states (meta data, <time>, a dateline,
	// a "Date: 02/10/2014" caption); zero when it states none.
	Published time.Time
	// Links are the http(s) targets of every link of the whole page,
	// navigation included, absolute, without fragment and without duplicates.
	Links []string
	// Passages are the sections of the main content, in page order.
	Passages []Passage
	// Lang is the primary language subtag the page declares ("en"), or "".
	Lang string
	// Site is the name the site gives itself (og:site_name, or the site's
	// part of the <title>: "United States Department of Justice"), else the
	// publisher its chrome names as a reader reads it (the masthead or logo,
	// the copyright line, a wire dateline: see publisherName), or "". It
	// tells the publisher when the host does not.
	Site string
}

// Passage is one section of the main content: the text under one heading,
// one partner's block, or one part of a long section.
type Passage struct {
	// Anchor is the URL fragment, without '#', that leads to the passage:
	// the id of its heading, or a text fragment ":~:text=…".
	Anchor string `json:"anchor"`
	// Headings is the heading path, outermost (the page's h1 or title) first;
	// a partner block's path ends with the partner's name.
	Headings []string `json:"headings"`
	// Text is the plain text; blocks are separated by "\n", table rows are
	// lines with cells separated by " | ", other whitespace is collapsed.
	Text string `json:"text"`
}

// Extract parses body, an HTML page in UTF-8 fetched from pageURL, and
// returns its title, date, language, links and passages. It never panics on
// malformed input; its only error is an unusable page URL (ErrPageURL: not
// absolute http(s), nor a file: URL).
func Extract(pageURL string, body []byte) (*Page, error) {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil {
		return nil, fmt.Errorf("extract %q: %w: %w", pageURL, ErrPageURL, err)
	}
	if !isWeb(u) && (u.Scheme != "file" || u.Path == "") { // file: a local page (inlsearch import)
		return nil, fmt.Errorf("extract %q: %w", pageURL, ErrPageURL)
	}
	root := parse(sanitize(body))
	doc := goquery.NewDocumentFromNode(root)
	h := readHead(doc)
	page := &Page{Lang: h.lang, Links: links(doc, u), Site: siteName(h)}
	if page.Site == "" {
		page.Site = publisherName(doc)
	}
	clean(doc)
	bodyNode := findElement(root, atom.Body)
	if bodyNode == nil {
		page.Title = pageTitle(h, nil)
		return page, nil
	}
	st := map[*html.Node]stat{}
	computeStats(bodyNode, false, st)
	w := &walker{st: st}
	w.walk(bodyNode, walkCtx{node: bodyNode})
	w.flush()
	blocks := w.blocks
	markBlocks(blocks)
	roots := selectContent(scope(bodyNode, st), blocks, st)
	markContent(blocks, roots)

	h1 := titleHeading(blocks)
	var h1b *block
	if h1 >= 0 {
		h1b = &blocks[h1]
	}
	page.Title = pageTitle(h, h1b)
	if page.Site != "" && sameText(page.Site, page.Title) {
		// the "site" read from the <title> was the page's own headline
		// ("Tajikistan: US Embassy Hands Over … | The Times of Central Asia")
		page.Site = siteBeside(h.title, page.Title)
	}
	page.Published = published(h, blocks, h1)
	page.Passages = passages(blocks, page.Title, h1b)
	return page, nil
}

// markContent flags the blocks that lie inside one of roots.
func markContent(blocks []block, roots []*html.Node) {
	in := map[*html.Node]bool{}
	for _, r := range roots {
		in[r] = true
	}
	for i := range blocks {
		for n := blocks[i].node; n != nil; n = n.Parent {
			if in[n] {
				blocks[i].content = true
				break
			}
		}
	}
}

// titleHeading returns the index of the page's title h1: the first h1 of the
// main content, else the nearest h1 before it; -1 if none.
func titleHeading(blocks []block) int {
	first := -1
	for i := range blocks {
		b := &blocks[i]
		if first < 0 && b.content {
			first = i
		}
		if b.kind == kindHeading && b.level == 1 && b.content && b.eligible() {
			return i
		}
	}
	for i := first - 1; i >= 0; i-- {
		b := &blocks[i]
		if b.kind == kindHeading && b.level == 1 && b.eligible() {
			return i
		}
	}
	return -1
}

func pageTitle(h head, h1 *block) string {
	site := h.meta["og:site_name"]
	h1t := ""
	if h1 != nil {
		h1t = h1.text
	}
	t := cleanTitle(h.meta["og:title"], h1t, site)
	if t != "" && (sameText(t, site) || looksLikeSite(t, site) && h1t != "") {
		t = ""
	}
	if t == "" {
		t = h1t
	}
	if t == "" {
		t = cleanTitle(h.title, "", site)
	}
	if r := []rune(t); len(r) > 300 {
		t = string(r[:300])
	}
	return t
}

// published finds the page's date: meta data first, then a dateline near the
// title, then a "Date: MM/DD/YYYY" caption, then a date opening the text.
func published(h head, blocks []block, h1 int) time.Time {
	if t, ok := metaDate(h); ok {
		return t
	}
	first := -1
	for i := range blocks {
		if blocks[i].content {
			first = i
			break
		}
	}
	start := h1
	if start < 0 {
		start = max(first, 0)
	}
	end := max(first, start) + 15
	for i := max(0, start-3); i < min(len(blocks), end); i++ {
		if b := &blocks[i]; !b.junk && !b.boiler && !b.linky {
			if t, ok := dateline(b); ok {
				return t
			}
		}
	}
	// a block the template marks as the date ("paper-date", "post-date"),
	// wherever the chrome puts it, holding a date and little else
	for i := range blocks {
		b := &blocks[i]
		if b.linky || b.runes > 60 || !classSays(b.node, "date", 3) {
			continue
		}
		if m := findDate(b.text); m != nil && len(strings.Trim(b.text[:m.start]+b.text[m.end:], " ,.:;|-–—()[]")) <= 20 {
			return m.t
		}
	}
	seen := 0
	for i := range blocks {
		b := &blocks[i]
		if !b.content || b.boiler {
			continue
		}
		if t, ok := findDateSlot(b.text); ok {
			return t
		}
		if seen++; seen <= 5 {
			if m := findDate(b.text); m != nil && m.start < 40 {
				return m.t
			}
		}
	}
	return time.Time{}
}

// classSays reports whether n or one of its depth-1 nearest ancestors has
// a class or id holding word ("paper-date", "dateline").
func classSays(n *html.Node, word string, depth int) bool {
	for ; n != nil && depth >= 0; n, depth = n.Parent, depth-1 {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if (a.Key == "class" || a.Key == "id") && strings.Contains(strings.ToLower(a.Val), word) {
				return true
			}
		}
	}
	return false
}

// passages builds the passages of the main content, relaxing the filters
// step by step when the strict ones leave nothing (a page that is a list of
// links, a page whose main content could not be told apart).
func passages(blocks []block, title string, h1 *block) []Passage {
	root, lvl, id := title, 0, ""
	if h1 != nil {
		root, lvl, id = h1.text, 1, h1.id
	}
	for _, mode := range []struct{ content, strict bool }{{true, true}, {true, false}, {false, true}, {false, false}} {
		var sel []*block
		for i := range blocks {
			b := &blocks[i]
			if (b.content || !mode.content) && !b.boiler && (b.eligible() || !mode.strict) {
				sel = append(sel, b)
			}
		}
		if ps := finish(tidySections(buildSections(sel, root, lvl, id))); len(ps) > 0 {
			return ps
		}
	}
	return nil
}

// finish turns sections into passages with unique anchors and texts.
func finish(secs []*section) []Passage {
	var out []Passage
	used := map[string]bool{}
	next := map[string]int{}
	seen := map[string]bool{}
	for _, s := range secs {
		text := collapseLines(strings.Join(append(append([]string(nil), s.pre...), s.blocks...), "\n"))
		if text == "" || seen[text] {
			continue
		}
		seen[text] = true
		var cands []string
		if s.anchorID != "" {
			cands = append(cands, escapeID(s.anchorID))
		}
		if s.anchorText != "" {
			cands = append(cands, textFragment(firstWords(s.anchorText, 14)))
		}
		if s.headID != "" {
			cands = append(cands, escapeID(s.headID))
		}
		if s.headText != "" {
			cands = append(cands, textFragment(firstWords(s.headText, 14)))
		}
		cands = append(cands, textFragment(firstWords(text, 8)), textFragment(firstWords(text, 16)))
		anchor := ""
		for _, c := range cands {
			if !used[c] {
				anchor = c
				break
			}
		}
		// Last resort for passages that start alike: number them. An
		// unknown directive after '&' is ignored by browsers.
		for base := cands[len(cands)-1]; anchor == ""; {
			next[base]++
			if c := fmt.Sprintf("%s&n=%d", base, next[base]+1); !used[c] {
				anchor = c
			}
		}
		used[anchor] = true
		heads := make([]string, 0, len(s.headings))
		for _, hd := range s.headings {
			if hd = collapse(hd); hd != "" {
				if r := []rune(hd); len(r) > 200 {
					hd = string(r[:200])
				}
				heads = append(heads, hd)
			}
		}
		out = append(out, Passage{Anchor: anchor, Headings: heads, Text: text})
	}
	return out
}

// escapeID percent-encodes the bytes of an id that cannot stand in a URL
// fragment as they are.
func escapeID(id string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"#%<>[\\]^`{|}", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
