package web

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/inlsearch/inlsearch/search"
)

// links maps the href of every <a> of the page to the texts of its links.
func links(t *testing.T, body string) map[string][]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			href := attr(n, "href")
			out[href] = append(out[href], strings.Join(strings.Fields(textOf(n)), " "))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

func TestSearchPage(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	// The passage view (group=passage; the page groups by page unless told).
	rec := do(t, h, "GET", "/search?q=container&country=Panama&per_page=2&page=2&group=passage", nil)
	if rec.Code != 200 {
		t.Fatalf("status = %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	checkDOM(t, body)
	all := links(t, body)
	wantSubstrings := []string{
		`<label for="q">Search passages</label>`,
		`value="container"`,
		`<main id="main"`,
		`<aside class="filters"`,
		`name="country" value="Panama" checked`,
		`<mark>container</mark>`,
		`Passages 3–4 of 6`,
		`aria-current="page"`,
		`rel="prev"`,
		`rel="next"`,
		`<input type="hidden" name="country" value="Panama">`, // the search box keeps filters
		`<time datetime="`,
	}
	for _, w := range wantSubstrings {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %s", w)
		}
	}
	wantLinks := map[string]string{
		"/export.csv?country=Panama&q=container":                                                              "Download every hit as CSV",
		"/export.json?country=Panama&q=container":                                                             "Download every hit as JSON",
		"/feed.atom?country=Panama&q=container":                                                               "Follow this search: Atom feed of new and changed passages",
		"/search?country=Panama&group=passage&per_page=2&q=container&sort=date":                               "Date",
		"/search?group=passage&per_page=2&q=container":                                                        "Remove filter Country: Panama ✕",
		"/search?country=Panama&group=passage&per_page=2&q=container&year_from=2022&year_to=2022":             "2022 (6)",
		"/search?country=Panama&group=passage&organization=World+Customs+Organization&per_page=2&q=container": "Filter by Organization: World Customs Organization",
		"/search?country=Panama&group=passage&page=3&per_page=2&q=container":                                  "Next",
		"/search?country=Panama&group=passage&per_page=2&q=container":                                         "Previous",
		"https://www.example.gov/programs/0#part-10":                                                          "Container control partnerships",
	}
	for href, text := range wantLinks {
		got, ok := all[href]
		if !ok {
			t.Errorf("no link to %s", href)
			continue
		}
		if !slices.Contains(got, text) {
			t.Errorf("link %s texts = %q, want %q among them", href, got, text)
		}
	}
}

func TestSearchPageShowMore(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	body := do(t, h, "GET", "/search", nil).Body.String()
	all := links(t, body)
	href := "/facets/country"
	if texts := all[href]; len(texts) != 1 || !strings.HasPrefix(texts[0], "Find among every country value") {
		t.Errorf("show-more link for countries = %q", texts)
	}
	body = do(t, h, "GET", "/search?facet_size=50", nil).Body.String()
	if strings.Contains(body, "Find among every") {
		t.Error("show-more still offered at the largest facet size")
	}
	if !strings.Contains(body, "All passages") {
		t.Error("browse view without its heading")
	}
}

func TestLiteralFallback(t *testing.T) {
	t.Parallel()
	fake := &fakeSearcher{SearchFn: fixtureSearch(fixtureDocs())}
	h := MustServer(t, Config{}, fake, nil, nil).Handler()
	rec := do(t, h, "GET", "/search?q=%22container", nil)
	if rec.Code != 200 {
		t.Fatalf("status = %d, want 200 with a notice", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "could not be read as written") || !strings.Contains(body, "unterminated quote") {
		t.Error("no notice with the parser's message")
	}
	if !strings.Contains(body, "<mark>container</mark>") {
		t.Error("no results for the literal words")
	}
	qs := fake.seen()
	if len(qs) != 1 || !qs[0].Literal {
		t.Errorf("searches = %+v, want one, literal (the query as written does not compile)", qs)
	}
}

func TestEmptyState(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	body := do(t, h, "GET", "/search?q=zzzz&country=Panama&year_from=1990", nil).Body.String()
	checkDOM(t, body)
	for _, w := range []string{"Nothing matched", "Check the spelling", "Browse every passage", "run the same search without filters"} {
		if !strings.Contains(body, w) {
			t.Errorf("empty state lacks %q", w)
		}
	}
	// The selected filter stays ticked even though no hit has it any more.
	if !strings.Contains(body, `name="country" value="Panama" checked`) {
		t.Error("selected filter without a ticked box in the empty state")
	}
	if _, ok := links(t, body)["/search?q=zzzz"]; !ok {
		t.Error("no link to the search without filters")
	}
}

func TestUnlinkableURLs(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		raw string
		ok  bool
	}{
		{"https://www.state.gov/inl/#x", true}, {"http://example.org/a", true}, {"HTTPS://EXAMPLE.ORG", true},
		{"javascript:alert(1)", false}, {"/relative", false}, {"//evil.example/x", false},
		{"data:text/html,x", false}, {"ftp://host/file", false}, {"", false},
	} {
		if _, ok := linkable(tt.raw); ok != tt.ok {
			t.Errorf("linkable(%q) = %v, want %v", tt.raw, ok, tt.ok)
		}
	}
}

func TestPager(t *testing.T) {
	t.Parallel()
	st := state{page: 6, perPage: 10, defaultPerPageSize: 10, sort: search.SortRelevance}
	p := pager(st, 200, 10000)
	var got []int
	for _, it := range p.Items {
		if it.Gap {
			got = append(got, 0)
			continue
		}
		got = append(got, it.N)
	}
	want := []int{1, 0, 4, 5, 6, 7, 8, 0, 20}
	if !slices.Equal(got, want) {
		t.Errorf("pager items = %v, want %v", got, want)
	}
	// Never a link beyond the result window.
	p = pager(state{page: 1, perPage: 100, defaultPerPageSize: 10}, 50000, 10000)
	if last := p.Items[len(p.Items)-1].N; last != 100 {
		t.Errorf("last page = %d, want 100", last)
	}
	if p := pager(state{page: 1, perPage: 10}, 5, 10000); len(p.Items) != 0 || p.Next != "" {
		t.Errorf("a single page gets a pager: %+v", p)
	}
}

func TestStatusPage(t *testing.T) {
	t.Parallel()
	st := fakeStatus{Status{
		Degraded: true, Message: "generation 8 unreadable; serving 7",
		Generation: &GenerationStatus{ID: "g-7", BuiltAt: time.Date(2024, 6, 2, 3, 4, 5, 0, time.UTC), Passages: 10, Pages: 2},
		LastJob:    &JobStatus{ID: "job-1", State: "failed", Error: "no space left on device", Counts: map[string]int{"fetched": 3}},
	}}
	h := MustServer(t, Config{}, nil, st, nil).Handler()
	body := do(t, h, "GET", "/status", nil).Body.String()
	for _, w := range []string{"Degraded", "serving 7", "g-7", "no space left on device", "fetched", "None scheduled"} {
		if !strings.Contains(body, w) {
			t.Errorf("status page lacks %q", w)
		}
	}
	rec := do(t, h, "GET", "/healthz", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"degraded"`) {
		t.Errorf("degraded healthz = %d %s, want 200 degraded", rec.Code, rec.Body)
	}
	h = MustServer(t, Config{}, nil, fakeStatus{Status{}}, nil).Handler()
	rec = do(t, h, "GET", "/healthz", nil)
	if rec.Code != 503 {
		t.Errorf("healthz with nothing servable = %d, want 503", rec.Code)
	}
	if code, _ := decodeError(t, rec); code != "index_unavailable" {
		t.Errorf("code = %q", code)
	}
	if rec := do(t, h, "HEAD", "/healthz", nil); rec.Code != 503 {
		t.Errorf("HEAD healthz = %d", rec.Code)
	}
	if body := do(t, h, "GET", "/status", nil).Body.String(); !strings.Contains(body, "No index can be served yet") {
		t.Error("status page does not say nothing is served")
	}
}

// TestTemplatesRegistered: every file in templates/ is parsed at startup and
// every page renders (miniflux engine test).
func TestTemplatesRegistered(t *testing.T) {
	t.Parallel()
	entries, err := fs.ReadDir(files, "templates")
	if err != nil {
		t.Fatal(err)
	}
	registered := slices.Concat(layoutFiles, pageFiles)
	for _, e := range entries {
		if !slices.Contains(registered, e.Name()) {
			t.Errorf("templates/%s is not registered in layoutFiles or pageFiles", e.Name())
		}
	}
	for _, name := range registered {
		if _, err := fs.Stat(files, "templates/"+name); err != nil {
			t.Errorf("registered template %s has no file", name)
		}
	}
	srv := MustServer(t, Config{}, nil, nil, nil)
	if len(srv.pages) != len(pageFiles) {
		t.Errorf("%d pages parsed, want %d", len(srv.pages), len(pageFiles))
	}
	for _, p := range pageFiles {
		if srv.pages[p].Lookup("content") == nil || srv.pages[p].Lookup("layout") == nil {
			t.Errorf("page %s lacks content or layout", p)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	srv := MustServer(t, Config{}, nil, nil, nil)
	h := srv.Handler()
	for _, name := range []string{"style.css", "app.js", "favicon.svg"} {
		u := srv.assets.urls[name]
		if u == "" || u == "/static/"+name {
			t.Errorf("%s has no hashed URL (%q)", name, u)
			continue
		}
		rec := do(t, h, "GET", u, nil)
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s = %d, Cache-Control %q", u, rec.Code, rec.Header().Get("Cache-Control"))
		}
		if rec := do(t, h, "GET", u, nil, "If-None-Match", rec.Header().Get("ETag")); rec.Code != 304 {
			t.Errorf("conditional GET %s = %d, want 304", u, rec.Code)
		}
		if rec := do(t, h, "GET", "/static/"+name, nil); rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("GET plain /static/%s = %d %q", name, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	page := do(t, h, "GET", "/", nil).Body.String()
	if !strings.Contains(page, srv.assets.urls["style.css"]) || !strings.Contains(page, srv.assets.urls["app.js"]) {
		t.Error("the page does not use the hashed asset URLs")
	}
}

func TestHiddenFieldsNeverDuplicate(t *testing.T) {
	t.Parallel()
	// A form that sends a parameter twice would make the next page a 400.
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	body := do(t, h, "GET", "/search?q=a&sort=date&per_page=20&year_from=2019&facet_size=20&country=Ghana&match=all", nil).Body.String()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node, names map[string]int)
	walk = func(n *html.Node, names map[string]int) {
		if n.Type == html.ElementNode && n.Data == "form" {
			names = map[string]int{}
			defer func() {
				for _, p := range singleParams {
					if names[p] > 1 {
						t.Errorf("a form sends %s %d times", p, names[p])
					}
				}
			}()
		}
		if n.Type == html.ElementNode && n.Data == "input" && names != nil {
			names[attr(n, "name")]++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, names)
		}
	}
	walk(doc, nil)
}
