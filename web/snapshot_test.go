package web

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// MustLiveFolder publishes one generation per set of documents in a new data
// folder, a day apart, and serves the last one.
func MustLiveFolder(tb testing.TB, gens ...[]search.Document) (*search.Live, []string) {
	tb.Helper()
	st, err := search.NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	var ids []string
	for _, docs := range gens {
		now = now.Add(24 * time.Hour)
		b, err := st.Begin(search.Vocabulary{})
		if err != nil {
			tb.Fatal(err)
		}
		if err := b.Index.Add(context.Background(), docs); err != nil {
			b.Abort()
			tb.Fatal(err)
		}
		if err := b.Commit(search.Generation{Passages: len(docs), Pages: len(docs)}, true); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	l, err := search.OpenLive(st.Dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = l.Close() })
	return l, ids
}

// editedDocs is fixtureDocs as a later crawl sees it: doc-03 rewritten,
// doc-04 gone, doc-30 new.
func editedDocs() []search.Document {
	docs := fixtureDocs()
	docs[3].Text = "Training for prosecutors on organized crime, corruption and money laundering cases."
	docs[3].ChangedAt = time.Date(2026, 1, 7, 6, 0, 0, 0, time.UTC) // the crawl of the second generation
	docs = append(docs[:4], docs[5:]...)
	n := fixtureDocs()[0]
	n.ID, n.Section, n.Text = "doc-30", "Panama › Cristobal", "New port control units in Cristobal inspect containers."
	n.ChangedAt, n.FirstSeen = docs[3].ChangedAt, docs[3].ChangedAt
	return append(docs, n)
}

func TestSnapshotsAPI(t *testing.T) {
	t.Parallel()
	live, ids := MustLiveFolder(t, fixtureDocs(), editedDocs())
	old, cur := ids[0], ids[1]
	h := MustServer(t, Config{}, live, nil, nil).Handler()

	var res struct {
		Generation string `json:"generation"`
		Total      int    `json:"total"`
	}
	for _, tc := range []struct {
		target, gen string
		total       int
	}{
		{"/api/v1/search?q=cristobal", cur, 1},
		{"/api/v1/search?q=cristobal&gen=" + old, old, 0},
		{"/api/v1/search?q=containers&gen=" + old, old, 12},
		{"/api/v1/search?q=containers", cur, 13},
	} {
		rec := do(t, h, "GET", tc.target, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d %s", tc.target, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if res.Generation != tc.gen || rec.Header().Get(generationHeader) != tc.gen || res.Total != tc.total {
			t.Errorf("GET %s = generation %q (header %q), total %d; want %s, %d", tc.target, res.Generation, rec.Header().Get(generationHeader), res.Total, tc.gen, tc.total)
		}
	}

	// A passage of the old generation, and the same of the new.
	var doc documentJSON
	rec := do(t, h, "GET", "/api/v1/documents/doc-03?gen="+old, nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); rec.Code != 200 || err != nil || doc.Generation != old || strings.Contains(doc.Text, "money laundering") {
		t.Errorf("GET doc-03 gen=old = %d %+v", rec.Code, doc)
	}
	rec = do(t, h, "GET", "/api/v1/documents/doc-03", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); rec.Code != 200 || err != nil || doc.Generation != cur || !strings.Contains(doc.Text, "money laundering") {
		t.Errorf("GET doc-03 = %d %+v", rec.Code, doc)
	}
	if rec := do(t, h, "GET", "/api/v1/documents/doc-04", nil); rec.Code != http.StatusNotFound {
		t.Errorf("GET doc-04 on the new generation = %d, want 404", rec.Code)
	}

	// The export names the generation it read.
	rec = do(t, h, "GET", "/export.csv?q=containers&gen="+old, nil)
	if rec.Code != 200 || rec.Header().Get(generationHeader) != old || strings.Count(rec.Body.String(), "\n") != 13 {
		t.Errorf("export gen=old = %d, header %q, %d lines", rec.Code, rec.Header().Get(generationHeader), strings.Count(rec.Body.String(), "\n"))
	}

	// The kept generations, newest first.
	var gl struct {
		Generation  string           `json:"generation"`
		Generations []generationJSON `json:"generations"`
	}
	rec = do(t, h, "GET", "/api/v1/generations", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &gl); rec.Code != 200 || err != nil || gl.Generation != cur || len(gl.Generations) != 2 ||
		gl.Generations[0].ID != cur || !gl.Generations[0].Current || gl.Generations[1].ID != old || gl.Generations[1].Current || gl.Generations[1].Passages != 30 {
		t.Errorf("GET /api/v1/generations = %d %s", rec.Code, rec.Body)
	}

	// Malformed: 400. Pruned: 410 with the way to the current generation.
	if rec := do(t, h, "GET", "/api/v1/search?q=x&gen=../../etc", nil); rec.Code != 400 {
		t.Errorf("gen=../../etc = %d, want 400", rec.Code)
	}
	if err := os.RemoveAll(filepath.Join(live.Store().Dir, "generations", old)); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/v1/search?q=containers&gen=" + old, "/api/v1/documents/doc-03?gen=" + old, "/export.json?gen=" + old, "/feed.atom?gen=" + old} {
		rec := do(t, h, "GET", target, nil)
		var e apiError
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != http.StatusGone || (strings.HasPrefix(target, "/api") && (e.Error.Code != "generation_gone" || strings.Contains(e.Error.CurrentURL, "gen=") || e.Error.CurrentURL == "")) {
			t.Errorf("GET %s (pruned) = %d %s, want 410 generation_gone with current_url", target, rec.Code, rec.Body)
		}
	}
	rec = do(t, h, "GET", "/search?q=containers&gen="+old, nil)
	if rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), `href="/search?q=containers"`) {
		t.Errorf("HTML search on a pruned generation = %d, want 410 linking to the current one:\n%s", rec.Code, rec.Body)
	}
}

func TestCite(t *testing.T) {
	t.Parallel()
	live, ids := MustLiveFolder(t, fixtureDocs(), editedDocs())
	old, cur := ids[0], ids[1]
	h := MustServer(t, Config{}, live, nil, nil).Handler()

	rec := do(t, h, "GET", "/api/v1/cite?q=containers&country=Panama", nil)
	var ci citation
	if err := json.Unmarshal(rec.Body.Bytes(), &ci); rec.Code != 200 || err != nil {
		t.Fatalf("GET /api/v1/cite = %d %s", rec.Code, rec.Body)
	}
	if ci.Generation != cur || !strings.Contains(ci.URL, "gen="+cur) || ci.Total != 7 || ci.GenerationDate.Format(time.DateOnly) != "2026-01-07" ||
		ci.Query != `"containers", country: Panama` || !strings.Contains(ci.Text, ci.URL) || len(ci.CSL) != 1 || ci.CSL[0].Version != cur {
		t.Errorf("citation = %+v", ci)
	}
	if live.Store().Cited(cur).IsZero() {
		t.Errorf("citing %s did not record it", cur)
	}
	// The permalink answers the same hits after another crawl.
	rec = do(t, h, "GET", strings.TrimPrefix(ci.URL, "http://example.com"), nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "of 7") {
		t.Errorf("the permalink = %d, want the 7 passages", rec.Code)
	}

	rec = do(t, h, "GET", "/api/v1/cite?q=money_laundering%7D&gen="+old+"&format=bibtex", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(body, "@misc{inlsearch-") || !strings.Contains(body, `money\_laundering\}`) ||
		!strings.Contains(body, "year = {2026}") || !strings.Contains(body, "gen="+old) || !strings.Contains(rec.Header().Get("Content-Type"), "bibtex") {
		t.Errorf("bibtex = %d %s", rec.Code, body)
	}
	rec = do(t, h, "GET", "/api/v1/cite?q=containers&format=csl", nil)
	var items []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &items); rec.Code != 200 || err != nil || len(items) != 1 || items[0]["type"] != "dataset" || items[0]["URL"] == nil {
		t.Errorf("csl = %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, h, "GET", "/api/v1/cite?q=x&format=ris", nil); rec.Code != 400 {
		t.Errorf("format=ris = %d, want 400", rec.Code)
	}

	// The results page: a "Cite this search" box and the footer naming the generation.
	rec = do(t, h, "GET", "/search?q=containers", nil)
	page := rec.Body.String()
	for _, want := range []string{`id="cite-h"`, "gen=" + cur, "/api/v1/cite?", "format=bibtex", "format=csl", `<code class="generation">` + cur + `</code>`, "7 January 2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	page = do(t, h, "GET", "/search?q=containers&gen="+old, nil).Body.String()
	if !strings.Contains(page, `<code class="generation">`+old+`</code>`) || !strings.Contains(page, "6 January 2026") {
		t.Errorf("results page of gen=%s does not name it in the footer", old)
	}
}
