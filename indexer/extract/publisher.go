package extract

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// The publisher as a reader finds it. When the page declares no site name
// (og:site_name, application-name, the site's part of the <title>), a reader
// still knows whose page it is from the chrome around the content: the
// masthead or logo of the header, the copyright or agency line of the footer,
// a news byline or dateline ("WASHINGTON (Reuters) —"). publisherName
// reads those, in that order, before the chrome is cleaned away; a candidate
// counts only when it reads like the name of a publisher (publisherWords, or
// a domain), so that a tagline ("Diplomacy in Action") or a menu is never
// taken for one. The host is left to the tagger, as one signal among these.

// publisherWords mark a text as the name of a publisher: an agency, an
// organization, a legislature, a newspaper or a wire service.
var publisherWords = []string{"department", "dept.", "embassy", "consulate", "ministry", "government", "office",
	"bureau", "agency", "administration", "commission", "council", "committee", "congress", "senate",
	"house of representatives", "white house", "united nations", "nations", "organization", "organisation",
	"association", "institute", "foundation", "center for", "centre for", "university", "corporation",
	"inc.", "inc", "llc", "group", "times", "post", "news", "press", "journal", "tribune", "herald", "gazette",
	"reuters", "associated press", "agence france", "bar association", "court", "accountability", "inspector general"}

// reCopyright matches a copyright line's holder: "© 2023 American Bar
// Association", "Copyright (c) 2019 The Washington Post. All rights reserved."
var reCopyright = regexp.MustCompile(`(?i)(?:©|\(c\)|copyright)\s*(?:©|\(c\))?\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?[,.]?\s*)?([A-Z][^.|\n©]{2,80}?)(?:\.|\s+all rights|\s*\||\n|$)`)

// reWireDateline matches a news dateline naming its agency: "KABUL (Reuters) -".
var reWireDateline = regexp.MustCompile(`\b[A-Z][A-Z .,'-]{2,40}\((AP|Reuters|AFP|Associated Press|Bloomberg|UPI)\)\s*[-–—]`)

// mastheadSelectors find the site's own name in its header.
var mastheadSelectors = []string{
	`[class*="site-name"]`, `[class*="site-title"]`, `[class*="sitename"]`, `[id*="site-name"]`, `[class*="masthead"]`,
	`[class*="navbar-brand"]`, `[class*="brand"]`, `[class*="logo"]`, `header`, `[role="banner"]`,
}

// publisherName returns the publisher the page's chrome names, or "".
func publisherName(doc *goquery.Document) string {
	if c := metadataPublisher(doc); c != "" {
		return c
	}
	for _, sel := range mastheadSelectors {
		var found string
		doc.Find(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			for _, c := range mastheadTexts(s) {
				if looksLikePublisher(c) {
					found = c
					return false
				}
			}
			return true
		})
		if found != "" {
			return found
		}
	}
	var foot []string
	doc.Find(`footer, [class*="footer"], [id*="footer"], [role="contentinfo"]`).Each(func(_ int, s *goquery.Selection) {
		foot = append(foot, s.Text())
	})
	for _, text := range append(foot, doc.Find("body").Text()) {
		for _, m := range reCopyright.FindAllStringSubmatch(text, -1) {
			if c := trimPublisher(m[1]); looksLikePublisher(c) {
				return c
			}
		}
	}
	if c := footerAgencyLine(doc); c != "" {
		return c
	}
	if m := reWireDateline.FindStringSubmatch(doc.Find("body").Text()); m != nil {
		if m[1] == "AP" {
			return "Associated Press"
		}
		return m[1]
	}
	return ""
}

// metadataLabels name the publisher in a document's details: a repository
// or a mirror (a library of reports, the Federal Register) lists whose
// document it is ("Publisher | United States Department of State", "Agency:
// Department of State"), and that, not the repository's masthead, is the
// page's publisher.
var metadataLabels = map[string]bool{"publisher": true, "published by": true, "author": true, "corporate author": true,
	"agency": true, "issuing agency": true, "issued by": true, "agencies": true}

// metadataPublisher returns the publisher a details table or definition
// list names (th/td, dt/dd), or "".
func metadataPublisher(doc *goquery.Document) string {
	var found string
	doc.Find("th, dt").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		label := strings.ToLower(strings.TrimRight(collapse(s.Text()), ": "))
		if !metadataLabels[label] {
			return true
		}
		next := s.Next()
		if n := goquery.NodeName(next); n != "td" && n != "dd" {
			return true
		}
		if c := trimPublisher(collapse(next.Text())); looksLikePublisher(c) {
			found = c
			return false
		}
		return true
	})
	return found
}

// footerAgencyLine returns the agency a footer line opens with, before its
// address: "U.S. Department of Justice · 950 Pennsylvania Avenue, NW · …".
// The line must hold more than the name (a separator follows it), so that a
// menu of links ("Accessibility | FOIA") or a lone heading is not taken.
func footerAgencyLine(doc *goquery.Document) string {
	var found string
	doc.Find(`footer p, footer div, footer address, [class*="footer"] p, [id*="footer"] p, [role="contentinfo"] p`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if s.Find("a").Length() > 1 {
			return true // a menu
		}
		line := collapse(s.Text())
		k := strings.IndexAny(line, "·|•")
		if k <= 0 {
			return true
		}
		if c := trimPublisher(line[:k]); looksLikePublisher(c) {
			found = c
			return false
		}
		return true
	})
	return found
}

// mastheadTexts are the short texts of a header element that may name the
// site: its image's alt text, its own short text, its first link's text.
func mastheadTexts(s *goquery.Selection) []string {
	var out []string
	s.Find("img[alt]").Each(func(_ int, img *goquery.Selection) {
		out = append(out, collapse(img.AttrOr("alt", "")))
	})
	if alt, ok := s.Attr("alt"); ok {
		out = append(out, collapse(alt))
	}
	// the element's own short text ("U.S. Government Accountability Office")
	if t := collapse(s.Text()); len(words(t)) <= 10 {
		out = append(out, t)
	}
	s.Find("a, span, strong, p, div").EachWithBreak(func(i int, e *goquery.Selection) bool {
		if t := collapse(e.Text()); t != "" && len(words(t)) <= 10 {
			out = append(out, t)
		}
		return i < 8
	})
	for i, c := range out {
		out[i] = trimPublisher(strings.TrimSuffix(strings.TrimSuffix(c, " logo"), " Logo"))
	}
	return out
}

// trimPublisher cuts a name at a sentence end and strips quotes and spaces.
func trimPublisher(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "The ")
	s = strings.TrimSuffix(s, ",")
	return strings.TrimSpace(strings.Trim(s, `"“”'`))
}

// looksLikePublisher reports whether s reads like the name of a publisher:
// short, capitalised, with a word of publisherWords, or a domain.
func looksLikePublisher(s string) bool {
	n := len(words(s))
	if n == 0 || n > 10 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	if reDomain.MatchString(s) {
		return true
	}
	l := " " + strings.ToLower(s) + " "
	for _, w := range publisherWords {
		if strings.Contains(l, " "+w+" ") {
			return true
		}
	}
	return false
}
