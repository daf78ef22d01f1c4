package corpus

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/inlsearch/inlsearch/indexer/robots"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

const testHost = "corpus.test"

// get asks the handler for target (a path or an absolute URL on testHost).
func get(tb testing.TB, target string, hdr ...string) *http.Response {
	tb.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://"+testHost+target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, r)
	return w.Result()
}

// mustBody reads and closes a response body.
func mustBody(tb testing.TB, resp *http.Response) []byte {
	tb.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read body: %v", err)
	}
	return b
}

// mustSite returns every front-matter page, drafts included.
func mustSite(tb testing.TB) *site {
	tb.Helper()
	s, err := loadSite()
	if err != nil {
		tb.Fatalf("load site: %v", err)
	}
	return s
}

// links returns the href and src values of an HTML document.
func links(b []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			for {
				k, v, more := z.TagAttr()
				if string(k) == "href" || string(k) == "src" {
					out = append(out, string(v))
				}
				if !more {
					break
				}
			}
		}
	}
}

// internalPath resolves ref against the page and returns its path when it stays on the site.
func internalPath(page, ref string) (string, bool) {
	base := &url.URL{Scheme: "http", Host: testHost, Path: page}
	u, err := base.Parse(ref)
	if err != nil || u.Host != testHost || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	return u.Path, true
}

// status follows up to five redirects and returns the final status and path.
func status(tb testing.TB, p string) (int, string) {
	tb.Helper()
	for range 5 {
		resp := get(tb, p)
		mustBody(tb, resp)
		if resp.StatusCode != http.StatusMovedPermanently && resp.StatusCode != http.StatusFound {
			return resp.StatusCode, p
		}
		next, ok := internalPath(p, resp.Header.Get("Location"))
		if !ok {
			tb.Fatalf("redirect from %s leaves the site: %q", p, resp.Header.Get("Location"))
		}
		p = next
	}
	tb.Fatalf("too many redirects from %s", p)
	return 0, ""
}

func TestPagesRenderWithTemplate(t *testing.T) {
	t.Parallel()
	markers := map[string][]string{
		"classic": {"Diplomacy in Action", "printable banner", "Related Material", `id="breadcrumbs"`},
		"modern":  {"An official website of the United States government", "<main", "<article", "article:published_time"},
	}
	s := mustSite(t)
	if len(s.pages) < 20 {
		t.Fatalf("site has %d pages, want at least 20", len(s.pages))
	}
	for _, p := range s.pages {
		t.Run(p.Path, func(t *testing.T) {
			t.Parallel()
			resp := get(t, p.Path)
			b := mustBody(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", p.Path, resp.StatusCode)
			}
			if got, want := resp.Header.Get("Content-Type"), "text/html; charset="+p.Charset; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			text := string(b)
			if p.Charset == "windows-1252" {
				d, err := charmap.Windows1252.NewDecoder().Bytes(b)
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				text = string(d)
			}
			for _, m := range markers[p.Template] {
				if !strings.Contains(text, m) {
					t.Errorf("page lacks template marker %q", m)
				}
			}
			if !strings.Contains(text, "<title>"+html.EscapeString(p.Title)+" - ") {
				t.Errorf("page lacks <title> %q with site suffix", p.Title)
			}
			if strings.Contains(text, "<!--#pagelist") {
				t.Errorf("page still holds a pagelist marker")
			}
			if rb, ct, err := Render(p.Path); err != nil || !bytes.Equal(rb, b) || ct != resp.Header.Get("Content-Type") {
				t.Errorf("Render(%q) differs from the handler (err %v)", p.Path, err)
			}
		})
	}
}

func TestInternalLinksResolve(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	checked := map[string]int{}
	var broken, redirect, raw, drafts int
	for _, p := range s.pages {
		b, _, err := s.render(p.Path)
		if err != nil {
			t.Fatalf("render %s: %v", p.Path, err)
		}
		for _, ref := range links(b) {
			target, ok := internalPath(p.Path, ref)
			if !ok {
				continue
			}
			switch {
			case target == BrokenLink:
				broken++
			case target == RedirectFrom:
				redirect++
			case strings.HasPrefix(target, Disallowed):
				drafts++
			case !strings.HasSuffix(target, "/") && !strings.HasSuffix(target, ".htm") &&
				!strings.HasSuffix(target, ".css") && !strings.HasSuffix(target, ".gif"):
				raw++
			}
			code, seen := checked[target]
			if !seen {
				code, _ = status(t, target)
				checked[target] = code
			}
			want := http.StatusOK
			if target == BrokenLink {
				want = http.StatusNotFound
			}
			if code != want {
				t.Errorf("%s links to %s (%q): status %d, want %d", p.Path, target, ref, code, want)
			}
		}
	}
	for name, n := range map[string]int{"broken link": broken, "redirect": redirect, "non-HTML file": raw, "drafts page": drafts} {
		if n == 0 {
			t.Errorf("no page links to the %s", name)
		}
	}
}

func TestEveryPageReachableFromHome(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := s.byPath[p]; !ok {
			continue
		}
		b, _, err := s.render(p)
		if err != nil {
			t.Fatalf("render %s: %v", p, err)
		}
		for _, ref := range links(b) {
			target, ok := internalPath(p, ref)
			if ok && target == RedirectFrom {
				target = RedirectTo
			}
			if ok && !seen[target] {
				seen[target] = true
				queue = append(queue, target)
			}
		}
	}
	for _, p := range s.pages {
		if !seen[p.Path] {
			t.Errorf("%s is not reachable by links from /", p.Path)
		}
	}
}

func TestSitemapListsEveryPage(t *testing.T) {
	t.Parallel()
	resp := get(t, "/sitemap.xml")
	b := mustBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("GET /sitemap.xml = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var set urlSet
	if err := xml.Unmarshal(b, &set); err != nil {
		t.Fatalf("parse sitemap: %v", err)
	}
	base, _ := url.Parse("http://" + testHost + "/sitemap.xml")
	got := map[string]string{}
	relative := 0
	for _, u := range set.URLs {
		ref, err := url.Parse(u.Loc)
		if err != nil {
			t.Fatalf("loc %q: %v", u.Loc, err)
		}
		if !ref.IsAbs() {
			relative++
		}
		got[base.ResolveReference(ref).Path] = u.LastMod
	}
	if relative == 0 || relative > 2 {
		t.Errorf("sitemap has %d relative locs, want 1 or 2", relative)
	}
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pages) {
		t.Errorf("sitemap lists %d URLs, Pages() %d", len(got), len(pages))
	}
	for _, p := range pages {
		if lm, ok := got[p.Path]; !ok || lm != p.LastMod.Format(time.DateOnly) {
			t.Errorf("sitemap entry for %s = %q (present %v), want lastmod %s", p.Path, lm, ok, p.LastMod.Format(time.DateOnly))
		}
		if strings.HasPrefix(p.Path, Disallowed) {
			t.Errorf("Pages() lists disallowed %s", p.Path)
		}
	}
}

func TestRobotsDisallowsDrafts(t *testing.T) {
	t.Parallel()
	resp := get(t, "/robots.txt")
	b := mustBody(t, resp)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("robots.txt Content-Type = %q", resp.Header.Get("Content-Type"))
	}
	if bytes.Contains(bytes.ToLower(b), []byte("crawl-delay")) {
		t.Errorf("robots.txt sets a Crawl-delay")
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("robots.txt status %d", resp.StatusCode)
	}
	rob := robots.Parse(b).Agent("inlsearch")
	for p, want := range map[string]bool{"/": true, "/drafts/ghana-program-preview.htm": false, "/j/inl/regions/index.htm": true} {
		if got := rob.Allowed(p); got != want {
			t.Errorf("robots allows %s = %v, want %v", p, got, want)
		}
	}
	s := mustSite(t)
	var inDrafts int
	for _, p := range s.pages {
		b, _, _ := s.render(p.Path)
		has := bytes.Contains(b, []byte("embargoedtokenqx7"))
		isDraft := strings.HasPrefix(p.Path, Disallowed)
		if isDraft && has {
			inDrafts++
		}
		if has && !isDraft {
			t.Errorf("embargoed token appears on public page %s", p.Path)
		}
	}
	if inDrafts == 0 {
		t.Errorf("no page under %s holds the embargoed token", Disallowed)
	}
}

func TestWindows1252PageDecodes(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	var n int
	for _, p := range s.pages {
		if p.Charset != "windows-1252" {
			continue
		}
		n++
		resp := get(t, p.Path)
		b := mustBody(t, resp)
		if utf8.Valid(b) {
			t.Errorf("%s: served bytes are valid UTF-8, want windows-1252", p.Path)
		}
		d, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatalf("decode %s: %v", p.Path, err)
		}
		for _, want := range []string{"\u201c", "\u201d", "\u2013", "\u20ac", `charset=windows-1252`} {
			if !strings.Contains(string(d), want) {
				t.Errorf("%s: decoded page lacks %q", p.Path, want)
			}
		}
	}
	if n == 0 {
		t.Fatal("no windows-1252 page")
	}
}
