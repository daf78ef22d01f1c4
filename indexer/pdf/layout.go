package pdf

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// glyph is one positioned character of a page, y growing upwards.
type glyph struct {
	x, y, w, size float64
	font, s       string
}

// line is a line of text in reading order.
type line struct {
	text   string
	x0, x1 float64
	y      float64 // baseline
	size   float64 // font size
	bold   bool
	table  bool // cells of a table row, joined by " | "
	drop   bool // a running header, footer or page number
}

// page is one page's lines in reading order.
type page struct {
	num    int
	height float64
	lines  []line
}

// segment is a run of glyphs on one row without a wide gap.
type segment struct {
	gs     []glyph
	x0, x1 float64
}

// layout rebuilds the lines of a page from its glyphs: rows by baseline,
// segments by wide gaps, and two columns read one after the other when the
// rows split around a common gutter.
func layout(num int, height float64, gs []glyph) *page {
	p := &page{num: num, height: height}
	kept := gs[:0]
	for _, g := range gs {
		g.size = math.Abs(g.size)
		if g.size < 1 {
			g.size = 1
		}
		if g.s != "" && !math.IsNaN(g.x+g.y) && !math.IsInf(g.x+g.y, 0) {
			kept = append(kept, g)
		}
	}
	gs = kept
	if len(gs) == 0 {
		return p
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y > gs[j].y })
	var rows [][]segment
	for i := 0; i < len(gs); {
		j := i + 1
		for j < len(gs) && gs[i].y-gs[j].y <= 0.4*gs[i].size {
			j++
		}
		rows = append(rows, segments(gs[i:j]))
		i = j
	}
	gutter, twoCol := findGutter(rows)
	if !twoCol {
		for _, r := range rows {
			p.lines = append(p.lines, rowLine(r))
		}
		return p
	}
	// Full-width rows above the first split row are read first (a title over
	// both columns), then the left column, then the right, then full-width rows
	// below.
	var top, left, right, bottom []line
	split := false
	for _, r := range rows {
		var l, rt []segment
		crossing := false
		for _, s := range r {
			switch {
			case s.x1 <= gutter:
				l = append(l, s)
			case s.x0 >= gutter:
				rt = append(rt, s)
			default:
				crossing = true
			}
		}
		switch {
		case crossing && !split:
			top = append(top, rowLine(r))
		case crossing:
			bottom = append(bottom, rowLine(r))
		default:
			split = true
			if len(l) > 0 {
				left = append(left, rowLine(l))
			}
			if len(rt) > 0 {
				right = append(right, rowLine(rt))
			}
		}
	}
	p.lines = append(append(append(append(p.lines, top...), left...), right...), bottom...)
	return p
}

// segments sorts a row's glyphs by x and cuts them where the gap is wider
// than one and a half em: table cells, or the two columns of a page.
func segments(gs []glyph) []segment {
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].x < gs[j].x })
	var out []segment
	cur := segment{x0: gs[0].x}
	end := gs[0].x
	for _, g := range gs {
		if len(cur.gs) > 0 && g.x-end > 1.5*g.size {
			cur.x1 = end
			out = append(out, cur)
			cur = segment{x0: g.x}
		}
		cur.gs = append(cur.gs, g)
		end = max(end, g.x+width(g))
	}
	cur.x1 = end
	return append(out, cur)
}

// width is a glyph's advance, estimated when the font gave none.
func width(g glyph) float64 {
	if g.w > 0 {
		return g.w
	}
	return 0.5 * g.size * float64(len([]rune(g.s)))
}

// findGutter finds a vertical gutter that at least four rows split around
// and at most half as many rows cross.
func findGutter(rows [][]segment) (float64, bool) {
	var mids []float64
	for _, r := range rows {
		if len(r) == 2 {
			mids = append(mids, (r[0].x1+r[1].x0)/2)
		}
	}
	if len(mids) < 4 {
		return 0, false
	}
	sort.Float64s(mids)
	g := mids[len(mids)/2]
	splits, crosses := 0, 0
	for _, r := range rows {
		if len(r) > 2 {
			return 0, false // a table, not columns
		}
		crossing := false
		for _, s := range r {
			if s.x0 < g && s.x1 > g {
				crossing = true
			}
		}
		if crossing {
			crosses++
		} else if len(r) == 2 {
			splits++
		}
	}
	return g, splits >= 4 && crosses*2 <= splits
}

// rowLine turns the segments of a row into a line; several segments are the
// cells of a table row.
func rowLine(r []segment) line {
	l := line{x0: r[0].x0, x1: r[len(r)-1].x1, table: len(r) > 1}
	var cells []string
	var bold, all int
	for _, s := range r {
		cells = append(cells, segmentText(s.gs))
		for _, g := range s.gs {
			l.y = g.y
			l.size = max(l.size, g.size)
			all++
			if isBoldFont(g.font) {
				bold++
			}
		}
	}
	l.bold = bold*2 > all
	l.text = strings.Join(cells, " | ")
	return l
}

// segmentText writes a segment's glyphs, with a space where the gap between
// two glyphs is wider than a sixth of an em and none was drawn.
func segmentText(gs []glyph) string {
	var b strings.Builder
	end := gs[0].x
	for i, g := range gs {
		if i > 0 && g.x-end > g.size/6 && !endsSpace(b.String()) && !strings.HasPrefix(g.s, " ") {
			b.WriteByte(' ')
		}
		b.WriteString(g.s)
		end = g.x + width(g)
	}
	return normalizeSpace(unfold(b.String()))
}

func endsSpace(s string) bool {
	return s == "" || unicode.IsSpace(rune(s[len(s)-1]))
}

func isBoldFont(f string) bool {
	f = strings.ToLower(f)
	return strings.Contains(f, "bold") || strings.Contains(f, "black") || strings.Contains(f, "heavy")
}

// ligatures unfolds the presentation forms typesetters use for ff, fi, fl…
// and drops soft hyphens and zero-width characters.
var ligatures = strings.NewReplacer(
	"\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl",
	"\ufb05", "st", "\ufb06", "st", "\u00ad", "", "\u200b", "", "\ufeff", "", "\u0000", "",
)

func unfold(s string) string { return ligatures.Replace(s) }
