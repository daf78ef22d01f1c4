package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inlsearch/inlsearch/search"
)

// pagedSearcher serves total synthetic hits, page by page, like an index.
func pagedSearcher(total int, idOf func(i int) string) *fakeSearcher {
	return &fakeSearcher{SearchFn: func(_ context.Context, q search.Query) (*search.Result, error) {
		res := &search.Result{Total: total, Page: q.Page, PerPage: q.PerPage}
		for i := (q.Page - 1) * q.PerPage; i < min(q.Page*q.PerPage, total); i++ {
			res.Hits = append(res.Hits, search.Hit{Document: search.Document{ID: idOf(i), Title: fmt.Sprint("t", i)}})
		}
		return res, nil
	}}
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	evil := search.Hit{Document: search.Document{
		ID: "evil", URL: "https://example.org/a#b", Title: `=HYPERLINK("http://evil.example","x")`, Section: "+1+1",
		Organizations: []string{"@SUM(A1)", "United Nations Office on Drugs and Crime"}, Countries: []string{"-2", "Laos"},
		Regions: []string{"Southeast Asia"}, Topics: []string{"money laundering", "corruption"}, Type: "\tfact sheet",
		Years: []int{2019, 2020}, Published: time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC),
		PageURL: "https://example.org/a", FirstSeen: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		ChangedAt: time.Date(2024, 6, 1, 0, 0, 0, 0, time.FixedZone("EST", -5*3600)),
		LastSeen:  time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Text:      "=cmd|' /C calc'!A0 costs $2.5 million", Amounts: []float64{2.5e6, 0.75},
	}, Score: 1.25}
	plain := search.Hit{Document: search.Document{ID: "plain", Title: "Comma, \"quote\"\nnewline"}, Partial: true}
	fake := &fakeSearcher{SearchFn: func(context.Context, search.Query) (*search.Result, error) {
		return &search.Result{Total: 2, Hits: []search.Hit{evil, plain}}, nil
	}}
	rec := do(t, MustServer(t, Config{}, fake, nil, nil).Handler(), "GET", "/export.csv?q=x&page=3", nil)
	if rec.Code != 200 {
		t.Fatalf("status = %d\n%s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") || !strings.Contains(got, ".csv") {
		t.Errorf("Content-Disposition = %q", got)
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	want := [][]string{
		{"id", "url", "title", "section", "organizations", "countries", "regions", "topics", "type", "years",
			"published", "page_url", "first_seen", "changed_at", "last_seen", "generation", "partial",
			"score", "text", "amounts", "more_passages", "more_sections"},
		{"evil", "https://example.org/a#b", `'=HYPERLINK("http://evil.example","x")`, "'+1+1",
			"'@SUM(A1); United Nations Office on Drugs and Crime", "'-2; Laos", "Southeast Asia",
			"money laundering; corruption", "'\tfact sheet", "2019; 2020", "2021-03-04",
			"https://example.org/a", "2024-05-06T07:08:09Z", "2024-06-01T05:00:00Z", "2025-01-02T03:04:05Z", "", "false",
			"1.25", "'=cmd|' /C calc'!A0 costs $2.5 million", "2500000; 0.75", "", ""},
		{"plain", "", "Comma, \"quote\"\nnewline", "", "", "", "", "", "", "", "", "", "", "", "", "", "true", "0", "", "", "", ""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("CSV mismatch (-want +got):\n%s", diff)
	}
	if got := rec.Header().Get(generationHeader); got != "" {
		t.Errorf("%s = %q from a Searcher that cannot tell its generation", generationHeader, got)
	}
	if len(fake.seen()) != 1 || fake.seen()[0].Page != 1 || !fake.seen()[0].NoFacets {
		t.Errorf("export searched %+v, want page 1 without facets (the page parameter ignored)", fake.seen())
	}
}

func TestExportErrors(t *testing.T) {
	t.Parallel()
	// Before the first byte: the usual JSON error.
	fake := &fakeSearcher{SearchFn: func(context.Context, search.Query) (*search.Result, error) {
		return nil, search.ErrUnavailable
	}}
	rec := do(t, MustServer(t, Config{}, fake, nil, nil).Handler(), "GET", "/export.csv", nil)
	if rec.Code != 503 {
		t.Fatalf("status = %d, want 503", rec.Code)
	}
	if code, _ := decodeError(t, rec); code != "index_unavailable" {
		t.Errorf("code = %q", code)
	}

	// Midway: the connection breaks, so the client cannot take a short file for a whole one.
	paged := pagedSearcher(300, func(i int) string { return fmt.Sprint(i) })
	inner := paged.SearchFn
	paged.SearchFn = func(ctx context.Context, q search.Query) (*search.Result, error) {
		if q.Page == 2 {
			return nil, fmt.Errorf("run: %w", search.ErrTimeout)
		}
		return inner(ctx, q)
	}
	ts := httptest.NewServer(MustServer(t, Config{}, paged, nil, nil).Handler())
	t.Cleanup(ts.Close)
	for _, path := range []string{"/export.csv", "/export.json"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || err == nil {
			t.Errorf("GET %s: status %d, read error %v; want 200 then a broken body", path, resp.StatusCode, err)
		}
	}
}

// tinyDocs returns n small passages that all contain "alpha".
func tinyDocs(tag string, n int) []search.Document {
	docs := make([]search.Document, n)
	for i := range docs {
		docs[i] = search.Document{
			ID: fmt.Sprintf("%s-%05d", tag, i), URL: fmt.Sprintf("https://www.example.gov/%s/%d#p", tag, i),
			PageURL: fmt.Sprintf("https://www.example.gov/%s/%d", tag, i), Title: "Program " + tag,
			Text:      fmt.Sprintf("Alpha passage %d on border control.", i),
			Countries: []string{[]string{"Mexico", "Peru", "Ghana"}[i%3]}, Years: []int{2000 + i%20},
			Published: time.Date(2000+i%20, 1, 1+i%28, 0, 0, 0, 0, time.UTC),
			FirstSeen: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), LastSeen: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		}
	}
	return docs
}

// exportedIDs reads the first column of a CSV export, header excluded.
func exportedIDs(t *testing.T, body io.Reader) (header []string, ids []string) {
	t.Helper()
	rows, err := csv.NewReader(body).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("CSV does not parse: %v", err)
	}
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	return rows[0], ids
}

func TestExportRealIndexHoldsTheAPIsHits(t *testing.T) {
	t.Parallel()
	ix, err := search.Create(filepath.Join(t.TempDir(), "index"), search.Vocabulary{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.Add(context.Background(), tinyDocs("w", 450)); err != nil {
		t.Fatal(err)
	}
	h := MustServer(t, Config{}, ix, nil, nil).Handler()
	for _, params := range []string{"q=alpha", "q=alpha+OR+border&sort=date", "country=Mexico&country=Peru&sort=date", "year_from=2005"} {
		t.Run(params, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, "GET", "/export.csv?"+params, nil)
			if rec.Code != 200 {
				t.Fatalf("status %d\n%.300s", rec.Code, rec.Body)
			}
			_, ids := exportedIDs(t, rec.Body)
			var want []string
			for page := 1; page == 1 || len(want) < len(ids); page++ {
				var res searchResponse
				api := do(t, h, "GET", fmt.Sprintf("/api/v1/search?%s&page=%d&per_page=100", params, page), nil)
				if err := json.Unmarshal(api.Body.Bytes(), &res); err != nil {
					t.Fatal(err)
				}
				if res.Total != len(ids) || len(res.Hits) == 0 {
					t.Fatalf("export holds %d hits, the search %d (page %d: %d hits)", len(ids), res.Total, page, len(res.Hits))
				}
				for _, hit := range res.Hits {
					want = append(want, hit.ID)
				}
			}
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("the export differs from the API's pages (-api +export):\n%s", diff)
			}
		})
	}
}

func TestExportHoldsMoreThanTheResultWindow(t *testing.T) {
	t.Parallel()
	const n = 12000
	fake := &fakeSearcher{SearchFn: fixtureSearch(fixtureDocs())}
	fake.ExportFn = func(_ context.Context, _ search.Query, begin func(search.ExportInfo) error, fn func(search.Hit) error) (int, error) {
		if err := begin(search.ExportInfo{Generation: "g7", Total: n}); err != nil {
			return 0, err
		}
		for i := range n {
			if err := fn(search.Hit{Document: search.Document{ID: fmt.Sprint("id-", i)}}); err != nil {
				return i, err
			}
		}
		return n, nil
	}
	rec := do(t, MustServer(t, Config{}, fake, nil, nil).Handler(), "GET", "/export.csv?q=x", nil)
	_, ids := exportedIDs(t, rec.Body)
	if len(ids) != n || ids[n-1] != fmt.Sprint("id-", n-1) {
		t.Errorf("export holds %d rows, want all %d", len(ids), n)
	}
}

func TestExportFromLiveNamesItsGeneration(t *testing.T) {
	t.Parallel()
	st, err := search.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.Begin(search.Vocabulary{})
	if err != nil {
		t.Fatal(err)
	}
	docs := tinyDocs("g", 30)
	docs[0].ChangedAt = time.Date(2024, 8, 9, 10, 11, 12, 0, time.UTC)
	if err := b.Index.Add(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(search.Generation{Passages: len(docs), Pages: len(docs)}, false); err != nil {
		t.Fatal(err)
	}
	live, err := search.OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = live.Close() })
	h := MustServer(t, Config{}, live, nil, nil).Handler()

	rec := do(t, h, "GET", "/export.csv?q=alpha&sort=date", nil)
	if got := rec.Header().Get(generationHeader); rec.Code != 200 || got != b.ID {
		t.Fatalf("status %d, %s %q; want 200 and %q", rec.Code, generationHeader, got, b.ID)
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(rows) != 31 {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	wantHeader := []string{"id", "url", "title", "section", "organizations", "countries", "regions", "topics", "type",
		"years", "published", "page_url", "first_seen", "changed_at", "last_seen", "generation", "partial",
		"score", "text", "amounts", "more_passages", "more_sections"}
	if diff := cmp.Diff(wantHeader, rows[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[0]] = r
	}
	if got, want := byID["g-00000"][11:17], []string{"https://www.example.gov/g/0", "2024-01-02T03:04:05Z",
		"2024-08-09T10:11:12Z", "2025-01-02T03:04:05Z", b.ID, "false"}; !cmp.Equal(got, want) {
		t.Errorf("provenance of g-00000 = %q, want %q", got, want)
	}
	if got := byID["g-00000"][18]; got != docs[0].Text {
		t.Errorf("text of g-00000 = %q, want the passage's %q", got, docs[0].Text)
	}

	rec = do(t, h, "GET", "/export.json?q=alpha", nil)
	if got := rec.Header().Get(generationHeader); rec.Code != 200 || got != b.ID {
		t.Fatalf("JSON: status %d, %s %q", rec.Code, generationHeader, got)
	}
	var hits []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &hits); err != nil || len(hits) != 30 {
		t.Fatalf("JSON export: %d hits, %v", len(hits), err)
	}
	for _, k := range []string{"id", "url", "title", "section", "snippet", "organizations", "countries", "regions",
		"topics", "type", "years", "published", "score", "first_seen", "last_seen", "page_url", "generation"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("JSON hit lacks %q: %v", k, hits[0])
		}
	}
	if hits[0]["generation"] != b.ID || !strings.HasPrefix(hits[0]["page_url"].(string), "https://www.example.gov/g/") {
		t.Errorf("JSON provenance = %v, %v", hits[0]["generation"], hits[0]["page_url"])
	}
}

func TestExporterErrors(t *testing.T) {
	t.Parallel()
	fake := &fakeSearcher{SearchFn: fixtureSearch(fixtureDocs())}
	fake.ExportFn = func(_ context.Context, q search.Query, begin func(search.ExportInfo) error, fn func(search.Hit) error) (int, error) {
		switch q.Q {
		case "huge":
			return 0, fmt.Errorf("%w: more than 1000000 passages", search.ErrBadQuery)
		case "slow":
			return 0, search.ErrTimeout
		}
		if err := begin(search.ExportInfo{Generation: "g1", Total: 3}); err != nil {
			return 0, err
		}
		if err := fn(search.Hit{Document: search.Document{ID: "a"}}); err != nil {
			return 0, err
		}
		return 1, fmt.Errorf("read: %w", search.ErrCorrupt)
	}
	h := MustServer(t, Config{}, fake, nil, nil).Handler()
	for _, tt := range []struct {
		target, code string
		status       int
	}{
		{"/export.csv?q=huge", "invalid_query", 400},
		{"/export.json?q=slow", "search_timeout", 503},
		{"/export.csv?sort=size", "invalid_parameter", 400},
	} {
		rec := do(t, h, "GET", tt.target, nil)
		if rec.Code != tt.status || rec.Header().Get(generationHeader) != "" {
			t.Errorf("GET %s = %d (generation %q), want %d and no generation", tt.target, rec.Code, rec.Header().Get(generationHeader), tt.status)
			continue
		}
		if code, _ := decodeError(t, rec); code != tt.code {
			t.Errorf("GET %s: code %q, want %q", tt.target, code, tt.code)
		}
	}
	// Midway: a broken body, never a short file that looks whole.
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	for _, path := range []string{"/export.csv?q=x", "/export.json?q=x"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || err == nil || resp.Header.Get(generationHeader) != "g1" {
			t.Errorf("GET %s: status %d, generation %q, read error %v; want 200, g1, then a broken body", path, resp.StatusCode, resp.Header.Get(generationHeader), err)
		}
		if len(body) == 0 {
			t.Errorf("GET %s: nothing before the failure; want at least the head", path)
		}
	}
	if qs := fake.seen(); len(qs) != 0 {
		t.Errorf("the export searched %d times; an export needs no Search", len(qs))
	}
}
