package web

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/inlsearch/inlsearch/search"
)

// checkDOM parses an HTML page and fails on anything that could run script:
// a script element other than our own static file, an on* attribute, a
// javascript: URL, an element inside a snippet other than mark.
func checkDOM(t *testing.T, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	var walk func(n *html.Node, inSnippet bool)
	walk = func(n *html.Node, inSnippet bool) {
		if n.Type == html.ElementNode {
			if inSnippet && n.Data != "mark" {
				t.Errorf("element <%s> inside a snippet", n.Data)
			}
			isChart := n.Data == "svg" && attr(n, "class") == "timeline-chart" // the timeline, drawn by the server
			if n.Data == "script" || n.Data == "iframe" || n.Data == "object" || n.Data == "embed" || (n.Data == "svg" && !isChart) {
				src := attr(n, "src")
				if n.Data != "script" || !strings.HasPrefix(src, "/static/app.") || n.FirstChild != nil {
					t.Errorf("unexpected <%s src=%q>", n.Data, src)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("event attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
				if a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction" {
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:") {
						t.Errorf("dangerous %s=%q on <%s>", a.Key, a.Val, n.Data)
					}
				}
				if a.Key == "style" {
					t.Errorf("inline style on <%s> (blocked by the CSP)", n.Data)
				}
			}
			if n.Data == "p" && strings.Contains(attr(n, "class"), "snippet") {
				inSnippet = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inSnippet)
		}
	}
	walk(doc, false)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hostileSearcher returns crawled content written by an attacker (C6).
func hostileSearcher() *fakeSearcher {
	evil := search.Hit{
		Document: search.Document{
			ID: "evil", URL: "javascript:alert(4)", Title: `<svg onload=alert(3)>`, Section: `<script>alert(1)</script>`,
			Organizations: []string{`<img src=x onerror=alert(5)>`}, Countries: []string{`" onmouseover="alert(6)`},
			Type: `</title><script>alert(7)</script>`, Years: []int{2020}, Published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		},
		// What the search package must produce: the passage escaped, <mark> added.
		Snippet: `&lt;script&gt;alert(1)&lt;/script&gt; <mark>searchterm</mark> &lt;/mark&gt;&lt;img src=x onerror=alert(2)&gt;`,
	}
	sloppy := search.Hit{
		Document: search.Document{ID: "sloppy", URL: " JaVaScRiPt:alert(8)", Title: "plain"},
		// A snippet a buggy search might return: raw markup must not survive.
		Snippet: `<mark>ok</mark><img src=x onerror=alert(9)><script>alert(10)</script><mark onclick=x>`,
	}
	dataURL := search.Hit{Document: search.Document{ID: "data", URL: "data:text/html,<script>alert(11)</script>", Title: "data"}}
	return &fakeSearcher{SearchFn: func(_ context.Context, q search.Query) (*search.Result, error) {
		return &search.Result{
			Total: 3, Hits: []search.Hit{evil, sloppy, dataURL},
			Facets: map[string][]search.FacetValue{
				search.FacetOrganization: {{Value: `<img src=x onerror=alert(12)>`, Count: 1}},
				search.FacetYear:         {{Value: `2020`, Count: 1}, {Value: `javascript:alert(13)`, Count: 1}},
			},
			FacetOthers: map[string]int{search.FacetOrganization: 4},
		}, nil
	}}
}

// TestReflectedXSS echoes hostile queries and filters into every place they
// appear: search box, title, heading, pagination, facet and export links (C5).
func TestReflectedXSS(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	payloads := []string{
		`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `'-alert(1)-'`,
		`</title><script>alert(1)</script>`, `javascript:alert(1)`, `" autofocus onfocus="alert(1)`,
	}
	for _, p := range payloads {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			for _, raw := range []string{
				url.Values{"q": {p}}.Encode(),
				url.Values{"q": {"container"}, "country": {p}, "per_page": {"1"}}.Encode(),
				url.Values{"topic": {p}}.Encode(),
				url.Values{"sort": {p}}.Encode(), // 400 page echoing the value
			} {
				rec := do(t, h, "GET", "/search?"+raw, nil)
				body := rec.Body.String()
				if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
					t.Errorf("GET /search?%s (%d) reflects raw markup", raw, rec.Code)
				}
				checkDOM(t, body)
			}
		})
	}
}

// TestStoredXSS renders crawled content that tries to inject script (C6).
func TestStoredXSS(t *testing.T) {
	t.Parallel()
	rec := do(t, MustServer(t, Config{}, hostileSearcher(), nil, nil).Handler(), "GET", "/search?q=searchterm", nil)
	if rec.Code != 200 {
		t.Fatalf("status = %d", rec.Code)
	}
	body := rec.Body.String()
	checkDOM(t, body)
	for _, bad := range []string{"<svg", "<img", "<script>alert", "javascript:alert(4)\"", "<mark onclick"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(body, "<mark>searchterm</mark>") {
		t.Error("the snippet's <mark> was lost")
	}
	if !strings.Contains(body, "&lt;svg onload=alert(3)&gt;") {
		t.Error("the hostile title is not shown escaped")
	}
}

func TestSafeSnippet(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a <mark>b</mark> c", "a <mark>b</mark> c"},
		{"&lt;b&gt; &amp; <mark>x</mark>", "&lt;b&gt; &amp; <mark>x</mark>"},
		{"<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"},
		{"<mark class=x>y</mark>", "&lt;mark class=x&gt;y</mark>"},
		{"1 > 0 <", "1 &gt; 0 &lt;"},
	}
	for _, tt := range tests {
		if got := string(safeSnippet(tt.in)); got != tt.want {
			t.Errorf("safeSnippet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestOnlyOneTemplateHTML keeps template.HTML to the snippet (C6): any new
// use must be argued for here.
func TestOnlyOneTemplateHTML(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, banned := range []string{"template.JS(", "template.URL(", "template.HTMLAttr(", "template.CSS(", "template.JSStr("} {
			if strings.Contains(string(b), banned) {
				t.Errorf("%s uses %s", f, banned)
			}
		}
		n += strings.Count(string(b), "template.HTML(")
	}
	if n != 1 {
		t.Errorf("template.HTML( appears %d times, want 1 (safeSnippet)", n)
	}
}
