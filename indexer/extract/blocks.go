package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

type blockKind uint8

const (
	kindText blockKind = iota
	kindHeading
	kindTable
)

// block is one unit of text in document order: a paragraph, a line ended by
// <br>, a list item, a heading or a whole data table.
type block struct {
	kind      blockKind
	level     int    // heading level 1–6 (pseudo headings: set by sections)
	text      string // collapsed; tables keep rows on lines
	id        string // heading anchor id
	node      *html.Node
	li        *html.Node // enclosing list item
	runes     int
	linkRunes int
	links     int
	boldRunes int
	boldEnd   int // byte offset where the leading bold text ends
	timeAttr  string

	junk    bool // inside a link list or menu
	linky   bool // the block itself is mostly links
	boiler  bool // banner, share tokens, sign-in blurbs
	orphan  bool // a short scrap between junk blocks
	cell    bool // inside a layout table cell
	content bool // inside the main content
}

// eligible reports whether b may be part of a passage in strict mode.
func (b *block) eligible() bool { return !b.junk && !b.linky && !b.boiler && !b.orphan }

type walkCtx struct {
	node, li, link *html.Node
	bold, junk     bool
	cell           bool
}

type builder struct {
	b                    strings.Builder
	space, nonBold       bool
	node, li, lastLink   *html.Node
	junk, cell           bool
	runes, linkRunes     int
	boldRunes, links     int
	boldEnd, nonLinkLets int
	timeAttr             string
}

type walker struct {
	st     map[*html.Node]stat
	blocks []block
	cur    builder
}

func (w *walker) add(s string, c walkCtx) {
	cb := &w.cur
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			cb.space = cb.b.Len() > 0
			continue
		case dropRune(r):
			continue
		}
		if cb.b.Len() == 0 {
			cb.node, cb.li, cb.junk, cb.cell = c.node, c.li, c.junk, c.cell
		}
		if !c.bold && !cb.nonBold {
			cb.nonBold = true
			cb.boldEnd = cb.b.Len()
		}
		if cb.space {
			cb.b.WriteByte(' ')
			cb.space = false
		}
		cb.b.WriteRune(r)
		cb.runes++
		if c.bold {
			cb.boldRunes++
		}
		if c.link != nil {
			cb.linkRunes++
			if c.link != cb.lastLink {
				cb.links++
				cb.lastLink = c.link
			}
		} else if unicode.IsLetter(r) {
			cb.nonLinkLets++
		}
	}
}

func (w *walker) flush() {
	cb := &w.cur
	if cb.runes > 0 {
		text := cb.b.String()
		if !cb.nonBold {
			cb.boldEnd = len(text)
		}
		w.blocks = append(w.blocks, block{
			kind: kindText, text: text, node: cb.node, li: cb.li, runes: cb.runes,
			linkRunes: cb.linkRunes, links: cb.links, boldRunes: cb.boldRunes, boldEnd: cb.boldEnd,
			timeAttr: cb.timeAttr, junk: cb.junk, cell: cb.cell,
			linky: cb.links > 0 && (cb.linkRunes*2 > cb.runes || cb.links >= 2 && cb.nonLinkLets <= 15),
		})
	}
	*cb = builder{}
}

func (w *walker) walk(n *html.Node, c walkCtx) {
	switch n.Type {
	case html.TextNode:
		w.add(n.Data, c)
		return
	case html.ElementNode:
	default:
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			w.walk(ch, c)
		}
		return
	}
	switch n.DataAtom {
	case atom.Br, atom.Hr:
		w.flush()
		return
	case atom.Img:
		return
	case atom.Time:
		if dt := attr(n, "datetime"); dt != "" {
			w.cur.timeAttr = dt
		}
	case atom.Table:
		if dataTable(n) {
			w.flush()
			w.table(n, c)
			return
		}
	}
	if lvl := headingLevel(n); lvl > 0 {
		w.flush()
		w.heading(n, lvl, c)
		return
	}
	isBlock := !isInline(n)
	if isBlock {
		w.flush()
		c.node = n
		switch n.DataAtom {
		case atom.Li:
			c.li = n
		case atom.Td, atom.Th:
			c.cell = true
		}
		if !c.junk && linkList(n, w.st) {
			c.junk = true
		}
	}
	if n.DataAtom == atom.A && hasAttr(n, "href") {
		c.link = n
	}
	if boldElement(n) {
		c.bold = true
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		w.walk(ch, c)
	}
	if isBlock {
		w.flush()
	}
}

func (w *walker) heading(n *html.Node, lvl int, c walkCtx) {
	text := collapse(blockText(n))
	if text == "" {
		return
	}
	s := w.st[n]
	w.blocks = append(w.blocks, block{
		kind: kindHeading, level: lvl, text: text, id: headingID(n), node: n, li: c.li,
		runes: s.runes, linkRunes: s.linkRunes, links: s.links, junk: c.junk, cell: c.cell,
		linky: s.links > 0 && s.linkRunes*2 > s.runes,
	})
}

// table emits a data table as one block, rows on lines and cells separated
// by " | ", preceded by its caption.
func (w *walker) table(n *html.Node, c walkCtx) {
	var lines []string
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.DataAtom == atom.Caption {
			w.walk(ch, c)
		}
	}
	for _, tr := range tableRows(n) {
		var cells []string
		empty := true
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.DataAtom != atom.Td && td.DataAtom != atom.Th {
				continue
			}
			t := strings.ReplaceAll(collapse(blockText(td)), "|", "/")
			cells = append(cells, t)
			empty = empty && t == ""
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		if !empty {
			lines = append(lines, strings.Join(cells, " | "))
		}
	}
	if len(lines) == 0 {
		return
	}
	s := w.st[n]
	w.blocks = append(w.blocks, block{
		kind: kindTable, text: strings.Join(lines, "\n"), node: n, li: c.li,
		runes: s.runes, linkRunes: s.linkRunes, links: s.links,
		junk: c.junk || linkList(n, w.st), cell: c.cell,
		linky: s.links > 0 && s.linkRunes*2 > s.runes,
	})
}

// tableRows returns the rows of table n, not those of nested tables.
func tableRows(n *html.Node) []*html.Node {
	var rows []*html.Node
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.DataAtom {
		case atom.Tr:
			rows = append(rows, ch)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for tr := ch.FirstChild; tr != nil; tr = tr.NextSibling {
				if tr.DataAtom == atom.Tr {
					rows = append(rows, tr)
				}
			}
		}
	}
	return rows
}

// dataTable reports whether table n holds data (short cells, no nested
// tables or headings) rather than the layout of a page.
func dataTable(n *html.Node) bool {
	rows := tableRows(n)
	cells, cols := 0, 0
	for _, tr := range rows {
		c := 0
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.DataAtom != atom.Td && td.DataAtom != atom.Th {
				continue
			}
			c++
			if countRunes(nodeText(td)) > 300 || containsLayout(td) {
				return false
			}
		}
		cells += c
		cols = max(cols, c)
	}
	return cells >= 2 && cols >= 2 || len(rows) >= 2 && cells >= 2
}

func containsLayout(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Table || headingLevel(c) > 0 || c.DataAtom == atom.Ul || c.DataAtom == atom.Ol || containsLayout(c) {
			return true
		}
	}
	return false
}

// blockText returns the text of n with a space wherever a block boundary or
// a line break would separate words on screen.
func blockText(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Br || !isInline(n) {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
		if n.Type == html.ElementNode && !isInline(n) {
			b.WriteByte(' ')
		}
	}
	f(n)
	return b.String()
}
