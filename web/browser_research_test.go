package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/inlsearch/inlsearch/search"
)

// TestBrowserResearch walks the research pages of items 4–7 of issue 12 in
// Chromium, checking each with axe-core: copy a citation and open it after a
// re-index to the same hits; open "what changed" after a crawl that changed
// a page; follow "similar passages"; open coverage.
func TestBrowserResearch(t *testing.T) {
	ctx := mustBrowser(t)
	axe := loadAxe(t)
	live, ids := MustLiveFolder(t, fixtureDocs(), editedDocs())
	base := MustServe(t, MustServer(t, Config{Version: "browser-test"}, live, nil, nil))
	step := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		step("read "+sel, err)
		return s
	}
	location := func() *url.URL {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		step("location", err)
		u, err := url.Parse(loc)
		step("parse location", err)
		return u
	}

	// Cite a search: the permalink names the served generation.
	step("open results", chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=containers"), chromedp.WaitVisible(chromedp.ID("cite-h"))))
	before := text(".summary")
	citation, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("cite-text")))
	step("copy the citation", err)
	permalink, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("a.permalink"), "href"))
	step("read the permalink", err)
	if !strings.Contains(citation, permalink.Value) || !strings.Contains(permalink.Value, "gen="+ids[1]) {
		t.Fatalf("citation %q / permalink %q: want the permalink with gen=%s in the text", citation, permalink.Value, ids[1])
	}
	checkAxe(t, ctx, axe, "results with citation")

	// A re-index publishes a third generation; the permalink still shows the same hits.
	third := fixtureDocs()[:10]
	st := live.Store()
	b, err := st.Begin(search.Vocabulary{})
	step("begin a generation", err)
	step("index", b.Index.Add(context.Background(), third))
	step("publish", b.Commit(search.Generation{Passages: len(third), Pages: 5}, true))
	_, err = live.Reload()
	step("reload", err)
	step("open the permalink", chromedp.Do(ctx, chromedp.Navigate(permalink.Value), chromedp.WaitReady("body")))
	if after := text(".summary"); after != before {
		t.Errorf("the permalink after a re-index shows %q, want %q", after, before)
	}
	if gen := text("code.generation"); gen != ids[1] {
		t.Errorf("the permalink's footer names %q, want %s", gen, ids[1])
	}

	// What changed, from the generation the citation pinned (doc-03 was rewritten).
	step("open the pinned search", chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=training&gen="+ids[1]), chromedp.WaitVisible(chromedp.CSS("a.changes-link"))))
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("a.changes-link")))
	step("follow what changed", err)
	if resp.Status != 200 || location().Path != "/changes" || text("h1") != "What changed" || !strings.Contains(text(".diff"), "money laundering") {
		t.Fatalf("what changed: status %d at %s", resp.Status, location())
	}
	checkAxe(t, ctx, axe, "what changed")

	// Similar passages from a hit.
	step("open results again", chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=containers"), chromedp.WaitVisible(chromedp.CSS("a.similar"))))
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("a.similar")))
	step("follow similar passages", err)
	if resp.Status != 200 || !strings.HasSuffix(location().Path, "/similar") || text("h1") != "Similar passages" {
		t.Fatalf("similar: status %d at %s", resp.Status, location())
	}
	checkAxe(t, ctx, axe, "similar passages")

	// Coverage from the site navigation.
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.site-nav a[href="/coverage"]`)))
	step("open coverage", err)
	if resp.Status != 200 || text("h1") != "Coverage" {
		t.Fatalf("coverage: status %d at %s", resp.Status, location())
	}
	step("open a facet's pages", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#coverage-country summary"))))
	checkAxe(t, ctx, axe, "coverage")

	// A pruned generation: 410 with a link to the current one.
	step("open a pruned generation", chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=containers&gen=20000101T000000Z-00000000"), chromedp.WaitReady("body")))
	checkAxe(t, ctx, axe, "generation gone")
}
