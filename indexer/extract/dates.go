package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

const reMonth = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`

var (
	reMDY      = regexp.MustCompile(`(?i)\b` + reMonth + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	reDMY      = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+` + reMonth + `\.?,?\s+(\d{4})\b`)
	reISO      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reMonthYr  = regexp.MustCompile(`(?i)^` + reMonth + `\.?,?\s+(\d{4})$`)
	reDateSlot = regexp.MustCompile(`(?i)\bdate[d]?\s*:\s*(\d{1,2})/(\d{1,2})/(\d{4})\b`)
)

// reWeekday matches the name of a weekday, full or short.
var reWeekday = regexp.MustCompile(`(?i)^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?$`)

// dateMatch is a date found in text, with where it was.
type dateMatch struct {
	t          time.Time
	start, end int
}

func mkDate(y, m, d int) (time.Time, bool) {
	if y < 1970 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// findDate returns the first written date in s: "May 3, 2010",
// "Sept. 5, 2012", "09 May 2013", "2013-05-09"; nil if none.
func findDate(s string) *dateMatch {
	var best *dateMatch
	try := func(loc []int, y, m, d int) {
		if t, ok := mkDate(y, m, d); ok && (best == nil || loc[0] < best.start) {
			best = &dateMatch{t, loc[0], loc[1]}
		}
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, loc := range reMDY.FindAllStringSubmatchIndex(s, 4) {
		try(loc, atoi(s[loc[6]:loc[7]]), int(monthNames[strings.ToLower(s[loc[2]:loc[3]])]), atoi(s[loc[4]:loc[5]]))
	}
	for _, loc := range reDMY.FindAllStringSubmatchIndex(s, 4) {
		try(loc, atoi(s[loc[6]:loc[7]]), int(monthNames[strings.ToLower(s[loc[4]:loc[5]])]), atoi(s[loc[2]:loc[3]]))
	}
	for _, loc := range reISO.FindAllStringSubmatchIndex(s, 4) {
		try(loc, atoi(s[loc[2]:loc[3]]), atoi(s[loc[4]:loc[5]]), atoi(s[loc[6]:loc[7]]))
	}
	return best
}

// findDateSlot returns the date of a "Date: 02/10/2014" caption (US order).
func findDateSlot(s string) (time.Time, bool) {
	if !strings.Contains(s, "ate") && !strings.Contains(s, "ATE") {
		return time.Time{}, false
	}
	m := reDateSlot.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	mo, _ := strconv.Atoi(m[1])
	d, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	return mkDate(y, mo, d)
}

var metaLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006-01-02", "2006/01/02", "20060102", time.RFC1123, time.RFC1123Z, time.RFC850,
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700", "01/02/2006", "1/2/2006",
}

// parseDate reads a machine date (meta content, datetime attribute) and, if
// that fails, a written one. The result is in UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 80 {
		return time.Time{}, false
	}
	for _, l := range metaLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1970 || t.Year() > 2100 {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	if m := findDate(s); m != nil {
		return m.t, true
	}
	return time.Time{}, false
}

// metaDateKeys are the meta names that carry a publication date, best first.
var metaDateKeys = []string{
	"article:published_time", "og:published_time", "published_time", "datepublished",
	"dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
	"dcterms.created", "citation_publication_date", "citation_date", "publication_date",
	"pubdate", "publishdate", "publish-date", "publish_date", "sailthru.date", "parsely-pub-date",
	"article.published", "originalpublicationdate", "date", "created",
}

func metaDate(h head) (time.Time, bool) {
	for _, k := range metaDateKeys {
		if t, ok := parseDate(h.meta[k]); ok {
			return t, true
		}
	}
	return parseDate(h.jsonDate)
}

// dateline returns the date of a block that is a dateline: a short line
// that begins or ends with a date ("Washington, DC May 3, 2010").
func dateline(b *block) (time.Time, bool) {
	if b.timeAttr != "" {
		if t, ok := parseDate(b.timeAttr); ok {
			return t, true
		}
	}
	if b.kind == kindHeading && b.runes <= 40 {
		// a heading that is only a date, maybe with its weekday: a blog's date header
		if m := findDate(b.text); m != nil && reWeekday.ReplaceAllString(strings.Trim(b.text[:m.start]+b.text[m.end:], " ,.:;|-–—()[]"), "") == "" {
			return m.t, true
		}
	}
	if b.kind != kindText || b.runes > 200 {
		return time.Time{}, false
	}
	m := findDate(b.text)
	if m == nil {
		// A line that is only a month ("May 2004") dates the page to it.
		if mm := reMonthYr.FindStringSubmatch(strings.TrimSpace(b.text)); mm != nil {
			y, _ := strconv.Atoi(mm[2])
			return mkDate(y, int(monthNames[strings.ToLower(mm[1])]), 1)
		}
		return time.Time{}, false
	}
	trim := func(s string) string { return strings.Trim(s, " ,.:;|-–—()[]") }
	if b.runes <= 40 || trim(b.text[:m.start]) == "" || trim(b.text[m.end:]) == "" || afterDateLabel(b.text[:m.start]) {
		return m.t, true
	}
	return time.Time{}, false
}

// dateLabels are the words that label a page's date in its chrome
// ("Published: Sep 25, 2013. Publicly Released: …", "Posted on 3 May 2012").
var dateLabels = []string{"published", "updated", "posted", "released", "issued", "dated", "date", "posted on", "published on"}

// afterDateLabel reports whether before (the text before a date) ends with a date label.
func afterDateLabel(before string) bool {
	w := strings.ToLower(strings.TrimRight(before, " :–—-"))
	for _, l := range dateLabels {
		if strings.HasSuffix(w, l) && (len(w) == len(l) || !isWordByte(w[len(w)-len(l)-1])) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
