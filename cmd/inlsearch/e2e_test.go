package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
)

// TestEndToEnd runs the real thing: the demo site on loopback → `inlsearch
// crawl` → `inlsearch serve` on port 0 → the API answers a researcher's query.
func TestEndToEnd(t *testing.T) {
	site := httptest.NewServer(corpus.Handler())
	t.Cleanup(site.Close)
	data := t.TempDir()

	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := run(ctx, []string{"crawl", "--data", data, "--seed", site.URL + "/", "--delay", "1ms"}, &out, &errb)
	if code != 0 {
		t.Fatalf("crawl exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "published generation") {
		t.Fatalf("crawl printed no publication:\n%s", out.String())
	}
	crawlOut := out.String()
	t.Logf("crawl summary:\n%s", crawlOut)

	// The robots.txt trap is never indexed.
	out.Reset()
	if code := run(ctx, []string{"search", "--data", data, "--format", "json", "embargoedtokenqx7"}, &out, &errb); code != 0 {
		t.Fatalf("search exit %d: %s", code, errb.String())
	}
	var cli struct{ Total int }
	if err := json.Unmarshal(out.Bytes(), &cli); err != nil {
		t.Fatalf("search --format json: %v\n%s", err, out.String())
	}
	if cli.Total != 0 {
		t.Errorf("the robots-disallowed page was indexed: %d hits", cli.Total)
	}

	cfg := &Config{Data: data, Addr: "127.0.0.1:0", LogLevel: "error"}
	ready := make(chan string, 1)
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(sctx, cfg, newLogger(cfg, io.Discard), io.Discard, ready) }()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	}
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})

	v := url.Values{"q": {"money laundering"}, "country": {"Afghanistan"}}
	resp, err := http.Get(base + "/api/v1/search?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /api/v1/search = %d: %s", resp.StatusCode, b)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			URL       string   `json:"url"`
			Countries []string `json:"countries"`
			Snippet   string   `json:"snippet"`
		} `json:"hits"`
		Facets map[string][]struct {
			Value    string `json:"value"`
			Count    int    `json:"count"`
			Selected bool   `json:"selected"`
		} `json:"facets"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || len(res.Hits) == 0 {
		t.Fatalf("money laundering in Afghanistan: no passages")
	}
	for _, h := range res.Hits {
		if !contains(h.Countries, "Afghanistan") {
			t.Errorf("hit %s lacks the country filter: %v", h.URL, h.Countries)
		}
		if !strings.Contains(h.URL, "#") {
			t.Errorf("hit url %q has no passage fragment", h.URL)
		}
	}
	var selected bool
	for _, fv := range res.Facets["country"] {
		if fv.Value == "Afghanistan" && fv.Selected && fv.Count > 0 {
			selected = true
		}
	}
	if !selected {
		t.Errorf("country facet does not list Afghanistan as selected: %+v", res.Facets["country"])
	}
	if len(res.Facets["country"]) < 2 {
		t.Errorf("country facet is not disjunctive: %+v", res.Facets["country"])
	}
	if len(res.Facets["topic"]) == 0 {
		t.Errorf("no topic facet")
	}

	// The CLI prints exactly what the API answers (but the time it took).
	api := getBody(t, base+"/api/v1/search?"+url.Values{"q": {"money laundering"}, "topic": {"Money Laundering"}}.Encode())
	out.Reset()
	if code := run(ctx, []string{"search", "--data", data, "--format", "json", "--topic", "money laundering", "money laundering"}, &out, &errb); code != 0 {
		t.Fatalf("search exit %d: %s", code, errb.String())
	}
	tookMS := regexp.MustCompile(`"took_ms":\d+`)
	if got, want := tookMS.ReplaceAllString(strings.TrimSpace(out.String()), `"took_ms":0`), tookMS.ReplaceAllString(string(api), `"took_ms":0`); got != want {
		t.Errorf("search --format json differs from GET /api/v1/search:\ncli: %.600s\napi: %.600s", got, want)
	}
	if !strings.Contains(string(api), `"total":`) || strings.Contains(string(api), `"total":0,`) {
		t.Errorf("the API found nothing to compare: %.300s", api)
	}

	// The demo site's PDFs: a phrase only on page 6 (the Honduras chapter's
	// second page) of the strategy report, the budget guide's table, the
	// fact sheet's right column.
	if strings.Contains(crawlOut, "[pdf_") {
		t.Errorf("a demo PDF failed:\n%s", crawlOut)
	}
	for _, c := range []struct{ q, url, section string }{
		{`"mangrove checkpoint at Puerto Castilla"`, "/j/inl/rls/nrcrpt/2015/vol1/incsr-2015-volume-1.pdf#page=6", "Honduras › Maritime Security"},
		{`"Caribbean Basin Security Initiative"`, "/j/inl/rls/rpt/cbj/program-and-budget-guide-fy2016.pdf#page=1", "Summary of Requests by Operating Unit › Western Hemisphere"},
		{`"quayside checks"`, "/j/inl/rls/fs/container-control-fact-sheet.pdf#page=1", "Our Support"},
	} {
		hits := apiHits(t, base, c.q)
		if len(hits) == 0 || hits[0].URL != site.URL+c.url || hits[0].Section != c.section {
			t.Errorf("search %s = %+v, want the first hit at %s in %q", c.q, hits, c.url, c.section)
		}
	}
}

// getBody returns the body of a 200 answer to GET u.
func getBody(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, %v: %s", u, resp.StatusCode, err, b)
	}
	return b
}

type apiHit struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Section string `json:"section"`
}

// apiHits returns the first page of hits of the API for q.
func apiHits(tb testing.TB, base, q string) []apiHit {
	tb.Helper()
	resp, err := http.Get(base + "/api/v1/search?" + url.Values{"q": {q}}.Encode())
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct{ Hits []apiHit }
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("search %q: status %d, %v", q, resp.StatusCode, err)
	}
	return res.Hits
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
