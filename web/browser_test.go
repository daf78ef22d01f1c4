package web

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findChromium returns the path of a chromium binary, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// MustServe runs srv on a loopback port through Serve (the real http.Server
// with its limits) until the test ends and returns its base URL.
func MustServe(tb testing.TB, srv *Server) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// TestBrowser drives the HTML pages in headless chromium: type a search,
// tick a facet (the optional script submits the form), page forward, follow
// the export link, and keep a screenshot.
// mustBrowser starts headless chromium for a test (skipped where it is not
// installed, and in -short mode) and returns the context of its tab,
// bounded to 90 s; the browser goes with the test.
func mustBrowser(t *testing.T) context.Context {
	t.Helper()
	path := findChromium()
	if path == "" {
		t.Skip("chromium not installed: apt-get install chromium")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1000),
	)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(func() { cancelTab(); cancelAlloc(); cancel() })
	return ctx
}

func TestBrowser(t *testing.T) {
	ctx := mustBrowser(t)
	axe := loadAxe(t)
	base := MustServe(t, MustServer(t, Config{Version: "browser-test"}, nil, nil, nil))

	step := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	location := func() *url.URL {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		step("location", err)
		u, err := url.Parse(loc)
		step("parse location", err)
		return u
	}

	step("open home", chromedp.Do(ctx, chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`label[for="q"]`))))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	step("read heading", err)
	if heading != "All passages" {
		t.Errorf("home heading = %q, want the browse view", heading)
	}
	checkAxe(t, ctx, axe, "home")

	// Type a search and submit it.
	step("type query", chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("q"), "container")))
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[role="search"] button`)))
	step("submit search", err)
	if resp.Status != 200 || location().Query().Get("q") != "container" {
		t.Fatalf("search: status %d at %s", resp.Status, location())
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".summary")))
	step("read summary", err)
	if !strings.Contains(summary, "(12 passages)") {
		t.Errorf("summary = %q, want 12 passages (grouped by page)", summary)
	}
	checkAxe(t, ctx, axe, "results")

	// Tick the first organization: the script submits the form on change.
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#facet-country input[type="checkbox"]`)))
	step("tick a facet", err)
	u := location()
	if resp.Status != 200 || u.Query().Get("country") == "" || u.Query().Get("q") != "container" {
		t.Fatalf("after ticking: status %d at %s, want a country filter and the query kept", resp.Status, u)
	}
	checked, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#facet-country input[type="checkbox"]`), "checked"))
	step("read checkbox", err)
	if !checked.Exists {
		t.Error("the ticked box is not checked on the new page")
	}
	checkAxe(t, ctx, axe, "filtered results")

	// Narrow the page size through the URL (a permalink), then page forward.
	step("open small pages", chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=container&per_page=4&group=passage")))
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`a[rel="next"]`)))
	step("next page", err)
	if resp.Status != 200 || location().Query().Get("page") != "2" {
		t.Fatalf("next page: status %d at %s", resp.Status, location())
	}
	current, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.pager [aria-current="page"]`)))
	step("read current page", err)
	if !strings.HasSuffix(strings.TrimSpace(current), "2") {
		t.Errorf("current page = %q, want 2", current)
	}
	checkAxe(t, ctx, axe, "page 2")

	// The other pages: status, an error page, an empty result.
	for _, pg := range []struct{ name, path string }{
		{"status", "/status"},
		{"API description", "/api"},
		{"not found", "/no-such-page"},
		{"bad request", "/search?page=0"},
		{"no results", "/search?q=zzzzzz"},
	} {
		step("open "+pg.name, chromedp.Do(ctx, chromedp.Navigate(base+pg.path), chromedp.WaitReady("body")))
		checkAxe(t, ctx, axe, pg.name)
	}

	// Click a year bar (the timeline's table link: the chart's bars are for the mouse).
	step("open timeline table", chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=container"),
		chromedp.Click(chromedp.CSS(".timeline-table summary"))))
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.timeline-table tbody a`)))
	step("click a year", err)
	if u := location(); resp.Status != 200 || u.Query().Get("published_year") == "" {
		t.Errorf("year bar: status %d at %s, want a published_year filter", resp.Status, u)
	}
	checkAxe(t, ctx, axe, "timeline")

	// Open a region: its countries are ticked like the country facet.
	step("open a region", chromedp.Do(ctx, chromedp.Navigate(base+"/search"),
		chromedp.Click(chromedp.CSS(`#facet-region details summary`))))
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#facet-region details input[type="checkbox"]`)))
	step("tick a region's country", err)
	if u := location(); resp.Status != 200 || u.Query().Get("country") == "" {
		t.Errorf("region's country: status %d at %s, want a country filter", resp.Status, u)
	}
	checkAxe(t, ctx, axe, "region opened")

	// Filter countries by prefix and tick one.
	step("open facet values", chromedp.Do(ctx, chromedp.Navigate(base+"/facets/country?q=container"),
		chromedp.SendKeys(chromedp.ID("prefix"), "pan")))
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.facet-filter button`)))
	step("filter values", err)
	if u := location(); resp.Status != 200 || u.Query().Get("prefix") != "pan" {
		t.Errorf("filter box: status %d at %s, want prefix=pan", resp.Status, u)
	}
	checkAxe(t, ctx, axe, "facet values")
	step("tick Panama", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#facet-country input[value="Panama"]`))))
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#main form[action="/search"] button`)))
	step("apply", err)
	if u := location(); resp.Status != 200 || u.Query().Get("country") != "Panama" || u.Query().Get("q") != "container" {
		t.Errorf("facet value page: status %d at %s, want country=Panama and the query kept", resp.Status, u)
	}

	// Switch between pages and passages.
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`nav.group a:not([aria-current])`)))
	step("switch to passages", err)
	if u := location(); resp.Status != 200 || u.Query().Get("group") != "passage" {
		t.Errorf("switch: status %d at %s, want group=passage", resp.Status, u)
	}
	checkAxe(t, ctx, axe, "passages view")
	step("back to page 2", chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=container&per_page=4&page=2&group=passage")))

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	step("screenshot", err)
	shotPath := filepath.Join(t.TempDir(), "screenshot.png")
	if *update {
		shotPath = filepath.Join("testdata", "screenshot.png")
	}
	step("save screenshot", os.WriteFile(shotPath, shot, 0o644))
	t.Logf("screenshot: %s", shotPath)

	// Follow the export link: same parameters, every hit, not only this page.
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`a[href^="/export.csv"]`), "href"))
	step("read export link", err)
	if !href.Exists || !strings.Contains(href.Value, "q=container") || strings.Contains(href.Value, "page=") {
		t.Fatalf("export link = %q", href.Value)
	}
	got, err := http.Get(base + href.Value)
	step("fetch export", err)
	defer got.Body.Close()
	rows, err := csv.NewReader(got.Body).ReadAll()
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("export is not CSV: %v", err)
	}
	if len(rows) != 13 || rows[0][0] != "id" {
		t.Errorf("export has %d rows, want a header and 12 hits", len(rows))
	}
}
