package web

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChangesAPI(t *testing.T) {
	t.Parallel()
	live, ids := MustLiveFolder(t, fixtureDocs(), editedDocs())
	h := MustServer(t, Config{}, live, nil, nil).Handler()
	type change struct {
		Kind     string `json:"kind"`
		Previous string `json:"previous_text"`
		Passage  struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"passage"`
	}
	var res struct {
		Generation string `json:"generation"`
		Since      struct {
			ID string `json:"id"`
		} `json:"since"`
		New, Changed, Removed int
		Pages                 []struct {
			PageURL  string   `json:"page_url"`
			Passages []change `json:"passages"`
		} `json:"pages"`
	}
	get := func(target string) {
		t.Helper()
		rec := do(t, h, "GET", target, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		res.Pages = nil
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
	}
	for _, target := range []string{"/api/v1/changes?since=" + ids[0], "/api/v1/changes", "/api/v1/changes?since=2026-01-07T00:00:00Z"} {
		get(target)
		if res.Generation != ids[1] || res.Since.ID != ids[0] || res.New != 1 || res.Changed != 1 || res.Removed != 1 {
			t.Errorf("GET %s = %+v, want 1 new, 1 changed, 1 removed since %s", target, res, ids[0])
			continue
		}
		seen := map[string]change{}
		for _, p := range res.Pages {
			for _, c := range p.Passages {
				seen[c.Passage.ID] = c
			}
		}
		if c := seen["doc-03"]; c.Kind != "changed" || strings.Contains(c.Previous, "money") || !strings.Contains(c.Passage.Text, "money") {
			t.Errorf("doc-03 = %+v, want changed with its previous text", c)
		}
		if seen["doc-04"].Kind != "removed" || seen["doc-30"].Kind != "new" {
			t.Errorf("changes = %+v", seen)
		}
	}
	get("/api/v1/changes?q=containers&since=" + ids[0])
	if res.New != 1 || res.Changed != 0 || res.Removed != 0 {
		t.Errorf("changes of q=containers = %d new, %d changed, %d removed; want the new Cristobal passage only", res.New, res.Changed, res.Removed)
	}
	for target, code := range map[string]int{
		"/api/v1/changes?since=not%20a%20time":             400,
		"/api/v1/changes?since=" + strings.Repeat("a", 80): 400,
		"/api/v1/changes?since=2001-01-01T00:00:00Z":       http.StatusGone,
		"/api/v1/changes?since=" + ids[0] + "&page=0":      400,
	} {
		if rec := do(t, h, "GET", target, nil); rec.Code != code {
			t.Errorf("GET %s = %d, want %d: %s", target, rec.Code, code, rec.Body)
		}
	}
	fake := MustServer(t, Config{}, nil, nil, nil).Handler()
	if rec := do(t, fake, "GET", "/api/v1/changes?since=x", nil); rec.Code != 404 {
		t.Errorf("changes on a fake searcher = %d, want 404 not_available", rec.Code)
	}
	// Only one generation left: no default since.
	if err := os.RemoveAll(filepath.Join(live.Store().Dir, "generations", ids[0])); err != nil {
		t.Fatal(err)
	}
	if rec := do(t, h, "GET", "/api/v1/changes", nil); rec.Code != 400 {
		t.Errorf("changes with no earlier generation = %d, want 400", rec.Code)
	}
}

func TestChangesPageAndFeed(t *testing.T) {
	t.Parallel()
	live, ids := MustLiveFolder(t, fixtureDocs(), editedDocs())
	h := MustServer(t, Config{}, live, nil, nil).Handler()

	page := do(t, h, "GET", "/search?q=training", nil).Body.String()
	if !strings.Contains(page, `href="/changes?q=training&amp;since=`+ids[0]+`"`) || !strings.Contains(page, "What changed since 6 January 2026") {
		t.Errorf("results page lacks the what-changed link")
	}
	rec := do(t, h, "GET", "/changes?since="+ids[0], nil)
	body := rec.Body.String()
	for _, want := range []string{"<h1>What changed</h1>", "1 new, 1 changed and 1 removed", "<strong class=\"change-kind\">Changed:</strong>",
		"<strong class=\"change-kind\">Removed:</strong>", "<strong class=\"change-kind\">New:</strong>",
		`<ins><span class="visually-hidden">[added: </span>`, "money laundering "} {
		if !strings.Contains(body, want) {
			t.Errorf("changes page lacks %q", want)
		}
	}
	if rec.Code != 200 {
		t.Errorf("changes page = %d", rec.Code)
	}
	if rec := do(t, h, "GET", "/changes?since=bad%20one", nil); rec.Code != 400 || !strings.Contains(rec.Header().Get("Content-Type"), "html") {
		t.Errorf("changes page with a bad since = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}

	// The feed carries a tombstone (RFC 6721) for the removed passage.
	rec = do(t, h, "GET", "/feed.atom", nil)
	var feed struct {
		XMLName xml.Name
		Deleted []struct {
			Ref  string `xml:"ref,attr"`
			When string `xml:"when,attr"`
		} `xml:"http://purl.org/atompub/tombstones/1.0 deleted-entry"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil {
		t.Fatalf("feed is not XML: %v\n%s", err, rec.Body)
	}
	if len(feed.Deleted) != 1 || feed.Deleted[0].Ref != passageTagURI("doc-04") || feed.Deleted[0].When != "2026-01-07T12:00:00Z" {
		t.Errorf("feed tombstones = %+v, want doc-04 removed at the second generation", feed.Deleted)
	}
}
