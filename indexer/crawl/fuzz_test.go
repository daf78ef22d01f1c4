package crawl

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzRobots parses any robots.txt the way a crawl does and asks it about
// any path: no panic, and a group for our agent whatever the input (the
// rules after the cap are simply not read).
func FuzzRobots(f *testing.F) {
	for _, seed := range []string{
		"User-agent: *\nDisallow: /private\nAllow: /private/ok\n",
		"User-agent: inlsearch\nCrawl-delay: 2\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
		"Disallow: /before-any-group\nUser-agent: *\nCrawl-delay: soon\nDisallow: /x\n",
		"User-agent: *\nCrawl-delay: 3600\nCrawl-delay: -1\nCrawl-delay: 1e308\nCrawl-delay: NaN\n",
		"User-agent: *\nDisallow: /*.php$\nDisallow: /a*b*c*d*e*f*g*h*\nAllow: /$\n",
		"Sitemap: /s.xml\nSitemap: http://other.example/s.xml\n",
		"\xef\xbb\xbfUser-agent: *\r\nDisallow: /bom\r\n",
		"User-agent:\nDisallow:\n#comment only\n\x00\xff\xfe",
		strings.Repeat("User-agent: a\n", 500) + "Disallow: /\n",
	} {
		f.Add([]byte(seed), "/private/x?y=1", false)
		f.Add([]byte(seed), "/", true)
	}
	f.Fuzz(func(t *testing.T, body []byte, path string, truncated bool) {
		if len(body) > 500<<10 { // MaxRobotsBytes: the fetch never hands over more
			body, truncated = body[:500<<10], true
		}
		data := parseRobots(body, truncated)
		if data == nil {
			t.Fatal("parseRobots returned nil")
		}
		rules := data.Agent(DefaultUserAgent)
		if rules == nil {
			t.Fatal("no rules for our agent")
		}
		u := &url.URL{Scheme: "http", Host: "example.org", Path: "/" + strings.TrimLeft(path, "/")}
		h := &host{rules: rules}
		_ = h.allowed(item{url: u.String(), raw: "http://example.org/" + path})
	})
}

// FuzzSitemap parses any sitemap or sitemap index: no panic, at most the
// limit of entries, every entry an absolute URL resolved against the
// sitemap's own.
func FuzzSitemap(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/a</loc><lastmod>2024-03-05</lastmod></url></urlset>`,
		`<sitemapindex><sitemap><loc>http://example.org/s2.xml</loc></sitemap><sitemap><loc>rel.xml</loc></sitemap></sitemapindex>`,
		`<urlset><url><loc>/a</loc></url><url><loc>/b</loc></url><url><loc>/c`,
		`<?xml version="1.0" encoding="windows-1252"?><urlset><url><loc>/caf` + "\xe9" + `</loc></url></urlset>`,
		`<?xml version="1.0" encoding="x-unknown"?><urlset><url><loc>/x</loc></url></urlset>`,
		`<urlset><url><loc>javascript:alert(1)</loc></url><url><loc>//other.example/x</loc></url><url><loc> </loc></url></urlset>`,
		`<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><urlset><url><loc>&b;</loc></url></urlset>`,
		strings.Repeat("<url>", 1000) + "<loc>/deep</loc>",
		"\x1f\x8b\x08\x00garbage",
	} {
		f.Add([]byte(seed), 3)
		f.Add([]byte(seed), 50000)
	}
	f.Fuzz(func(t *testing.T, body []byte, limit int) {
		if limit <= 0 || limit > 50000 {
			limit = 50000
		}
		pages, sitemaps := parseSitemap("http://example.org/maps/sitemap.xml", body, limit)
		if n := len(pages) + len(sitemaps); n > limit {
			t.Fatalf("%d entries, limit %d", n, limit)
		}
		for _, e := range append(pages, sitemaps...) {
			u, err := url.Parse(e.loc)
			if err != nil || !u.IsAbs() {
				t.Fatalf("entry %q is not an absolute URL", e.loc)
			}
		}
	})
}
