package tag

import (
	"regexp"
	"strconv"
	"strings"
)

// Years from 1960 to 2035 that a text uses as dates or event years.
const (
	minYear = 1960
	maxYear = 2035
)

var (
	rePhone   = regexp.MustCompile(`\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b`)
	reNumber  = regexp.MustCompile(`\d+(?:[.,/]\d+)*`)
	reFYTwo   = regexp.MustCompile(`\b(?:FY|fy|Fy)\s?[-']?\s?(\d{2})\b`)
	reDateNum = regexp.MustCompile(`^\d{1,2}[./-]\d{1,2}[./-](\d{4})$`)
	reISODate = regexp.MustCompile(`^(\d{4})[./-]\d{1,2}[./-]\d{1,2}$`)
)

// words before a number that make it an identifier, not a year
var idBefore = map[string]bool{
	"unscr": true, "unscrs": true, "resolution": true, "resolutions": true, "prn": true, "p.l": true, "pl": true, "law": true,
	"section": true, "sections": true, "sec": true, "eo": true, "e.o": true, "order": true, "no": true, "nos": true, "number": true,
	"report": true, "audit": true, "case": true, "docket": true, "form": true, "code": true, "article": true, "art": true,
	"chapter": true, "paragraph": true, "para": true, "page": true, "pages": true, "pp": true, "tel": true, "phone": true,
	"fax": true, "room": true, "suite": true, "box": true, "route": true, "highway": true, "flight": true, "id": true,
	"ref": true, "reference": true, "contract": true, "grant": true, "h.r": true, "hr": true, "s": true, "gao": true, "ext": true,
	"usc": true, "u.s.c": true, "cfr": true, "ao": true, "opinion": true, "memo": true,
}

// words before a number that make it a year whatever follows
var yearBefore = map[string]bool{
	"in": true, "since": true, "during": true, "until": true, "by": true, "from": true, "through": true, "of": true,
	"before": true, "after": true, "year": true, "years": true, "fy": true, "early": true, "late": true, "mid": true, "spring": true,
	"summer": true, "fall": true, "autumn": true, "winter": true, "calendar": true, "fiscal": true, "to": true, "and": true,
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true, "august": true,
	"september": true, "october": true, "november": true, "december": true, "jan": true, "feb": true, "mar": true,
	"apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"the": true, "this": true, "its": true, "cy": true, "between": true, "till": true, "circa": true, "around": true,
}

// words after a number that make it a quantity
var unitAfter = map[string]bool{
	"km": true, "kilometers": true, "kilometres": true, "miles": true, "mi": true, "ha": true, "hectares": true, "acres": true,
	"kg": true, "kgs": true, "kilograms": true, "kilos": true, "grams": true, "g": true, "mt": true, "tons": true, "tonnes": true,
	"metric": true, "pounds": true, "lbs": true, "liters": true, "litres": true, "gallons": true, "people": true, "persons": true,
	"officers": true, "police": true, "students": true, "participants": true, "cases": true, "arrests": true, "individuals": true,
	"members": true, "personnel": true, "troops": true, "agents": true, "prisoners": true, "inmates": true, "victims": true,
	"judges": true, "prosecutors": true, "officials": true, "hours": true, "units": true, "vehicles": true, "boats": true,
	"weapons": true, "rifles": true, "households": true, "families": true, "farmers": true, "men": true, "women": true,
	"children": true, "cadets": true, "recruits": true, "meters": true, "metres": true, "feet": true, "square": true, "sq": true,
	"containers": true, "kilometer": true, "graduates": true, "trainees": true, "staff": true, "employees": true, "plants": true,
	"labs": true, "laboratories": true, "flights": true, "pills": true, "doses": true, "beds": true, "cells": true,
}

// phrases after a year that make it a statute or convention year
var statuteAfter = []string{"un drug convention", "u.n. drug convention", "drug convention", "convention", "single convention", "united nations convention", "un convention", "vienna convention", "protocol"}

// yearHit is a year found in a text, with the words that show it.
type yearHit struct {
	year int
	text string
	pos  int // byte offset of the match in the text, for its evidence sentence
}

// extractYears returns the years of text in order of appearance (duplicates kept).
func extractYears(text string) []yearHit {
	clean := text
	// the regular expressions are costly: run them only where they can match
	if strings.Contains(text, "/") || strings.Contains(text, "www.") {
		clean = blankURLs(clean)
	}
	if hasPhoneShape(text) {
		clean = blank(clean, rePhone)
	}
	var out []yearHit
	rejectChain := false // the previous number was an identifier ("UNSCRs 1373 and 2178")
	prevEnd := 0
	for _, m := range reNumber.FindAllStringIndex(clean, -1) {
		s, e := m[0], m[1]
		run := clean[s:e]
		between := strings.TrimSpace(strings.ToLower(clean[prevEnd:s]))
		chained := rejectChain && (between == "and" || between == "," || between == "or" || between == ", and" || between == "/" || between == "-")
		prevEnd = e
		ys, ok := yearsOfRun(clean, s, e, run)
		if !ok || chained {
			rejectChain = !ok || chained
			continue
		}
		rejectChain = false
		for _, y := range ys {
			out = append(out, yearHit{year: y, text: strings.TrimSpace(text[max(0, s-4):min(len(text), e)]), pos: s})
		}
	}
	for _, m := range reFYTwo.FindAllStringSubmatchIndex(clean, -1) {
		n, _ := strconv.Atoi(clean[m[2]:m[3]])
		y := 2000 + n
		if n >= 60 {
			y = 1900 + n
		}
		if y >= minYear && y <= maxYear {
			out = append(out, yearHit{year: y, text: clean[m[0]:m[1]], pos: m[0]})
		}
	}
	return out
}

// blank replaces the matches of re with spaces, keeping offsets.
func blank(s string, re *regexp.Regexp) string {
	return re.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
}

func inRange(n int) bool { return n >= minYear && n <= maxYear }

// yearsOfRun decides whether the number run clean[s:e] is a year (or a date or
// range holding years); ok is false when the run is an identifier or a quantity.
func yearsOfRun(clean string, s, e int, run string) ([]int, bool) {
	if m := reDateNum.FindStringSubmatch(run); m != nil {
		y, _ := strconv.Atoi(m[1])
		return yearIf(y), true
	}
	if m := reISODate.FindStringSubmatch(run); m != nil {
		y, _ := strconv.Atoi(m[1])
		return yearIf(y), true
	}
	if strings.ContainsAny(run, ",.") {
		return nil, false // 1,344 km; 2.5; 80,500 ha
	}
	if strings.Contains(run, "/") { // 2012/1039 (PRN), 2012/2013
		parts := strings.Split(run, "/")
		var ys []int
		for _, p := range parts {
			n, _ := strconv.Atoi(p)
			if len(p) != 4 || !inRange(n) {
				return nil, false
			}
			ys = append(ys, n)
		}
		return ys, !idContext(clean, s)
	}
	if idContext(clean, s) {
		return nil, false
	}
	if len(run) != 4 {
		return nil, true
	}
	n, _ := strconv.Atoi(run)
	if !inRange(n) {
		return nil, true
	}
	// glued to letters: an identifier (c2012, md2012), except FY2012
	if s > 0 && isLetterByte(clean[s-1]) {
		k := s
		for k > 0 && isLetterByte(clean[k-1]) {
			k--
		}
		if w := strings.ToLower(clean[k:s]); w != "fy" && w != "cy" {
			return nil, false
		}
	}
	if e < len(clean) && isLetterByte(clean[e]) {
		return nil, false // 1990s, 2012R
	}
	if s > 0 && (clean[s-1] == '$' || clean[s-1] == '#' || clean[s-1] == '§') {
		return nil, false
	}
	// joined to a previous number by a hyphen: an identifier (P.L. 114-2012, 12-2012) unless a year range
	if s > 1 && (clean[s-1] == '-' || strings.HasSuffix(clean[:s], "–")) {
		k := s - 1
		if clean[s-1] != '-' {
			k = s - len("–")
		}
		j := k
		for j > 0 && clean[j-1] >= '0' && clean[j-1] <= '9' {
			j--
		}
		if j < k {
			p, _ := strconv.Atoi(clean[j:k])
			if k-j != 4 || !inRange(p) {
				return nil, false
			}
		}
	}
	after := strings.ToLower(clean[e:min(len(clean), e+40)])
	rest := strings.TrimLeft(after, " ")
	for _, st := range statuteAfter {
		if strings.HasPrefix(rest, st) {
			return nil, false
		}
	}
	before := lastWord(clean[:s])
	if before == "of" && precededByAct(clean[:s]) {
		return nil, false
	}
	if statuteBefore(clean[:s]) || statuteName(clean[e:]) {
		return nil, false
	}
	ys := []int{n}
	// a range: 2012-2016, 2012–16, 2012 to 2016 is caught by the next run
	if strings.HasPrefix(after, "-") || strings.HasPrefix(after, "–") {
		tail := after[1:]
		if strings.HasPrefix(after, "–") {
			tail = after[len("–"):]
		}
		d := 0
		for d < len(tail) && tail[d] >= '0' && tail[d] <= '9' {
			d++
		}
		if d == 2 && (len(tail) == d || !isLetterByte(tail[d])) {
			m, _ := strconv.Atoi(tail[:d])
			y := n/100*100 + m
			if y > n && inRange(y) {
				ys = append(ys, y)
			}
		} else if d > 0 && d != 4 {
			return nil, false // 2012-1039: an identifier
		}
	}
	if !yearBefore[before] {
		if w := firstWord(rest); unitAfter[w] {
			return nil, false
		}
	}
	return ys, true
}

func yearIf(y int) []int {
	if inRange(y) {
		return []int{y}
	}
	return nil
}

func isLetterByte(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// idContext reports whether the word before position s marks an identifier.
func idContext(clean string, s int) bool {
	w := lastWord(clean[:s])
	if idBefore[w] {
		return true
	}
	pre := strings.ToLower(clean[max(0, s-25):s])
	return strings.Contains(pre, "executive order") || strings.Contains(pre, "public law") || strings.HasSuffix(strings.TrimSpace(pre), "p.l.")
}

// lastWord returns the lower-case word just before the end of s (inner periods kept).
func lastWord(s string) string {
	s = strings.TrimRight(s, " :#\u00a0")
	k := len(s)
	for k > 0 && (isLetterByte(s[k-1]) || s[k-1] == '.') {
		k--
	}
	return strings.Trim(strings.ToLower(s[k:]), ".")
}

func firstWord(s string) string {
	k := 0
	for k < len(s) && isLetterByte(s[k]) {
		k++
	}
	return strings.ToLower(s[:k])
}

func precededByAct(s string) bool {
	s = strings.TrimRight(s, " ")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "of"), "Of")
	w := lastWord(s)
	return w == "act" || w == "acts" || w == "law" || w == "convention" || w == "protocol" || w == "ordinance" || w == "decree"
}

var statuteWords = map[string]bool{"act": true, "law": true, "code": true, "decree": true, "convention": true, "protocol": true, "ordinance": true, "statute": true}

// statuteBefore reports a year written after a statute's name and a comma
// ("Proceeds of Crime Act, 2000") or after "Law 318 of".
func statuteBefore(before string) bool {
	b := strings.TrimRight(before, " ")
	if strings.HasSuffix(b, ",") {
		return statuteWords[lastWord(strings.TrimSuffix(b, ","))]
	}
	if strings.HasSuffix(b, " of") {
		b = strings.TrimRight(strings.TrimSuffix(b, " of"), " ")
		k := len(b)
		for k > 0 && b[k-1] >= '0' && b[k-1] <= '9' {
			k--
		}
		if k < len(b) {
			return statuteWords[lastWord(b[:k])]
		}
	}
	return false
}

// statuteName reports a year that opens the title-case name of a statute
// ("the 2009 Elimination of Violence against Women law", "1988 Vienna Convention").
func statuteName(after string) bool {
	if k := strings.IndexByte(after, '\n'); k >= 0 {
		after = after[:k] // a name never runs on to the next line
	}
	fields := strings.Fields(after)
	for i, f := range fields {
		if i >= 9 {
			return false
		}
		w := strings.Trim(f, ",;:()\"'’.")
		lw := strings.ToLower(w)
		if statuteWords[lw] && i > 0 {
			return true
		}
		if w == "" || strings.ContainsAny(f, ".;:") && i > 0 {
			return false
		}
		if !isCapitalized(w) && !smallWords[lw] {
			return false
		}
	}
	return false
}

var smallWords = map[string]bool{"of": true, "against": true, "the": true, "and": true, "on": true, "for": true, "to": true, "in": true, "un": true}

// hasPhoneShape reports whether s holds three digits, a space, dot or hyphen,
// and three more digits (the start of a phone number).
func hasPhoneShape(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			run++
		case (c == ' ' || c == '.' || c == '-' || c == ')') && run >= 3 && i+3 < len(s):
			k := i + 1
			if c == ')' && k < len(s) && s[k] == ' ' {
				k++
			}
			if k+3 <= len(s) && isDigits(s[k:k+3]) {
				return true
			}
			run = 0
		default:
			run = 0
		}
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// blankURLs replaces the URLs of s (a word with "://", starting with "www.",
// or a domain followed by a path) with spaces, keeping offsets: their numbers
// are identifiers, not years.
func blankURLs(s string) string {
	b := []byte(s)
	i := 0
	for i < len(b) {
		for i < len(b) && isSpaceByte(b[i]) {
			i++
		}
		j := i
		for j < len(b) && !isSpaceByte(b[j]) {
			j++
		}
		w := strings.ToLower(s[i:j])
		if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") || isDomainPath(w) {
			for k := i; k < j; k++ {
				b[k] = ' '
			}
		}
		i = j
	}
	return string(b)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// isDomainPath reports whether w looks like "state.gov/j/inl/…".
func isDomainPath(w string) bool {
	k := strings.IndexByte(w, '/')
	if k <= 0 {
		return false
	}
	host := w[:k]
	for _, tld := range []string{".gov", ".org", ".com", ".net", ".int", ".mil", ".edu"} {
		if strings.HasSuffix(host, tld) {
			return true
		}
	}
	return false
}

// blankArchiveNotices blanks (keeping offsets) the sentences of text that are
// an archive's notice about itself ("This web site is a permanent electronic
// archive of material posted online between January 1, 1997 and January 20,
// 2001", "material from 2001 to 2009 is kept at 2001-2009.state.gov"): site
// chrome whose years are no event of the page.
func blankArchiveNotices(text string) string {
	lower := strings.ToLower(text)
	if !strings.Contains(lower, "archive") && !strings.Contains(lower, "kept at") {
		return text
	}
	b := []byte(text)
	start := 0
	for i := 0; i <= len(lower); i++ {
		end := i == len(lower) || lower[i] == '\n' || lower[i] == ';' ||
			lower[i] == '.' && (i+1 == len(lower) || lower[i+1] == ' ' || lower[i+1] == '\n')
		if !end {
			continue
		}
		if isArchiveNotice(lower[start:i]) {
			for k := start; k < i; k++ {
				b[k] = ' '
			}
		}
		start = i + 1
	}
	return string(b)
}

func isArchiveNotice(s string) bool {
	archive := strings.Contains(s, "archive")
	site := strings.Contains(s, "web site") || strings.Contains(s, "website") || strings.Contains(s, "online") ||
		strings.Contains(s, "www.") || strings.Contains(s, ".gov")
	material := strings.Contains(s, "material") || strings.Contains(s, "information") || strings.Contains(s, "content")
	return archive && site || strings.Contains(s, "kept at") && material
}
