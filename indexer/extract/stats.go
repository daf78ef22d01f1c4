package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// stat summarises the text under one element.
type stat struct {
	runes     int // non-space runes of text
	linkRunes int // of which inside <a href>
	links     int // <a href> elements
	longest   int // non-link runes of the longest paragraph below
}

func (s stat) density() float64 {
	if s.runes == 0 {
		return 0
	}
	return float64(s.linkRunes) / float64(s.runes)
}

// computeStats fills st for n and every element below it.
func computeStats(n *html.Node, inLink bool, st map[*html.Node]stat) stat {
	var s stat
	switch n.Type {
	case html.TextNode:
		s.runes = countRunes(n.Data)
		if inLink {
			s.linkRunes = s.runes
		} else {
			s.longest = s.runes
		}
		return s
	case html.ElementNode:
		if n.DataAtom == atom.A && hasAttr(n, "href") {
			s.links = 1
			inLink = true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := computeStats(c, inLink, st)
		s.runes += cs.runes
		s.linkRunes += cs.linkRunes
		s.links += cs.links
		s.longest = max(s.longest, cs.longest)
	}
	if n.Type == html.ElementNode {
		if paragraphTags[n.Data] || n.DataAtom == atom.Td {
			s.longest = max(s.longest, s.runes-s.linkRunes)
		}
		st[n] = s
	}
	return s
}

// inlineTags do not break a line of text; everything else (including
// unknown and custom elements) does.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "acronym": true, "b": true, "bdi": true, "bdo": true, "big": true,
	"cite": true, "code": true, "data": true, "del": true, "dfn": true, "em": true, "font": true,
	"i": true, "img": true, "ins": true, "kbd": true, "label": true, "mark": true, "nobr": true,
	"q": true, "rp": true, "rt": true, "ruby": true, "s": true, "samp": true, "small": true,
	"span": true, "strike": true, "strong": true, "sub": true, "sup": true, "time": true,
	"tt": true, "u": true, "var": true, "wbr": true, "blink": true, "output": true, "meter": true,
	"progress": true, "picture": true, "source": true,
}

// paragraphTags hold one paragraph of text; their parent, not they, is the
// candidate container for main content.
var paragraphTags = map[string]bool{
	"p": true, "li": true, "dd": true, "dt": true, "pre": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "address": true,
	"figcaption": true, "caption": true, "table": true, "th": true, "summary": true, "legend": true,
}

func isInline(n *html.Node) bool { return inlineTags[n.Data] }

// headingLevel returns 1–6 for h1–h6 and 0 otherwise.
func headingLevel(n *html.Node) int {
	if n.Type != html.ElementNode || len(n.Data) != 2 || n.Data[0] != 'h' {
		return 0
	}
	if l := int(n.Data[1] - '0'); l >= 1 && l <= 6 {
		return l
	}
	return 0
}

// boldElement reports whether n makes its text bold.
func boldElement(n *html.Node) bool {
	switch n.Data {
	case "b", "strong":
		return true
	}
	st := strings.ToLower(strings.Join(strings.Fields(attr(n, "style")), ""))
	return strings.Contains(st, "font-weight:bold") || strings.Contains(st, "font-weight:700") ||
		strings.Contains(st, "font-weight:800") || strings.Contains(st, "font-weight:900")
}

// linkList reports whether container n is a menu, a breadcrumb, a box of
// links or a teaser list (related articles): judged by link density and by
// the shape of its items, never by its name.
func linkList(n *html.Node, st map[*html.Node]stat) bool {
	if n.Type != html.ElementNode || paragraphTags[n.Data] && n.Data != "table" || isInline(n) {
		return false
	}
	s := st[n]
	if s.runes == 0 {
		return false
	}
	// A container with a real paragraph in it is not a menu, however many
	// links surround that paragraph (a whole page of navigation is).
	if s.links >= 3 && s.density() >= 0.6 && s.longest < 120 {
		return true
	}
	var items, linkOnly, short, teasers int
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		cs := st[c]
		if cs.runes == 0 {
			continue
		}
		items++
		if cs.linkRunes*10 >= cs.runes*9 {
			linkOnly++
		}
		if cs.runes <= 60 {
			short++
		}
		if leadsWithLink(c) && cs.runes-cs.linkRunes <= 200 {
			teasers++
		}
	}
	if items < 2 {
		return false
	}
	if (n.Data == "ul" || n.Data == "ol" || n.Data == "menu" || n.Data == "dl") && short == items && linkOnly*3 >= items*2 {
		return true
	}
	return items >= 3 && teasers*4 >= items*3 && s.density() >= 0.25
}

// leadsWithLink reports whether the first text of n is inside a link that is
// not followed by a label mark (":", "(", a dash): the shape of a teaser,
// not of a labelled item such as "UNODC: …".
func leadsWithLink(n *html.Node) bool {
	type text struct {
		s    string
		link *html.Node
	}
	var texts []text
	var walk func(*html.Node, *html.Node)
	walk = func(c *html.Node, link *html.Node) {
		for ; c != nil && len(texts) < 2; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				t := strings.TrimSpace(c.Data)
				if t == "" {
					continue
				}
				if len(texts) == 1 && link != nil && link == texts[0].link {
					continue // still the first link's own text
				}
				texts = append(texts, text{t, link})
			case html.ElementNode:
				l := link
				if l == nil && c.DataAtom == atom.A && hasAttr(c, "href") {
					l = c
				}
				walk(c.FirstChild, l)
			}
		}
	}
	walk(n.FirstChild, nil)
	switch {
	case len(texts) == 0 || texts[0].link == nil:
		return false
	case len(texts) == 1:
		return true
	}
	r, _ := utf8.DecodeRuneInString(texts[1].s)
	return !strings.ContainsRune(":(–—-", r)
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
