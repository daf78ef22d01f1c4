package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// mass is what the blocks below one element add up to.
type mass struct {
	score     float64 // readability-style score, shared with ancestors by level
	good      float64 // paragraph weight of eligible text, undivided
	goodText  int     // runes of eligible blocks (headings included)
	junkText  int     // runes of link lists, boilerplate and scraps
	candidate bool
}

// paragraphWeight is the worth of one paragraph: longer paragraphs and
// paragraphs with commas (sentences, lists of things) weigh more.
func paragraphWeight(b *block) float64 {
	if b.kind == kindHeading || b.runes < 25 {
		return 0
	}
	return 1 + float64(strings.Count(b.text, ",")) + min(float64(b.runes)/100, 3)
}

// initialScore gives a container a head start by what kind of element it is.
func initialScore(n *html.Node) float64 {
	switch n.Data {
	case "div", "article", "section", "main":
		return 5
	case "td", "pre", "blockquote":
		return 3
	case "form", "ol", "ul", "dl", "dd", "dt", "li", "address":
		return -3
	case "th", "h1", "h2", "h3", "h4", "h5", "h6":
		return -5
	}
	return 0
}

// within reports whether n is anc or below it.
func within(n, anc *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == anc {
			return true
		}
	}
	return false
}

// scope returns the element the main content is searched in: the page's
// only <main> (or role=main), or its only <article>, when it holds a fair
// share of the page's text; the body otherwise.
func scope(body *html.Node, st map[*html.Node]stat) *html.Node {
	own := func(n *html.Node) int { return st[n].runes - st[n].linkRunes }
	total := own(body)
	for _, match := range []func(*html.Node) bool{
		func(n *html.Node) bool { return n.Data == "main" || strings.EqualFold(attr(n, "role"), "main") },
		func(n *html.Node) bool { return n.Data == "article" },
	} {
		var found []*html.Node
		var f func(*html.Node)
		f = func(n *html.Node) {
			if n.Type == html.ElementNode && match(n) {
				found = append(found, n)
				return
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				f(c)
			}
		}
		f(body)
		if len(found) == 1 && own(found[0]) >= 200 && own(found[0])*10 >= total*3 {
			return found[0]
		}
	}
	return body
}

// selectContent returns the elements, siblings in document order, that make
// up the main content inside root.
func selectContent(root *html.Node, blocks []block, st map[*html.Node]stat) []*html.Node {
	masses := map[*html.Node]*mass{}
	get := func(n *html.Node) *mass {
		m := masses[n]
		if m == nil {
			m = &mass{}
			masses[n] = m
		}
		return m
	}
	var order []*html.Node
	for i := range blocks {
		b := &blocks[i]
		if b.node == nil || !within(b.node, root) {
			continue
		}
		ok := b.eligible()
		w := 0.0
		if ok {
			w = paragraphWeight(b)
		}
		for n := b.node; n != nil && n != root.Parent; n = n.Parent {
			m := get(n)
			if ok {
				m.good += w
				m.goodText += b.runes
			} else {
				m.junkText += b.runes
			}
		}
		if w == 0 {
			continue
		}
		n := b.node
		if paragraphTags[n.Data] && n != root {
			n = n.Parent
		}
		for level := 0; n != nil && n.Type == html.ElementNode && level < 5; level++ {
			m := get(n)
			if !m.candidate {
				m.candidate = true
				m.score = initialScore(n)
				order = append(order, n)
			}
			div := 1.0
			if level == 1 {
				div = 2
			} else if level > 1 {
				div = float64(level * 3)
			}
			m.score += w / div
			if n == root {
				break
			}
			n = n.Parent
		}
	}
	var top *html.Node
	best := 0.0
	for _, n := range order {
		if !within(n, root) {
			continue
		}
		s := masses[n].score * (1 - st[n].density())
		if top == nil || s > best {
			top, best = n, s
		}
	}
	if top == nil {
		return []*html.Node{root}
	}
	m := func(n *html.Node) mass {
		if x := masses[n]; x != nil {
			return *x
		}
		return mass{}
	}
	// Climb while the parent adds only a title, a date, a share bar or more
	// sections of the same kind; stop where it adds navigation or a sidebar.
	for top != root && top.Parent != nil {
		p := top.Parent
		mc, mp := m(top), m(p)
		extraGood := mp.good - mc.good
		extraText := mp.goodText - mc.goodText
		extraJunk := mp.junkText - mc.junkText
		more := extraGood >= 0.2*mc.good && extraGood > 0
		if !(extraJunk <= 60 && (extraText < 300 || more) || extraJunk*2 <= extraText && more) {
			break
		}
		top = p
	}
	if top == root {
		return []*html.Node{root}
	}
	return siblings(top, m)
}

// siblings returns top and those of its siblings that continue it: content
// of comparable weight, the headings and dateline just before it, and
// whatever lies between included siblings unless it is mostly junk.
func siblings(top *html.Node, m func(*html.Node) mass) []*html.Node {
	var kids []*html.Node
	at := -1
	for c := top.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c == top {
			at = len(kids)
		}
		kids = append(kids, c)
	}
	thr := max(4, 0.2*m(top).good)
	in := make([]bool, len(kids))
	in[at] = true
	first, last := at, at
	for i, c := range kids {
		mc := m(c)
		if mc.good >= thr && mc.junkText <= mc.goodText ||
			paragraphTags[c.Data] && mc.goodText > 80 && mc.junkText == 0 {
			in[i] = true
			first, last = min(first, i), max(last, i)
		}
	}
	for i := first; i <= last; i++ {
		if mc := m(kids[i]); mc.junkText <= mc.goodText {
			in[i] = true
		}
	}
	for i, n := first-1, 0; i >= 0 && n < 4; i-- {
		mc := m(kids[i])
		if mc.goodText == 0 && mc.junkText == 0 {
			continue
		}
		if mc.junkText > 0 || mc.goodText >= 200 && headingLevel(kids[i]) == 0 {
			break
		}
		in[i] = true
		n++
	}
	var out []*html.Node
	for i, c := range kids {
		if in[i] {
			out = append(out, c)
		}
	}
	return out
}
