package extract

import (
	"strings"

	"golang.org/x/net/html"
)

const (
	minSection = 150  // runes: a shorter section joins a neighbour
	maxSection = 4000 // runes: a longer one is cut at paragraph boundaries
)

// section is a run of blocks under one heading path.
type section struct {
	headings   []string
	anchorID   string   // id of the heading that opens it
	anchorText string   // text to point at when there is no id
	headID     string   // id and text of the innermost heading, a fallback
	headText   string   // anchor for a section that has no heading of its own
	heading    string   // its own heading line, kept when it joins a neighbour
	pre        []string // text of short sections before it that joined it
	blocks     []string
	partner    bool
	li         *html.Node // list item of a partner block
}

func (s *section) runes() int {
	n := 0
	for _, b := range s.pre {
		n += countRunes(b)
	}
	for _, b := range s.blocks {
		n += countRunes(b)
	}
	return n
}

type level struct {
	n      int
	text   string
	id     string
	pseudo bool
}

// pseudoHeading reports whether b is a bold line standing alone, used by
// many pages instead of a heading element ("<p><strong>Challenges</strong></p>").
func pseudoHeading(b *block) bool {
	if b.kind != kindText || b.boldRunes != b.runes || b.li != nil || b.links > 0 {
		return false
	}
	t := strings.TrimSuffix(b.text, ":")
	if b.runes > 120 || len(words(t)) > 15 || letters(t) < 2 || strings.ContainsAny(t[len(t)-1:], ".,;") {
		return false
	}
	return findDate(t) == nil
}

// buildSections groups the content blocks under their headings. root is the
// page's title (its h1 when it has one, rootLevel 1; otherwise 0).
func buildSections(blocks []*block, root string, rootLevel int, rootID string) []*section {
	stack := []level{{n: rootLevel, text: root, id: rootID}}
	paths := func(extra ...string) []string {
		var p []string
		for _, l := range stack {
			if l.text != "" {
				p = append(p, l.text)
			}
		}
		return append(p, extra...)
	}
	cur := &section{headings: paths(), anchorID: rootID, anchorText: root}
	out := []*section{cur}
	open := func(s *section) {
		top := stack[len(stack)-1]
		s.headID, s.headText = top.id, top.text
		cur = s
		out = append(out, s)
	}
	for _, b := range blocks {
		switch {
		case (b.kind == kindHeading || pseudoHeading(b)) && sameText(strings.TrimSuffix(b.text, ":"), root):
			// The title again (a page whose h1 is a bold line, or whose
			// title heading sits inside the content): not a new level.
			if b.id != "" && len(out) == 1 && cur.anchorID == "" {
				cur.anchorID = b.id
			}
		case b.kind == kindHeading:
			for len(stack) > 1 && stack[len(stack)-1].n >= b.level {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 1 && stack[0].n >= b.level && rootLevel > 0 {
				stack = stack[:0]
			}
			stack = append(stack, level{n: b.level, text: b.text, id: b.id})
			open(&section{headings: paths(), anchorID: b.id, anchorText: b.text, heading: b.text})
		case pseudoHeading(b):
			t := strings.TrimSpace(strings.TrimSuffix(b.text, ":"))
			lv := 0
			for _, l := range stack {
				if !l.pseudo {
					lv = l.n
				}
			}
			for len(stack) > 1 && stack[len(stack)-1].n > lv {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, level{n: lv + 1, text: t, pseudo: true})
			open(&section{headings: paths(), anchorText: t, heading: t})
		default:
			if name := partnerName(b); name != "" {
				// "Federal:" is far less likely than "Federal" to match
				// earlier words of the page (text fragments ignore case).
				at := name
				if rest, ok := strings.CutPrefix(b.text, name); ok && strings.HasPrefix(strings.TrimSpace(rest), ":") {
					at += ":"
				}
				open(&section{headings: paths(name), anchorText: at, partner: true, li: b.li})
			} else if cur.partner && !continues(cur, b) {
				open(&section{headings: paths()})
			}
			cur.blocks = append(cur.blocks, b.text)
		}
	}
	return out
}

// continues reports whether block b, following partner section s, still
// speaks of that partner: inside the partner's list item, or a paragraph
// that names it ("UNODC also …"). A general note after a run of partner
// blocks opens a section of its own.
func continues(s *section, b *block) bool {
	if s.li != nil {
		return within(b.node, s.li)
	}
	name := s.headings[len(s.headings)-1]
	if i := strings.LastIndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") {
		if acr := strings.TrimSpace(name[i+1 : len(name)-1]); acr != "" && strings.Contains(b.text, acr) {
			return true
		}
		name = strings.TrimSpace(name[:i])
	}
	return strings.Contains(b.text, name)
}

// tidySections drops empty sections, joins short ones to a neighbour
// (partner blocks excepted) and cuts long ones.
func tidySections(in []*section) []*section {
	var secs []*section
	for _, s := range in {
		if len(s.blocks) > 0 {
			secs = append(secs, s)
		}
	}
	for i := 0; i < len(secs); i++ {
		s := secs[i]
		if s.partner || s.runes() >= minSection || len(secs) == 1 {
			continue
		}
		lines := append([]string(nil), s.pre...)
		if s.heading != "" {
			lines = append(lines, s.heading)
		}
		lines = append(lines, s.blocks...)
		if j := neighbour(secs, i, -1); j >= 0 {
			secs[j].blocks = append(secs[j].blocks, lines...)
		} else if j := neighbour(secs, i, +1); j >= 0 {
			secs[j].pre = append(lines, secs[j].pre...)
		} else {
			continue
		}
		secs = append(secs[:i], secs[i+1:]...)
		i--
	}
	var out []*section
	for _, s := range secs {
		out = append(out, split(s)...)
	}
	return out
}

// neighbour returns the index of the nearest non-partner section from i in
// direction dir, or -1.
func neighbour(secs []*section, i, dir int) int {
	for j := i + dir; j >= 0 && j < len(secs); j += dir {
		if !secs[j].partner {
			return j
		}
		if dir < 0 {
			return -1
		}
	}
	return -1
}

// split cuts s into chunks of at most maxSection runes at block boundaries
// (long blocks at sentence or line boundaries), of about equal size.
func split(s *section) []*section {
	total := s.runes()
	if total <= maxSection {
		return []*section{s}
	}
	var pieces []string
	for _, b := range append(append([]string(nil), s.pre...), s.blocks...) {
		pieces = append(pieces, cutBlock(b, maxSection)...)
	}
	n := (total + maxSection - 1) / maxSection
	target := total / n
	var out []*section
	chunk := &section{headings: s.headings, anchorID: s.anchorID, anchorText: s.anchorText, partner: s.partner}
	size := 0
	for _, p := range pieces {
		r := countRunes(p)
		if size > 0 && (size+r > maxSection || size >= target) {
			out = append(out, chunk)
			chunk = &section{headings: s.headings, partner: s.partner}
			size = 0
		}
		chunk.blocks = append(chunk.blocks, p)
		size += r
	}
	return append(out, chunk)
}

// cutBlock cuts one block longer than limit runes at line ends, then at
// sentence ends, then at spaces.
func cutBlock(b string, limit int) []string {
	if countRunes(b) <= limit {
		return []string{b}
	}
	for _, sep := range []string{"\n", ". ", " "} {
		parts := strings.SplitAfter(b, sep)
		if len(parts) < 2 {
			continue
		}
		var out []string
		var cur strings.Builder
		n := 0
		for _, p := range parts {
			r := countRunes(p)
			if cur.Len() > 0 && n+r > limit {
				out = append(out, strings.TrimSpace(cur.String()))
				cur.Reset()
				n = 0
			}
			cur.WriteString(p)
			n += r
		}
		out = append(out, strings.TrimSpace(cur.String()))
		var res []string
		for _, o := range out {
			res = append(res, cutBlock(o, limit)...)
		}
		return res
	}
	// One word longer than the limit: cut by runes.
	var out []string
	rs := []rune(b)
	for len(rs) > limit {
		out = append(out, string(rs[:limit]))
		rs = rs[limit:]
	}
	return append(out, string(rs))
}
