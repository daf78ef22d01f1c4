package pdf

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// marginShare is the band at the top and at the bottom of a page where
// running headers, footers and page numbers live.
const marginShare = 0.09

var (
	pageNumberRE = regexp.MustCompile(`(?i)^[\s\-–—|]*(page\s+)?([0-9]+|[ivxlcdm]+)(\s+(of|/)\s+[0-9]+)?[\s\-–—|]*$`)
	digitsRE     = regexp.MustCompile(`[0-9]+`)
)

// removeRunning marks the running headers, footers and page numbers: lines in
// the top or bottom band of a page that are a page number, that carry the
// page's own number at one end, or that recur (digits aside) on at least half
// of the pages of a document of three or more.
func removeRunning(pages []*page) {
	count := map[string]int{}
	withText := 0
	for _, p := range pages {
		if len(p.lines) > 0 {
			withText++
		}
		seen := map[string]bool{}
		for _, l := range p.lines {
			if k := runningKey(l.text); inMargin(p, l) && !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	for _, p := range pages {
		num := strconv.Itoa(p.num)
		for i := range p.lines {
			l := &p.lines[i]
			if !inMargin(p, *l) {
				continue
			}
			f := strings.Fields(l.text)
			switch {
			case pageNumberRE.MatchString(l.text):
				l.drop = true
			case len(f) > 1 && (f[0] == num || f[len(f)-1] == num):
				l.drop = true
			case withText >= 3 && count[runningKey(l.text)]*2 >= withText:
				l.drop = true
			}
		}
	}
}

func inMargin(p *page, l line) bool {
	return l.y > p.height*(1-marginShare) || l.y < p.height*marginShare
}

func runningKey(s string) string {
	return digitsRE.ReplaceAllString(strings.ToLower(normalizeSpace(s)), "#")
}

// joinLine appends a line to a paragraph: a word hyphenated at the end of a
// line and continued in lower case on the next is joined without the hyphen.
func joinLine(buf []byte, text string) []byte {
	if len(buf) == 0 || buf[len(buf)-1] == '\n' {
		return append(buf, text...)
	}
	first, _ := utf8.DecodeRuneInString(text)
	if n := len(buf); buf[n-1] == '-' && n >= 2 {
		prev, _ := utf8.DecodeLastRune(buf[:n-1])
		if unicode.IsLetter(prev) && unicode.IsLower(first) {
			return append(buf[:n-1], text...)
		}
	}
	return append(append(buf, ' '), text...)
}
