package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestSimilarAPI(t *testing.T) {
	t.Parallel()
	live, ids := MustLiveFolder(t, fixtureDocs(), editedDocs())
	h := MustServer(t, Config{}, live, nil, nil).Handler()
	type hit struct {
		ID      string `json:"id"`
		PageURL string `json:"url"`
		Snippet string `json:"snippet"`
	}
	var res struct {
		Generation string `json:"generation"`
		Hits       []hit  `json:"hits"`
	}
	get := func(target string) {
		t.Helper()
		rec := do(t, h, "GET", target, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		res.Hits = nil
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
	}
	// doc-00: Panama ports, page programs/0 (doc-05, doc-10… share it).
	get("/api/v1/documents/doc-00/similar?size=5")
	if len(res.Hits) != 5 || res.Generation != ids[1] {
		t.Fatalf("similar to doc-00: %d hits, generation %s", len(res.Hits), res.Generation)
	}
	for _, x := range res.Hits {
		if x.ID == "doc-00" || strings.Contains(x.PageURL, "/programs/0#") {
			t.Errorf("similar to doc-00 holds %s of its own page %s", x.ID, x.PageURL)
		}
	}
	if !strings.Contains(res.Hits[0].PageURL, "/programs/1#") || !strings.Contains(res.Hits[0].Snippet, "<mark>") {
		t.Errorf("first similar to doc-00 = %+v, want the other container passage (programs/1) with shared words marked", res.Hits[0])
	}
	get("/api/v1/documents/doc-00/similar?size=5&same_page=true")
	if !strings.Contains(res.Hits[0].PageURL, "/programs/0#") || res.Hits[0].ID == "doc-00" {
		t.Errorf("similar to doc-00 with its page: first %+v, want a passage of programs/0", res.Hits[0])
	}
	get("/api/v1/documents/doc-04/similar?same_page=1&gen=" + ids[0])
	if res.Generation != ids[0] || len(res.Hits) == 0 {
		t.Errorf("similar to doc-04 on the old generation = %+v", res)
	}
	for target, code := range map[string]int{
		"/api/v1/documents/doc-04/similar":                               404, // gone from the new generation
		"/api/v1/documents/doc-00/similar?size=0":                        400,
		"/api/v1/documents/doc-00/similar?size=abc":                      400,
		"/api/v1/documents/doc-00/similar?size=101":                      400,
		"/api/v1/documents/doc-00/similar?same_page=maybe":               400,
		"/api/v1/documents/doc-00/similar?gen=..%2Fx":                    400,
		"/api/v1/documents/doc-00/similar?gen=20000101T000000Z-00000000": http.StatusGone,
	} {
		if rec := do(t, h, "GET", target, nil); rec.Code != code {
			t.Errorf("GET %s = %d, want %d: %s", target, rec.Code, code, rec.Body)
		}
	}
	// A Searcher that cannot: 404 not_available, not a 500.
	fake := MustServer(t, Config{}, nil, nil, nil).Handler()
	if rec := do(t, fake, "GET", "/api/v1/documents/doc-00/similar", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), "not_available") {
		t.Errorf("similar on a fake searcher = %d %s", rec.Code, rec.Body)
	}
}

func TestSimilarPage(t *testing.T) {
	t.Parallel()
	live, _ := MustLiveFolder(t, fixtureDocs())
	h := MustServer(t, Config{}, live, nil, nil).Handler()
	page := do(t, h, "GET", "/search?q=containers&group=passage", nil).Body.String()
	if n := strings.Count(page, `class="similar" href="/passages/doc-`); n != 10 {
		t.Errorf("results page has %d similar-passages links, want one per hit (10)", n)
	}
	rec := do(t, h, "GET", "/passages/doc-00/similar", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "<h1>Similar passages</h1>") || !strings.Contains(body, "Passages like:") ||
		strings.Count(body, `class="hit"`) != 10 || !strings.Contains(body, `href="/passages/doc-00/similar?same_page=true"`) {
		t.Errorf("similar page = %d:\n%s", rec.Code, body)
	}
	if rec := do(t, h, "GET", "/passages/nope/similar", nil); rec.Code != 404 || !strings.Contains(rec.Header().Get("Content-Type"), "html") {
		t.Errorf("similar page of an unknown passage = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
