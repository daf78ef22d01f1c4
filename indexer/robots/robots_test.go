package robots

import (
	"testing"
	"time"
)

// Each case is one decision of RFC 9309 and Google's reference parser; the
// comments name the kind of mistake the old library made.
func TestAllowed(t *testing.T) {
	cases := []struct {
		name, robots, agent, url string
		want                     bool
	}{
		{"plain disallow", "User-agent: *\nDisallow: /x\n", "inlsearch", "http://h/x/y", false},
		{"outside the rule", "User-agent: *\nDisallow: /x\n", "inlsearch", "http://h/y", true},
		// a space before the colon used to make the whole file unreadable
		{"space before colon", "User-agent: *\nDisallow : /x\n", "inlsearch", "http://h/x", false},
		{"missing colon, two words", "User-agent *\nDisallow /x\n", "inlsearch", "http://h/x", false},
		{"three words are no rule", "User-agent: *\nDisallow /x /y\n", "inlsearch", "http://h/x", true},
		// a partial byte-order mark used to swallow the first line
		{"partial BOM", "\xEF\xBBUser-agent: *\nDisallow: /x\n", "inlsearch", "http://h/x", false},
		{"whole BOM", "\xEF\xBB\xBFUser-agent: *\nDisallow: /x\n", "inlsearch", "http://h/x", false},
		// user-agent values are whole tokens, not prefixes
		{"prefix agent is another crawler", "User-agent: inl\nDisallow: /\n", "inlsearch", "http://h/a", true},
		{"token cut at a digit", "User-agent: AB42bot\nDisallow: /\n", "AB", "http://h/a", false},
		{"agent case-insensitive", "User-agent: InlSearch\nDisallow: /\n", "inlsearch/0.3 (+x)", "http://h/a", false},
		{"specific group replaces global", "User-agent: *\nDisallow: /\n\nUser-agent: inlsearch\nDisallow: /private\n", "inlsearch", "http://h/a", true},
		{"specific group with an empty rule allows all", "User-agent: inlsearch\nAllow:\n\nUser-agent: *\nDisallow: /\n", "inlsearch", "http://h/a", true},
		{"a blank line does not end a group", "User-agent: inlsearch\n\nUser-agent: *\nDisallow: /\n", "inlsearch", "http://h/a", false},
		{"groups of one agent merge", "User-agent: inlsearch\nDisallow: /a\n\nUser-agent: other\nDisallow: /\n\nUser-agent: inlsearch\nDisallow: /b\n", "inlsearch", "http://h/b", false},
		{"consecutive agents share a group", "User-agent: other\nUser-agent: inlsearch\nDisallow: /a\n", "inlsearch", "http://h/a", false},
		{"rule before any agent ignored", "Disallow: /a\nUser-agent: *\nAllow: /\n", "inlsearch", "http://h/a", true},
		// equal length: allow wins
		{"tie goes to allow", "User-agent: *\nDisallow: /page\nAllow: /page\n", "inlsearch", "http://h/page", true},
		{"longest match wins", "User-agent: *\nAllow: /folder\nDisallow: /folder/page\n", "inlsearch", "http://h/folder/page", false},
		{"longer allow wins", "User-agent: *\nDisallow: /folder\nAllow: /folder/page\n", "inlsearch", "http://h/folder/page", true},
		// wildcards are weighed by the pattern as written
		{"wildcard length is the pattern's", "User-agent: *\nAllow: /*.html\nDisallow: /page\n", "inlsearch", "http://h/page.html", true},
		{"wildcard in the middle", "User-agent: *\nDisallow: /?*/\n", "inlsearch", "http://h/?a/b", false},
		{"wildcard in the middle, no slash", "User-agent: *\nDisallow: /?*/\n", "inlsearch", "http://h/?ab", true},
		{"end anchor", "User-agent: *\nDisallow: /*.php$\n", "inlsearch", "http://h/a.php", false},
		{"end anchor, longer path", "User-agent: *\nDisallow: /*.php$\n", "inlsearch", "http://h/a.php?x=1", true},
		{"dollar inside is literal", "User-agent: *\nDisallow: /a$b\n", "inlsearch", "http://h/a$b", false},
		// one percent-encoding on both sides
		{"non-ASCII rule, encoded URL", "User-agent: *\nDisallow: /foo/ツ\n", "inlsearch", "http://h/foo/%E3%83%84", false},
		{"lower-case escape in rule", "User-agent: *\nDisallow: /foo/%e3%83%84\n", "inlsearch", "http://h/foo/%E3%83%84", false},
		{"escaped ASCII is not decoded", "User-agent: *\nDisallow: /foo/%62ar\n", "inlsearch", "http://h/foo/bar", true},
		{"escaped ASCII matches as written", "User-agent: *\nDisallow: /foo/%62ar\n", "inlsearch", "http://h/foo/%62ar", false},
		// the query as linked, not re-sorted
		{"query order kept", "User-agent: *\nDisallow: /a?b=2\n", "inlsearch", "http://h/a?b=2&a=1", false},
		// '#' ends a rule even without a space before it
		{"comment without space", "User-agent: *\nDisallow: /x#comment\n", "inlsearch", "http://h/x", false},
		{"comment-only value", "User-agent: *\nDisallow: #/\n", "inlsearch", "http://h/x", true},
		{"empty disallow allows", "User-agent: *\nDisallow:\n", "inlsearch", "http://h/x", true},
		{"misspelled key", "User-agent: *\nDisalow: /x\n", "inlsearch", "http://h/x", false},
		{"key case", "USER-AGENT: *\nDISALLOW: /x\n", "inlsearch", "http://h/x", false},
		{"CR line ends", "User-agent: *\rDisallow: /x\r", "inlsearch", "http://h/x", false},
		{"index.htm allow covers the folder", "User-agent: *\nDisallow: /\nAllow: /dir/index.html\n", "inlsearch", "http://h/dir/", true},
		{"fragment ignored", "User-agent: *\nDisallow: /x$\n", "inlsearch", "http://h/x#top", false},
		{"no path is slash", "User-agent: *\nDisallow: /$\n", "inlsearch", "http://h", false},
		{"no file", "", "inlsearch", "http://h/x", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Parse([]byte(c.robots)).Agent(c.agent).Allowed(c.url); got != c.want {
				t.Errorf("Allowed(%q) = %v, want %v\nrobots.txt:\n%s", c.url, got, c.want, c.robots)
			}
		})
	}
}

func TestCrawlDelayAndSitemaps(t *testing.T) {
	f := Parse([]byte("Sitemap: /s1.xml\nUser-agent: *\nCrawl-delay: 2.5\nDisallow: /x\nUser-agent: inlsearch\nCrawl-delay: nonsense\nsite-map: http://h/s2.xml\n"))
	if len(f.Sitemaps) != 2 || f.Sitemaps[0] != "/s1.xml" || f.Sitemaps[1] != "http://h/s2.xml" {
		t.Errorf("Sitemaps = %v", f.Sitemaps)
	}
	if d := f.Agent("other").CrawlDelay; d != 2500*time.Millisecond {
		t.Errorf("global CrawlDelay = %v, want 2.5s", d)
	}
	if d := f.Agent("inlsearch").CrawlDelay; d != 0 {
		t.Errorf("a bad Crawl-delay should be ignored, got %v", d)
	}
}

func TestDisallowAllAndNil(t *testing.T) {
	if DisallowAll.Allowed("http://h/") {
		t.Error("DisallowAll allowed a URL")
	}
	var a *Agent
	if !a.Allowed("http://h/x") {
		t.Error("a nil Agent (no robots.txt) should allow everything")
	}
}

func TestPathQuery(t *testing.T) {
	for in, want := range map[string]string{
		"http://h":          "/",
		"http://h/":         "/",
		"http://h?x=1":      "/?x=1",
		"http://h/a/b?c#d":  "/a/b?c",
		"/a?b":              "/a?b",
		"https://u@h:8/p;q": "/p;q",
		"//h/p":             "/p",
	} {
		if got := PathQuery(in); got != want {
			t.Errorf("PathQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /x*y$\nAllow: /ツ\n"), "/x/ツy")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		a := Parse(body).Agent("inlsearch")
		_ = a.Allowed("http://h" + path)
	})
}
