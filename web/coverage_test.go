package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

func MustCoverageFolder(tb testing.TB) *search.Live {
	tb.Helper()
	st, err := search.NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	docs := fixtureDocs()
	for i := range docs {
		docs[i].FirstSeen, docs[i].LastSeen = t0.Add(time.Duration(i)*time.Hour), t0.Add(48*time.Hour)
	}
	docs[2].StaleSince = t0.Add(24 * time.Hour)
	b, err := st.Begin(search.Vocabulary{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := b.Index.Add(context.Background(), docs); err != nil {
		b.Abort()
		tb.Fatal(err)
	}
	g := search.Generation{Passages: len(docs), Pages: 5, Crawl: &search.CrawlReport{
		Failing: []search.PageIssue{{URL: "https://www.example.gov/programs/2", Reason: "server_error", Status: 503, Since: t0.Add(24 * time.Hour)}},
		Removed: []search.PageIssue{{URL: "https://other.example.gov/old", Reason: "not_found", Status: 404, Since: t0}},
	}}
	if err := b.Commit(g, false); err != nil {
		tb.Fatal(err)
	}
	l, err := search.OpenLive(st.Dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = l.Close() })
	return l
}

func TestCoverageAPI(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, MustCoverageFolder(t), nil, nil).Handler()
	rec := do(t, h, "GET", "/api/v1/coverage", nil)
	var cov search.Coverage
	if err := json.Unmarshal(rec.Body.Bytes(), &cov); rec.Code != 200 || err != nil {
		t.Fatalf("GET /api/v1/coverage = %d %s", rec.Code, rec.Body)
	}
	if cov.Pages != 5 || cov.Passages != 30 || len(cov.Hosts) != 2 {
		t.Fatalf("coverage = %d pages, %d passages, %d hosts; want 5, 30, 2", cov.Pages, cov.Passages, len(cov.Hosts))
	}
	other, www := cov.Hosts[0], cov.Hosts[1]
	if other.Name != "other.example.gov" || other.Removed != 1 || other.Pages != 0 {
		t.Errorf("host other.example.gov = %+v, want one removed page and none indexed", other)
	}
	if www.Name != "www.example.gov" || www.Pages != 5 || www.Passages != 30 || www.Stale != 1 || www.Failing != 1 ||
		!www.FirstCrawl.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) || !www.LastCrawl.Equal(time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("host www.example.gov = %+v", www)
	}
	if len(www.Sections) != 1 || www.Sections[0].Name != "/programs/" || www.Sections[0].Pages != 5 {
		t.Errorf("sections of www.example.gov = %+v, want /programs/ with 5 pages", www.Sections)
	}
	wantTypes := []search.FacetValue{{Value: "fact sheet", Count: 2}, {Value: "program page", Count: 2}, {Value: "country report", Count: 1}}
	same := func(a, b search.FacetValue) bool { return a.Value == b.Value && a.Count == b.Count }
	if len(www.Types) != 3 || !same(www.Types[0], wantTypes[0]) || !same(www.Types[1], wantTypes[1]) || !same(www.Types[2], wantTypes[2]) {
		t.Errorf("types = %+v, want %+v", www.Types, wantTypes)
	}
	pages := map[string]int{}
	for _, v := range cov.Facets[search.FacetRegion] {
		pages[v.Value] = v.Count
	}
	if pages["Central America"] != 2 || pages["Western Hemisphere"] != 3 || pages["West Africa"] != 1 {
		t.Errorf("region page counts = %v", pages)
	}
	if len(cov.Failing) != 1 || cov.Failing[0].Reason != "server_error" || len(cov.Stale) != 1 || len(cov.Removed) != 1 {
		t.Errorf("failing %+v, stale %+v, removed %+v", cov.Failing, cov.Stale, cov.Removed)
	}
	if rec := do(t, h, "GET", "/api/v1/coverage?gen=20000101T000000Z-00000000", nil); rec.Code != 410 {
		t.Errorf("coverage of a pruned generation = %d, want 410", rec.Code)
	}
	fake := MustServer(t, Config{}, nil, nil, nil).Handler()
	if rec := do(t, fake, "GET", "/api/v1/coverage", nil); rec.Code != 404 {
		t.Errorf("coverage on a fake searcher = %d, want 404", rec.Code)
	}
}

func TestCoveragePage(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, MustCoverageFolder(t), nil, nil).Handler()
	rec := do(t, h, "GET", "/coverage", nil)
	body := rec.Body.String()
	for _, want := range []string{"<h1>Coverage</h1>", "holds 30 passages from 5 pages", `<th scope="row">www.example.gov</th>`,
		"/programs/</th><td>5</td><td>30</td><td>2 Jan 2026</td><td>4 Jan 2026</td><td>1</td><td>1</td><td>0</td>",
		"server_error (HTTP 503)", "https://other.example.gov/old: not_found (HTTP 404)", "Central America: 2 pages", `<a href="/coverage">Coverage</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("coverage page lacks %q", want)
		}
	}
	if rec.Code != 200 {
		t.Errorf("coverage page = %d", rec.Code)
	}
}
