package pdf

import (
	"regexp"
	"sort"
	"strings"
	"time"

	lpdf "github.com/ledongthuc/pdf"
)

// entry is an outline entry that leads to a page.
type entry struct {
	title string
	page  int // 1-based
	level int
}

// Bounds of the outline walk: a hostile outline may be cyclic or endless.
const (
	maxOutlineEntries = 10000
	maxOutlineDepth   = 8
)

// readOutline returns the outline entries that lead to a page, in order.
func readOutline(r *lpdf.Reader, leaves []lpdf.Value) []entry {
	root := r.Trailer().Key("Root")
	first := root.Key("Outlines").Key("First")
	if first.IsNull() {
		return nil
	}
	pageOf := map[string]int{}
	for i, v := range leaves {
		pageOf[v.String()] = i + 1
	}
	dests := root.Key("Dests")
	seen := map[string]bool{}
	var out []entry
	var walk func(e lpdf.Value, level int)
	walk = func(e lpdf.Value, level int) {
		for ; e.Kind() == lpdf.Dict && len(seen) < maxOutlineEntries; e = e.Key("Next") {
			k := e.String()
			if seen[k] {
				return
			}
			seen[k] = true
			d := e.Key("Dest")
			if d.IsNull() {
				d = e.Key("A").Key("D")
			}
			if d.Kind() == lpdf.Name || d.Kind() == lpdf.String {
				d = dests.Key(d.RawString())
			}
			if d.Kind() == lpdf.Dict {
				d = d.Key("D")
			}
			p := 0
			if d.Kind() == lpdf.Array && d.Len() > 0 {
				p = pageOf[d.Index(0).String()]
			}
			t := normalizeSpace(unfold(e.Key("Title").Text()))
			if t != "" {
				out = append(out, entry{title: t, page: p, level: level})
			}
			if level+1 < maxOutlineDepth {
				walk(e.Key("First"), level+1)
			}
		}
	}
	walk(first, 0)
	return out
}

// chapters picks the outline entries that cut the document into chapters: the
// top level, or the level below a single top entry (whose title then names
// the document), keeping those that lead to a page, in page order.
func chapters(outline []entry) (chs []entry, docTitle string) {
	level := 0
	top := 0
	for _, e := range outline {
		if e.level == 0 {
			top++
		}
	}
	if top == 1 && len(outline) > 1 && outline[0].level == 0 {
		level, docTitle = 1, outline[0].title
	}
	for _, e := range outline {
		if e.level == level && e.page > 0 {
			chs = append(chs, e)
		}
	}
	sort.SliceStable(chs, func(i, j int) bool { return chs[i].page < chs[j].page })
	return chs, docTitle
}

// bodySize is the font size of most characters of the document.
func bodySize(pages []*page) float64 {
	chars := map[float64]int{}
	for _, p := range pages {
		for _, l := range p.lines {
			if !l.drop {
				chars[roundSize(l.size)] += len(l.text)
			}
		}
	}
	best, n := 0.0, -1
	for s, c := range chars {
		if c > n || (c == n && s < best) {
			best, n = s, c
		}
	}
	return best
}

func roundSize(s float64) float64 { return float64(int(s*2+0.5)) / 2 }

// isHeading tells heading lines: larger than the body text or bold, short,
// with letters, not ending a sentence, not a table row.
func isHeading(l line, body float64) bool {
	if l.table || l.drop || len(l.text) > 120 || strings.HasSuffix(l.text, ".") || !strings.ContainsFunc(l.text, isLetter) {
		return false
	}
	return l.size >= body*1.15 || (l.bold && l.size >= body*0.85)
}

func isLetter(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f }

// titleLines returns the lines of the first page set in the page's largest
// type, larger than the body: the document's title as printed.
func titleLines(pages []*page, body float64) (string, []int) {
	if len(pages) == 0 {
		return "", nil
	}
	big := 0.0
	for _, l := range pages[0].lines {
		if !l.drop && !l.table {
			big = max(big, l.size)
		}
	}
	if big < body*1.2 {
		return "", nil
	}
	var parts []string
	var idx []int
	for i, l := range pages[0].lines {
		if !l.drop && !l.table && roundSize(l.size) == roundSize(big) {
			parts = append(parts, l.text)
			idx = append(idx, i)
		} else if len(idx) > 0 {
			break // the title is one run of lines
		}
	}
	return normalizeSpace(strings.Join(parts, " ")), idx
}

// passages cuts the pages into passages. With an outline, its chapters name
// the passages' first heading; without, the largest heading lines do (when
// there are two sizes of headings or more). A passage never spans pages.
func passages(pages []*page, outline []entry) []Passage {
	body := bodySize(pages)
	chs, _ := chapters(outline)
	_, titleIdx := titleLines(pages, body)
	isTitle := map[int]bool{}
	for _, i := range titleIdx {
		isTitle[i] = true
	}
	// Heading sizes, largest first; the largest is the chapter level when no
	// outline gives chapters and another size is used below it.
	sizes := map[float64]bool{}
	for pi, p := range pages {
		for i, l := range p.lines {
			if isHeading(l, body) && !(pi == 0 && isTitle[i]) {
				sizes[roundSize(l.size)] = true
			}
		}
	}
	chapterSize := 0.0
	if len(chs) == 0 && len(sizes) >= 2 {
		for s := range sizes {
			chapterSize = max(chapterSize, s)
		}
	}
	var out []Passage
	var chapter, sub string
	var buf []byte
	cur := Passage{}
	flush := func() {
		text := strings.TrimSpace(string(buf))
		if text != "" {
			cur.Text = text
			out = append(out, cur)
		}
		buf = buf[:0]
	}
	start := func(pageNum int) {
		flush()
		var hs []string
		for _, h := range []string{chapter, sub} {
			if h != "" {
				hs = append(hs, h)
			}
		}
		cur = Passage{Page: pageNum, Headings: hs}
	}
	next := 0 // next outline chapter
	for pi, p := range pages {
		// A chapter that starts on this page starts at its title line if the
		// page prints it, else at the top of the page.
		var due []entry
		for next < len(chs) && chs[next].page <= p.num {
			due = append(due, chs[next])
			next++
		}
		if len(due) > 0 && !printsTitle(p, due[0].title) {
			chapter, sub = due[0].title, ""
			due = due[1:]
		}
		start(p.num)
		var prev *line
		pendingHeading := false
		for i := range p.lines {
			l := &p.lines[i]
			if l.drop || (pi == 0 && isTitle[i]) {
				continue
			}
			if len(due) > 0 && sameText(l.text, due[0].title) {
				chapter, sub = due[0].title, ""
				due = due[1:]
				start(p.num)
				prev, pendingHeading = nil, false
				continue
			}
			if isHeading(*l, body) {
				switch {
				case len(chs) > 0 && sameText(l.text, chapter):
					// the chapter's title printed again
				case chapterSize > 0 && roundSize(l.size) == chapterSize:
					if pendingHeading && prev != nil && roundSize(prev.size) == chapterSize {
						chapter += " " + l.text // a title set on two lines
					} else {
						chapter, sub = l.text, ""
					}
				default:
					if pendingHeading && prev != nil && roundSize(prev.size) == roundSize(l.size) && sub != "" {
						sub += " " + l.text
					} else {
						sub = l.text
					}
				}
				start(p.num)
				prev, pendingHeading = l, true
				continue
			}
			if prev != nil && !pendingHeading && (l.table || prev.table || prev.y-l.y > 1.6*l.size) {
				buf = append(buf, '\n')
			}
			buf = joinLine(buf, l.text)
			prev, pendingHeading = l, false
		}
		for _, e := range due { // titles not found on the page
			chapter, sub = e.title, ""
		}
	}
	flush()
	return out
}

func printsTitle(p *page, title string) bool {
	for _, l := range p.lines {
		if !l.drop && sameText(l.text, title) {
			return true
		}
	}
	return false
}

func sameText(a, b string) bool {
	return strings.EqualFold(normalizeSpace(a), normalizeSpace(b))
}

// title is the outline's, else the first page's, else the information's.
func title(outline []entry, pages []*page, info string) string {
	if _, t := chapters(outline); t != "" {
		return t
	}
	if t, _ := titleLines(pages, bodySize(pages)); t != "" {
		return t
	}
	return normalizeSpace(unfold(info))
}

var (
	monthDateRE = regexp.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:([0-9]{1,2}),\s+)?((?:19|20)[0-9]{2})\b`)
	infoDateRE  = regexp.MustCompile(`^D:((?:19|20)[0-9]{2})([01][0-9])?([0-3][0-9])?`)
)

// published is the first date the first page states, else the information's
// creation date.
func published(pages []*page, info string) time.Time {
	if len(pages) > 0 {
		for _, l := range pages[0].lines {
			if m := monthDateRE.FindStringSubmatch(l.text); m != nil {
				day := m[2]
				if day == "" {
					day = "1"
				}
				if t, err := time.Parse("January 2 2006", m[1]+" "+day+" "+m[3]); err == nil {
					return t
				}
			}
		}
	}
	if m := infoDateRE.FindStringSubmatch(strings.TrimSpace(info)); m != nil {
		mo, d := m[2], m[3]
		if mo == "" {
			mo = "01"
		}
		if d == "" {
			d = "01"
		}
		if t, err := time.Parse("20060102", m[1]+mo+d); err == nil {
			return t
		}
	}
	return time.Time{}
}
