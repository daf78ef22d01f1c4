// Package robots parses robots.txt files and decides which URLs a crawler may
// fetch, the way RFC 9309 and Google's reference parser (robots.cc) read them.
//
// Parsing is lenient as the reference is: a UTF-8 byte-order mark (or any
// prefix of one) at the start is skipped; lines end at \n, \r or \r\n; '#'
// starts a comment wherever it stands; white space around the key and the
// colon is dropped ("Disallow : /x"), and a missing colon is accepted when the
// line is exactly two words ("Disallow /x"); keys are case-insensitive and the
// common misspellings ("useragent", "disalow") are read as meant; lines that
// make no sense are skipped, never the file.
//
// Matching follows the reference too: a group's user-agent value is cut at the
// first character outside letters, '_' and '-' ("AB42bot" names "AB") and
// compared with the crawler's product token case-insensitively and whole (not
// as a prefix); the groups naming the crawler (merged, wherever they stand)
// replace the "*" groups; the longest matching pattern wins, counted in bytes
// of the pattern as written, and an allow wins a tie; '*' matches any run of
// characters and a final '$' anchors the end. Patterns and URLs are compared in
// one percent-encoding: non-ASCII bytes become %XX and existing escapes are
// upper-cased, and the URL's path and query are taken as they were linked
// (not decoded, not re-sorted).
//
// Crawl-delay, which the reference ignores, is read per group: the crawler
// honours it up to its own cap.
//
// It imports the standard library only.
package robots

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// maxLineLen is the longest line read, as in the reference; the rest of a
// longer line is dropped.
const maxLineLen = 2083 * 8

// File is a parsed robots.txt.
type File struct {
	groups []group
	// Sitemaps are the Sitemap lines' values, in order, wherever they stand.
	Sitemaps []string
}

type group struct {
	global     bool     // a "*" line opened it
	agents     []string // lower-cased product tokens of its user-agent lines
	rules      []rule
	crawlDelay time.Duration
	hasDelay   bool
}

type rule struct {
	allow   bool
	pattern string // percent-encoded as escapePattern does
}

// Parse reads a robots.txt body. It never fails: what cannot be read is skipped.
func Parse(body []byte) *File {
	f := &File{}
	var cur *group
	sawRule := false // the current group has had a rule: a user-agent line opens a new one
	for i, line := range splitLines(body) {
		if i == 0 {
			line = skipBOM(line)
		}
		key, value, ok := keyValue(line)
		if !ok {
			continue
		}
		switch kind(key) {
		case keyUserAgent:
			if cur == nil || sawRule {
				f.groups = append(f.groups, group{})
				cur = &f.groups[len(f.groups)-1]
				sawRule = false
			}
			if isGlobalAgent(value) {
				cur.global = true
			} else if tok := agentToken(value); tok != "" {
				cur.agents = append(cur.agents, strings.ToLower(tok))
			}
		case keyAllow, keyDisallow:
			if cur == nil {
				continue // a rule before any user-agent line belongs to no group
			}
			sawRule = true
			cur.rules = append(cur.rules, rule{allow: kind(key) == keyAllow, pattern: escapePattern(value)})
		case keyCrawlDelay:
			if cur == nil {
				continue
			}
			if d, ok := parseDelay(value); ok && !cur.hasDelay {
				cur.crawlDelay, cur.hasDelay = d, true
			}
		case keySitemap:
			if value != "" {
				f.Sitemaps = append(f.Sitemaps, value)
			}
		}
	}
	return f
}

// Agent is what a robots.txt asks of one crawler.
type Agent struct {
	rules []rule
	// CrawlDelay is the longest Crawl-delay of the groups that apply, 0 if none.
	CrawlDelay  time.Duration
	disallowAll bool
}

// DisallowAll is an Agent that may fetch nothing (a robots.txt that could not
// be fetched for a server error asks for that).
var DisallowAll = &Agent{disallowAll: true}

// Agent returns the rules for the crawler whose product token (or whole
// User-Agent header: the token is its first word before '/') is given.
func (f *File) Agent(userAgent string) *Agent {
	tok := strings.ToLower(agentToken(ProductToken(userAgent)))
	a := &Agent{}
	specific := false
	if tok != "" {
		for _, g := range f.groups {
			for _, n := range g.agents {
				if n == tok {
					specific = true
					a.add(g)
					break
				}
			}
		}
	}
	if !specific {
		for _, g := range f.groups {
			if g.global {
				a.add(g)
			}
		}
	}
	return a
}

func (a *Agent) add(g group) {
	a.rules = append(a.rules, g.rules...)
	if g.hasDelay && g.crawlDelay > a.CrawlDelay {
		a.CrawlDelay = g.crawlDelay
	}
}

// Allowed reports whether the crawler may fetch rawURL: an absolute URL (or a
// path) as it was linked.
func (a *Agent) Allowed(rawURL string) bool {
	if a == nil {
		return true
	}
	if a.disallowAll {
		return false
	}
	path := escapePattern(PathQuery(rawURL))
	allow, disallow := 0, 0
	for _, r := range a.rules {
		p := priority(path, r)
		if r.allow && p > allow {
			allow = p
		} else if !r.allow && p > disallow {
			disallow = p
		}
	}
	return disallow <= allow
}

// priority is the rule's weight for path: the length of its pattern when it
// matches, 0 when it does not (an empty pattern matches nothing that counts).
func priority(path string, r rule) int {
	if matches(path, r.pattern) {
		return len(r.pattern)
	}
	if r.allow {
		// The reference reads "Allow: /dir/index.htm(l)" as "Allow: /dir/$" too.
		if i := strings.LastIndexByte(r.pattern, '/'); i >= 0 && strings.HasPrefix(r.pattern[i:], "/index.htm") {
			if p := r.pattern[:i+1] + "$"; matches(path, p) {
				return len(p)
			}
		}
	}
	return 0
}

// matches reports whether pattern matches path from its start: '*' matches any
// run of characters, a '$' at the end anchors it, any other '$' is literal.
func matches(path, pattern string) bool {
	// pos holds the sorted indexes of path that the pattern so far can end at.
	pos := make([]int, 1, len(path)+1)
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '$' && i == len(pattern)-1 {
			return pos[len(pos)-1] == len(path)
		}
		if c == '*' {
			first := pos[0]
			pos = pos[:0]
			for p := first; p <= len(path); p++ {
				pos = append(pos, p)
			}
			continue
		}
		n := 0
		for _, p := range pos {
			if p < len(path) && path[p] == c {
				pos[n] = p + 1
				n++
			}
		}
		pos = pos[:n]
		if n == 0 {
			return false
		}
	}
	return true
}

// ProductToken is the first word of a User-Agent header before its '/'
// ("inlsearch/0.3 (+https://…)" → "inlsearch").
func ProductToken(userAgent string) string {
	tok, _, _ := strings.Cut(strings.TrimSpace(userAgent), "/")
	tok, _, _ = strings.Cut(tok, " ")
	return tok
}

// PathQuery is the path, parameters and query of a URL as written, without
// its fragment; "/" when it has none.
func PathQuery(rawURL string) string {
	s := rawURL
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	// skip the scheme and authority of an absolute or scheme-relative URL
	start := 0
	if i := strings.Index(s, "//"); i >= 0 && !strings.ContainsAny(s[:i], "/?") {
		start = i + 2
		j := strings.IndexAny(s[start:], "/?")
		if j < 0 {
			return "/"
		}
		start += j
	}
	p := s[start:]
	switch {
	case p == "":
		return "/"
	case p[0] == '?':
		return "/" + p
	}
	return p
}

// agentToken is the start of a user-agent value made of letters, '_' and '-'.
func agentToken(v string) string {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return v[:i]
		}
	}
	return v
}

// isGlobalAgent reports whether a user-agent value is "*" (alone or before white space).
func isGlobalAgent(v string) bool {
	return strings.HasPrefix(v, "*") && (len(v) == 1 || v[1] == ' ' || v[1] == '\t')
}

// escapePattern percent-encodes non-ASCII bytes and upper-cases the hex digits
// of existing escapes, so that a pattern and a URL compare in one encoding.
func escapePattern(s string) string {
	need := false
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '%' {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte('%')
			b.WriteByte(upper(s[i+1]))
			b.WriteByte(upper(s[i+2]))
			i += 2
		case c >= 0x80:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// splitLines splits at \n, \r and \r\n, cutting lines longer than maxLineLen.
func splitLines(b []byte) []string {
	var lines []string
	start := 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] != '\n' && b[i] != '\r' {
			continue
		}
		line := b[start:i]
		if len(line) > maxLineLen {
			line = line[:maxLineLen]
		}
		lines = append(lines, string(line))
		if i < len(b) && b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
		start = i + 1
	}
	return lines
}

// skipBOM drops a UTF-8 byte-order mark, or the prefix of one, from the start.
func skipBOM(s string) string {
	const bom = "\xEF\xBB\xBF"
	i := 0
	for i < len(bom) && i < len(s) && s[i] == bom[i] {
		i++
	}
	return s[i:]
}

// keyValue splits a line into its key and value: the comment dropped, white
// space trimmed, the colon (or, failing one, the white space between exactly
// two words) as the separator.
func keyValue(line string) (key, value string, ok bool) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", "", false
	}
	sep := strings.IndexByte(line, ':')
	if sep < 0 {
		sep = strings.IndexAny(line, " \t")
		if sep < 0 {
			return "", "", false
		}
		if strings.ContainsAny(strings.TrimLeft(line[sep:], " \t"), " \t") {
			return "", "", false // more than two words: not a key and a value
		}
	}
	key = strings.TrimSpace(line[:sep])
	if key == "" {
		return "", "", false
	}
	return key, strings.TrimSpace(line[sep+1:]), true
}

type keyKind int

const (
	keyUnknown keyKind = iota
	keyUserAgent
	keyAllow
	keyDisallow
	keySitemap
	keyCrawlDelay
)

// kind reads a key as the reference does: by its start, case-insensitively,
// with the common misspellings.
func kind(key string) keyKind {
	k := strings.ToLower(key)
	has := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
		return false
	}
	switch {
	case has("user-agent", "useragent", "user agent"):
		return keyUserAgent
	case has("allow"):
		return keyAllow
	case has("disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw"):
		return keyDisallow
	case has("sitemap", "site-map"):
		return keySitemap
	case has("crawl-delay", "crawldelay", "crawl delay"):
		return keyCrawlDelay
	}
	return keyUnknown
}

// parseDelay reads a Crawl-delay in seconds (a decimal number).
func parseDelay(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e9 {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}
