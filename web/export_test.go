package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
	}}
	plain := search.Hit{Document: search.Document{ID: "plain", Title: "Comma, \"quote\"\nnewline"}}
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
		csvColumns,
		{"evil", "https://example.org/a#b", `'=HYPERLINK("http://evil.example","x")`, "'+1+1",
			"'@SUM(A1); United Nations Office on Drugs and Crime", "'-2; Laos", "Southeast Asia",
			"money laundering; corruption", "'\tfact sheet", "2019; 2020", "2021-03-04"},
		{"plain", "", "Comma, \"quote\"\nnewline", "", "", "", "", "", "", "", ""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("CSV mismatch (-want +got):\n%s", diff)
	}
	if len(fake.seen()) != 1 || fake.seen()[0].Page != 1 || !fake.seen()[0].NoFacets {
		t.Errorf("export searched %+v, want page 1 without facets (the page parameter ignored)", fake.seen())
	}
}

func TestExportPagesThroughEveryHit(t *testing.T) {
	t.Parallel()
	fake := pagedSearcher(250, func(i int) string { return fmt.Sprintf("id-%03d", i) })
	rec := do(t, MustServer(t, Config{}, fake, nil, nil).Handler(), "GET", "/export.json?country=Laos", nil)
	if rec.Code != 200 {
		t.Fatalf("status = %d", rec.Code)
	}
	var hits []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &hits); err != nil {
		t.Fatalf("JSON export does not parse: %v\n%.300s", err, rec.Body)
	}
	if len(hits) != 250 || hits[249]["id"] != "id-249" {
		t.Errorf("export has %d hits, want 250 ending with id-249", len(hits))
	}
	if _, ok := hits[0]["organizations"].([]any); !ok {
		t.Errorf("organizations is not a list: %v", hits[0]["organizations"])
	}
	qs := fake.seen()
	if len(qs) != 3 {
		t.Fatalf("%d searches, want 3", len(qs))
	}
	for i, q := range qs {
		if q.Page != i+1 || q.PerPage != 100 || !q.NoFacets || q.Filters["country"][0] != "Laos" {
			t.Errorf("search %d = %+v", i, q)
		}
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".json") {
		t.Errorf("Content-Disposition = %q", cd)
	}
}

func TestExportCapAndDedupe(t *testing.T) {
	t.Parallel()
	// The index claims more than the cap; ids repeat across pages (a swap).
	fake := pagedSearcher(20000, func(i int) string { return fmt.Sprint("id-", i-i%150/149) })
	rec := do(t, MustServer(t, Config{}, fake, nil, nil).Handler(), "GET", "/export.csv", nil)
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if seen[r[0]] {
			t.Fatalf("id %s exported twice", r[0])
		}
		seen[r[0]] = true
	}
	if len(rows)-1 > exportCap {
		t.Errorf("%d rows, want at most %d", len(rows)-1, exportCap)
	}
	for _, q := range fake.seen() {
		if q.Page*q.PerPage > 10000 {
			t.Errorf("export asked page %d × %d, beyond the result window", q.Page, q.PerPage)
		}
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

func TestNeutralizeCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"plain": "plain", "": "", "a=b": "a=b", "https://x": "https://x",
	} {
		if got := neutralizeCell(in); got != want {
			t.Errorf("neutralizeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
