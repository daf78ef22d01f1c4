package extract

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// head is what the page says about itself before any cleaning: the <title>,
// the <meta> values, the language and the JSON-LD publication date.
type head struct {
	title    string
	meta     map[string]string // lower-cased name/property/itemprop → first content
	lang     string
	jsonDate string
}

var reJSONLDDate = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]{4,40})"`)

func readHead(doc *goquery.Document) head {
	h := head{meta: map[string]string{}}
	h.title = collapse(doc.Find("title").First().Text())
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			return
		}
		for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
			if key := strings.ToLower(strings.TrimSpace(s.AttrOr(k, ""))); key != "" {
				if _, seen := h.meta[key]; !seen {
					h.meta[key] = collapse(content)
				}
			}
		}
	})
	if html0 := doc.Find("html").First(); html0.Length() > 0 {
		h.lang = html0.AttrOr("lang", html0.AttrOr("xml:lang", ""))
	}
	if h.lang == "" {
		h.lang = h.meta["content-language"]
	}
	if h.lang == "" {
		h.lang = h.meta["og:locale"]
	}
	h.lang = normLang(h.lang)
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if m := reJSONLDDate.FindStringSubmatch(s.Text()); m != nil {
			h.jsonDate = m[1]
			return false
		}
		return true
	})
	return h
}

// normLang returns the primary language subtag of tag, lower-cased: "en-US"
// and "en_us" give "en"; anything that is not a plausible tag gives "".
func normLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_,; "); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 8 {
		return ""
	}
	for _, r := range tag {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return tag
}

// links returns every http(s) link of the page (a and area elements),
// resolved against <base href> or the page URL, without fragment, in
// document order and without duplicates.
func links(doc *goquery.Document, page *url.URL) []string {
	base := page
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := page.Parse(cleanHref(href)); err == nil && isWeb(b) {
			base = b
		}
	}
	seen := map[string]bool{}
	var out []string
	doc.Find("a[href], area[href]").Each(func(_ int, s *goquery.Selection) {
		href := cleanHref(s.AttrOr("href", ""))
		if href == "" || strings.HasPrefix(href, "#") {
			return
		}
		u, err := base.Parse(href)
		if err != nil || !isWeb(u) {
			return
		}
		u.Fragment, u.RawFragment = "", ""
		u.Host = strings.ToLower(u.Host)
		link := u.String()
		if _, err := url.Parse(link); err != nil {
			return // a reference url.Parse takes whose resolved form it refuses ("//0::")
		}
		if !seen[link] {
			seen[link] = true
			out = append(out, link)
		}
	})
	return out
}

// cleanHref strips what the URL standard strips before parsing: surrounding
// whitespace and every tab and newline.
func cleanHref(h string) string {
	h = strings.TrimSpace(h)
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, h)
}

func isWeb(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Hostname() != ""
}

// titleSeparators split a <title> into the page's own title and the site's
// name; they need spaces around them so that "Counter-Narcotics" stays whole.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · "}

var reDomain = regexp.MustCompile(`(?i)\b[a-z0-9-]+\.(gov|mil|com|org|net|edu|int|us)\b`)

// siteWords are words that mark a title part as the name of a site rather
// than of the page.
var siteWords = []string{"department of", "dept.", "dept ", "embassy", "consulate", "ministry", "government",
	"website", "web site", "homepage", "home page", "portal", "archive"}

// looksLikeSite reports whether a title part names a site.
func looksLikeSite(part, siteName string) bool {
	l := strings.ToLower(part)
	if siteName != "" && sameText(part, siteName) {
		return true
	}
	if reDomain.MatchString(part) {
		return true
	}
	for _, w := range siteWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// cleanTitle removes site names before and after the page's own title:
// "Partnerships - U.S. Department of State" gives "Partnerships". A part
// equal to the page's h1 wins outright.
func cleanTitle(t, h1, siteName string) string {
	t = collapse(t)
	type part struct{ sep, text string }
	// "Example Dept.: Page" — a colon separates only a site-like prefix.
	if pre, rest, ok := strings.Cut(t, ": "); ok && rest != "" && looksLikeSite(pre, siteName) && !looksLikeSite(rest, siteName) {
		t = rest
	}
	parts := []part{{"", t}}
	for _, sep := range titleSeparators {
		var next []part
		for _, p := range parts {
			for i, s := range strings.Split(p.text, sep) {
				ps := part{sep, s}
				if i == 0 {
					ps.sep = p.sep
				}
				next = append(next, ps)
			}
		}
		parts = next
	}
	if len(parts) == 1 {
		return t
	}
	for _, p := range parts {
		if h1 != "" && sameText(p.text, h1) {
			return strings.TrimSpace(p.text)
		}
	}
	site := func(p part) bool { return looksLikeSite(p.text, siteName) }
	dropped := false
	for len(parts) > 1 && site(parts[len(parts)-1]) {
		parts, dropped = parts[:len(parts)-1], true
	}
	for len(parts) > 1 && site(parts[0]) {
		parts, dropped = parts[1:], true
		parts[0].sep = ""
	}
	// Without a recognisable site name, a short last part after a pipe
	// ("Home | INL") is still the site's.
	if !dropped && len(parts) > 1 && parts[len(parts)-1].sep == " | " && len(words(parts[len(parts)-1].text)) <= 4 {
		parts = parts[:len(parts)-1]
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.sep)
		b.WriteString(p.text)
	}
	return strings.TrimSpace(b.String())
}

// siteName returns the name the site gives itself: og:site_name,
// application-name or site_name, else the part of the <title> that names the site
// ("… | United States Department of Justice"); "" when none is recognisable.
func siteName(h head) string {
	for _, k := range []string{"og:site_name", "application-name", "site_name"} {
		if v := strings.TrimSpace(h.meta[k]); v != "" {
			return v
		}
	}
	t := collapse(h.title)
	if pre, rest, ok := strings.Cut(t, ": "); ok && rest != "" && looksLikeSite(pre, "") && !looksLikeSite(rest, "") {
		return strings.TrimSpace(pre)
	}
	return outerTitlePart(t, func(p string) bool { return looksLikeSite(p, "") })
}

// siteBeside returns the part of a <title> beside the page's own title
// ("Headline | Newspaper" gives "Newspaper"): the last part, or the first
// when the title is last; "" when the <title> has no other part.
func siteBeside(htmlTitle, pageTitle string) string {
	return outerTitlePart(collapse(htmlTitle), func(p string) bool { return !sameText(p, pageTitle) })
}

// outerTitlePart splits a <title> at titleSeparators and returns its last
// part when ok accepts it, else its first when ok accepts that; "" when the
// title has one part or ok accepts neither.
func outerTitlePart(t string, ok func(string) bool) string {
	parts := []string{t}
	for _, sep := range titleSeparators {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	if len(parts) < 2 {
		return ""
	}
	if last := strings.TrimSpace(parts[len(parts)-1]); ok(last) {
		return last
	}
	if first := strings.TrimSpace(parts[0]); ok(first) {
		return first
	}
	return ""
}

// headingID returns the id a link can use to reach heading h: its own id, a
// named anchor inside it, an empty anchor just before it, or the id of a
// section it opens.
func headingID(h *html.Node) string {
	if id := attr(h, "id"); id != "" {
		return id
	}
	var inner string
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil && inner == ""; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if id := attr(c, "id"); id != "" {
				inner = id
			} else if c.Data == "a" && attr(c, "name") != "" {
				inner = attr(c, "name")
			} else {
				find(c)
			}
		}
	}
	find(h)
	if inner != "" {
		return inner
	}
	prev := h.PrevSibling
	for prev != nil && prev.Type == html.TextNode && strings.TrimSpace(prev.Data) == "" {
		prev = prev.PrevSibling
	}
	if prev != nil && prev.Type == html.ElementNode && strings.TrimSpace(nodeText(prev)) == "" {
		if id := attr(prev, "id"); id != "" {
			return id
		}
		if prev.Data == "a" && attr(prev, "name") != "" {
			return attr(prev, "name")
		}
	}
	if p := h.Parent; p != nil && firstElementChild(p) == h && (p.Data == "section" || p.Data == "div" || p.Data == "article") {
		return attr(p, "id")
	}
	return ""
}

func firstElementChild(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return nil
		}
	}
	return nil
}

// nodeText returns the raw concatenated text of n.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}
