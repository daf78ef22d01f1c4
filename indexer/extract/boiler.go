package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// boilerPhrases are the stock lines of (mostly U.S. government) sites that
// are never content: banners, archive notices, table hints, sign-in and
// cookie blurbs, skip links, disclaimers. They are looked for, as whole
// words, in short lower-cased blocks only.
var boilerPhrases = []string{
	"printable banner", "great seal", "diplomacy in action",
	"an official website of the united states government",
	"here's how you know", "here’s how you know", "official websites use .gov",
	"secure .gov websites use https", "a lock (",
	"you are viewing archived content", "archived content", "this archive site",
	"links may not function", "historical material", "frozen in time",
	"no longer updated", "no longer being updated", "no longer maintained", "no longer being maintained",
	"if a scroll bar appears", "scroll right to view", "scroll left to view",
	"openid", "sign in", "log in", "already have an account", "create your own customized",
	"create an account", "forgot your password",
	"skip to main content", "skip to content", "skip to the content", "skip to navigation",
	"skip over navigation", "skip navigation", "back to top", "return to top", "top of page",
	"should not be construed as an endorsement", "should not be construed as endorsement",
	"exit disclaimer", "external link policy", "this site is managed by",
	"use cookies", "uses cookies", "using cookies", "cookie policy", "cookie settings", "cookie preferences",
	"enable javascript", "javascript is disabled", "javascript must be enabled", "javascript is required",
	"your browser does not support",
	"share this page", "share this article", "share this story", "print this page", "print this article",
	"email this page", "email this article", "e-mail this page",
	"sign up for email updates", "sign up for e-mail updates", "sign up for updates",
	"get email updates", "get e-mail updates", "subscribe to email", "subscribe to e-mail",
	"subscribe to our newsletter", "subscribe to newsletter", "subscribe to updates", "follow us on",
}

// ContainsWords reports whether phrase occurs in s, case as written,
// between word boundaries (no letter or digit just before or after it).
func ContainsWords(s, phrase string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], phrase)
		if i < 0 {
			return false
		}
		i += from
		j := i + len(phrase)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		if (i == 0 || !isWordRune(before)) && (j == len(s) || !isWordRune(after)) {
			return true
		}
		from = i + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// shareTokens are the words of widget lines ("Share | Print | Email").
var shareTokens = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`share shares sharing report print printer friendly print-friendly email e-mail
		mail tweet facebook twitter x linkedin youtube instagram flickr pinterest reddit whatsapp rss
		feed bookmark more read click here top back to home menu search close open next previous prev
		skip content main navigation translate text size font subscribe follow us on this page
		article story copy link download pdf version comments comment like tags view all see full
		related links toggle expand collapse go submit a+ a- aa a`) {
		shareTokens[w] = true
	}
}

// boilerplate reports whether text is a stock line rather than content.
func boilerplate(text string) bool {
	n := countRunes(text)
	if n == 0 {
		return true
	}
	if n < 400 {
		l := strings.ToLower(text)
		for _, p := range boilerPhrases {
			if ContainsWords(l, p) {
				return true
			}
		}
	}
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return unicode.IsSpace(r) || r == '|' || r == '/' || r == '•' || r == '·' || r == ','
	})
	if len(ws) == 0 {
		return true
	}
	if len(ws) <= 5 {
		all := true
		for _, w := range ws {
			w = strings.Trim(w, ".:!()[]»«›>")
			if w != "" && !shareTokens[w] {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// markBlocks flags boilerplate and orphan scraps: short lines with no
// sentence punctuation whose neighbours are both junk (the last crumb of a
// breadcrumb, a tagline between menus).
func markBlocks(blocks []block) {
	for i := range blocks {
		b := &blocks[i]
		if b.kind != kindTable {
			b.boiler = boilerplate(b.text)
		}
	}
	bad := func(i int) bool {
		return i < 0 || i >= len(blocks) || !blocks[i].eligible()
	}
	var orphans []int
	for i := range blocks {
		b := &blocks[i]
		if b.kind == kindText && b.eligible() && b.runes < 30 && !strings.ContainsAny(b.text, ".!?") &&
			bad(i-1) && bad(i+1) {
			orphans = append(orphans, i)
		}
	}
	for _, i := range orphans {
		blocks[i].orphan = true
	}
}
