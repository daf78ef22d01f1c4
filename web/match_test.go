package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inlsearch/inlsearch/search"
)

// MustRelaxIndex builds a real index where "alpha beta gamma" is held whole
// by the two "exact-" passages and, but for one word, by the three
// "partial-" ones, plus passages holding one of its words or none.
func MustRelaxIndex(tb testing.TB) *search.Index {
	tb.Helper()
	ix, err := search.Create(filepath.Join(tb.TempDir(), "index"), search.Vocabulary{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	texts := []struct{ id, text string }{
		{"exact-1", "Alpha, beta and gamma teams trained port officers together."},
		{"exact-2", "The gamma unit briefed the beta and alpha prosecutors."},
		{"partial-1", "Alpha and beta mentors visited the academy."},
		{"partial-2", "Beta inspectors met the gamma patrol at the border."},
		{"partial-3", "Gamma analysts shared alpha case files."},
		{"single-1", "Alpha alone appears in this passage."},
		{"none-1", "Coast guards patrolled the gulf at night."},
	}
	docs := make([]search.Document, len(texts))
	for i, d := range texts {
		docs[i] = search.Document{ID: d.id, URL: fmt.Sprintf("https://www.example.gov/r/%d#p", i),
			PageURL: fmt.Sprintf("https://www.example.gov/r/%d", i), Title: fmt.Sprintf("Program %d", i),
			Text: d.text, Countries: []string{"Peru"}, Years: []int{2020}}
	}
	if err := ix.Add(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	return ix
}

func TestAPIRelaxedRealIndex(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, MustRelaxIndex(t), nil, nil).Handler()
	type hit struct {
		ID      string
		Partial *bool // nil: the key is absent
	}
	type answer struct {
		Total, ExactTotal int
		Relaxed           bool
		Hits              []hit
	}
	yes := true
	tests := []struct {
		params string
		want   answer
	}{
		{"q=alpha+beta+gamma", answer{Total: 5, ExactTotal: 2, Relaxed: true,
			Hits: []hit{{"exact-?", nil}, {"exact-?", nil}, {"partial-?", &yes}, {"partial-?", &yes}, {"partial-?", &yes}}}},
		{"q=alpha+beta+gamma&match=auto", answer{Total: 5, ExactTotal: 2, Relaxed: true,
			Hits: []hit{{"exact-?", nil}, {"exact-?", nil}, {"partial-?", &yes}, {"partial-?", &yes}, {"partial-?", &yes}}}},
		{"q=alpha+beta+gamma&match=all", answer{Total: 2, ExactTotal: 2, Hits: []hit{{"exact-?", nil}, {"exact-?", nil}}}},
		{"q=alpha+beta+gamma&sort=date", answer{Total: 2, ExactTotal: 2, Hits: []hit{{"exact-?", nil}, {"exact-?", nil}}}},
		{"q=gamma", answer{Total: 4, ExactTotal: 4,
			Hits: []hit{{"?", nil}, {"?", nil}, {"?", nil}, {"?", nil}}}},
	}
	for _, tt := range tests {
		t.Run(tt.params, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, "GET", "/api/v1/search?"+tt.params, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d\n%s", rec.Code, rec.Body)
			}
			var raw struct {
				Total      *int             `json:"total"`
				ExactTotal *int             `json:"exact_total"`
				Relaxed    *bool            `json:"relaxed"`
				Hits       []map[string]any `json:"hits"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
				t.Fatal(err)
			}
			if raw.Total == nil || raw.ExactTotal == nil || raw.Relaxed == nil {
				t.Fatalf("answer lacks total, exact_total or relaxed: %.300s", rec.Body)
			}
			got := answer{Total: *raw.Total, ExactTotal: *raw.ExactTotal, Relaxed: *raw.Relaxed}
			for _, m := range raw.Hits {
				id, _ := m["id"].(string)
				// The order among exact (or among partial) hits is the
				// ranking's business; only the groups are checked.
				g := hit{ID: id[:strings.IndexByte(id+"-", '-')+1] + "?"}
				if strings.HasPrefix(tt.params, "q=gamma") {
					g.ID = "?" // a search of one word: no groups
				}
				if p, ok := m["partial"]; ok {
					b, isBool := p.(bool)
					if !isBool || !b {
						t.Errorf("hit %s: partial = %v, want true or absent", id, p)
					}
					g.Partial = &b
				}
				got.Hits = append(got.Hits, g)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET /api/v1/search?%s (-want +got):\n%s", tt.params, diff)
			}
		})
	}
}

func TestExportPartialRealIndex(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, MustRelaxIndex(t), nil, nil).Handler()
	for _, tt := range []struct {
		params string
		want   []string // the partial column, row by row
	}{
		{"q=alpha+beta+gamma", []string{"false", "false", "true", "true", "true"}},
		{"q=alpha+beta+gamma&match=all", []string{"false", "false"}},
	} {
		t.Run(tt.params, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, "GET", "/export.csv?"+tt.params, nil)
			rows, err := csv.NewReader(rec.Body).ReadAll()
			if rec.Code != 200 || err != nil || len(rows) == 0 {
				t.Fatalf("CSV: status %d, %v", rec.Code, err)
			}
			const partialCol = 16 // after generation, as in every export since partial came
			if rows[0][partialCol] != "partial" || rows[0][partialCol-1] != "generation" {
				t.Errorf("CSV header %q, want generation then partial at %d", rows[0], partialCol-1)
			}
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[partialCol])
				if (r[partialCol] == "true") != strings.HasPrefix(r[0], "partial-") {
					t.Errorf("row %s: partial %q", r[0], r[partialCol])
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("partial column = %q, want %q", got, tt.want)
			}

			rec = do(t, h, "GET", "/export.json?"+tt.params, nil)
			var hits []map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &hits); err != nil || len(hits) != len(tt.want) {
				t.Fatalf("JSON export: %d hits, %v", len(hits), err)
			}
			for i, m := range hits {
				_, has := m["partial"]
				if has != (tt.want[i] == "true") || has && m["partial"] != true {
					t.Errorf("JSON hit %v: partial %v, want %s", m["id"], m["partial"], tt.want[i])
				}
			}
		})
	}
}

func TestSearchPageRelaxedRealIndex(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, MustRelaxIndex(t), nil, nil).Handler()
	const notice = "Only 2 passages contain all of your words; below them, 3 passages that contain all but one."
	const label = "Missing one of your words"

	body := do(t, h, "GET", "/search?q=alpha+beta+gamma&country=Peru", nil).Body.String()
	checkDOM(t, body)
	if !strings.Contains(body, notice) {
		t.Errorf("relaxed page lacks the notice %q", notice)
	}
	if n := strings.Count(body, label); n != 3 {
		t.Errorf("relaxed page labels %d hits as partial, want 3", n)
	}
	if !strings.Contains(body, "1–5 of 5") { // in pages, the HTML default: each passage is a page
		t.Error("summary does not count every hit")
	}
	if i, j := strings.Index(body, notice), strings.Index(body, `<ol class="hits"`); i < 0 || j < i {
		t.Error("the notice is not above the hits")
	}
	strict := "/search?country=Peru&match=all&q=alpha+beta+gamma"
	if texts := links(t, body)[strict]; !slices.Contains(texts, "Show only passages with every word") {
		t.Fatalf("no link to the strict search %s (links %v)", strict, links(t, body))
	}
	if strings.Contains(body, "Also show passages with all but one word") {
		t.Error("relaxed page offers to relax")
	}

	// The strict page: no notice, no label, every link of the state keeps
	// match=all, and one link leads back.
	rec := do(t, h, "GET", strict, nil)
	body = rec.Body.String()
	checkDOM(t, body)
	if rec.Code != 200 || strings.Contains(body, "all of your words") || strings.Contains(body, label) {
		t.Errorf("strict page: status %d, or a relaxation notice or label", rec.Code)
	}
	if !strings.Contains(body, "1–2 of 2") {
		t.Error("strict page summary")
	}
	back := "/search?country=Peru&q=alpha+beta+gamma"
	all := links(t, body)
	if texts := all[back]; !slices.Contains(texts, "Also show passages with all but one word") {
		t.Errorf("no link back to %s (links %v)", back, all)
	}
	for href, texts := range all {
		u, err := url.Parse(href)
		if err != nil || u.Path != "/search" || u.Query().Get("q") == "" || href == back {
			continue
		}
		if u.Query().Get("match") != "all" {
			t.Errorf("link %s (%q) drops match=all", href, texts)
		}
	}
	for _, want := range []string{"/search?country=Peru&match=all&q=alpha+beta+gamma&sort=date",
		"/search?match=all&q=alpha+beta+gamma", "/export.csv?country=Peru&group=page&match=all&q=alpha+beta+gamma"} {
		if _, ok := all[want]; !ok {
			t.Errorf("strict page has no link %s", want)
		}
	}
	if !strings.Contains(body, `<input type="hidden" name="match" value="all">`) {
		t.Error("the search form drops match=all")
	}
	// The link back round-trips to the relaxed page.
	if body := do(t, h, "GET", back, nil).Body.String(); !strings.Contains(body, notice) {
		t.Error("the link back does not lead to the relaxed page")
	}

	// A search that many passages match whole, or a date sort: nothing.
	for _, target := range []string{"/search?q=gamma", "/search?q=alpha+beta+gamma&sort=date", "/search?q=gamma&match=all"} {
		body := do(t, h, "GET", target, nil).Body.String()
		if strings.Contains(body, "all of your words") || strings.Contains(body, label) ||
			strings.Contains(body, "Also show passages") {
			t.Errorf("%s shows relaxation text", target)
		}
	}
}

func TestSearchPageRelaxedFake(t *testing.T) {
	t.Parallel()
	docs := fixtureDocs()[:3]
	tests := []struct {
		name       string
		exact      int
		partial    []bool
		wantNotice string
	}{
		{"none whole", 0, []bool{true, true, true},
			"No passage contains all of your words; showing passages that contain all but one of them."},
		{"one and one", 1, []bool{false, true},
			"Only 1 passage contains all of your words; below it, 1 passage that contains all but one."},
		{"one and two", 1, []bool{false, true, true},
			"Only 1 passage contains all of your words; below it, 2 passages that contain all but one."},
		{"nothing partial", 2, []bool{false, false}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakeSearcher{SearchFn: func(_ context.Context, q search.Query) (*search.Result, error) {
				res := &search.Result{Query: q.Q, Total: len(tt.partial), ExactTotal: tt.exact, Relaxed: true, Page: 1, PerPage: 10}
				for i, p := range tt.partial {
					res.Hits = append(res.Hits, search.Hit{Document: docs[i], Partial: p})
				}
				return res, nil
			}}
			h := MustServer(t, Config{}, fake, nil, nil).Handler()
			body := do(t, h, "GET", "/search?q=container+%3Cb%3Eport", nil).Body.String()
			checkDOM(t, body)
			if tt.wantNotice != "" && !strings.Contains(body, tt.wantNotice) {
				t.Errorf("page lacks %q", tt.wantNotice)
			}
			if tt.wantNotice == "" && strings.Contains(body, "all of your words") {
				t.Error("a notice without partial hits")
			}
			if got, want := strings.Count(body, "Missing one of your words"), strings.Count(fmt.Sprint(tt.partial), "true"); got != want {
				t.Errorf("%d partial labels, want %d", got, want)
			}
			if strings.Contains(body, "<b>port") {
				t.Error("the query is not escaped")
			}

			rec := do(t, h, "GET", "/api/v1/search?q=container+port", nil)
			var res searchResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if !res.Relaxed || res.ExactTotal != tt.exact || res.Total != len(tt.partial) {
				t.Errorf("API relaxed %v, exact_total %d, total %d", res.Relaxed, res.ExactTotal, res.Total)
			}
			for i, hit := range res.Hits {
				if hit.Partial != tt.partial[i] {
					t.Errorf("API hit %d partial %v, want %v", i, hit.Partial, tt.partial[i])
				}
			}
		})
	}
}

func TestSearchPageNotRelaxed(t *testing.T) {
	t.Parallel()
	h := MustServer(t, Config{}, nil, nil, nil).Handler()
	body := do(t, h, "GET", "/search?q=container+port", nil).Body.String()
	for _, w := range []string{"all of your words", "Missing one of your words", "Show only passages", "Also show passages"} {
		if strings.Contains(body, w) {
			t.Errorf("a search that did not relax shows %q", w)
		}
	}
	// match=all with many hits, or a single word: no link back.
	for _, target := range []string{"/search?q=container&match=all", "/search?q=zzzz&match=all", "/search?match=all"} {
		if body := do(t, h, "GET", target, nil).Body.String(); strings.Contains(body, "Also show passages") {
			t.Errorf("%s offers to relax", target)
		}
	}
	// A strict search of several words with few hits offers to relax.
	body = do(t, h, "GET", "/search?q=zzzz+yyyy&match=all", nil).Body.String()
	if _, ok := links(t, body)["/search?q=zzzz+yyyy"]; !ok {
		t.Error("a strict search with no hit has no link back")
	}
}

func TestBadMatchMessage(t *testing.T) {
	t.Parallel()
	_, err := parseParams("match=some", effectiveLimits(search.Limits{}))
	want := `match must be one of auto, all, got "some"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}
