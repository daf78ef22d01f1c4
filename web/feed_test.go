package web

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		Title     string `xml:"title"`
		ID        string `xml:"id"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// feedDocs are the fixture passages with a crawl history: changed on
// distinct days, one never dated.
func feedDocs() []search.Document {
	docs := fixtureDocs()
	base := time.Date(2025, 3, 1, 6, 0, 0, 0, time.UTC)
	for i := range docs {
		docs[i].FirstSeen = base.AddDate(0, 0, -100)
		docs[i].ChangedAt = base.AddDate(0, 0, (i*7)%len(docs))
		docs[i].LastSeen = base.AddDate(0, 0, 40)
	}
	docs[3].ChangedAt = time.Time{}
	// The searcher sorts by changed_at, as search does for SortChangedAt.
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].ChangedAt.After(docs[j].ChangedAt) })
	return docs
}

func getFeed(t *testing.T, srv *Server, target, host string) atomFeed {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.Host = host
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", target, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var f atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatalf("feed is not Atom: %v\n%s", err, rec.Body)
	}
	return f
}

func TestFeed(t *testing.T) {
	t.Parallel()
	docs := feedDocs()
	fs := &fakeSearcher{SearchFn: fixtureSearch(docs)}
	srv := MustServer(t, Config{}, fs, nil, nil)
	target := "/feed.atom?" + url.Values{"q": {"container"}, "country": {"Panama"}, "sort": {"relevance"}, "page": {"2"}}.Encode()
	f := getFeed(t, srv, target, "search.example")

	q := fs.seen()[0]
	if q.Sort != search.SortChangedAt || q.Page != 1 || q.PerPage != feedEntries || !q.NoFacets || q.Q != "container" {
		t.Errorf("feed searched %+v, want sort changed_at, page 1, per_page %d, no facets", q, feedEntries)
	}
	var want []search.Document
	for _, d := range docs {
		if strings.Contains(strings.ToLower(d.Title+" "+d.Section+" "+d.Text), "container") && slices.Contains(d.Countries, "Panama") && !d.ChangedAt.IsZero() {
			want = append(want, d)
		}
	}
	if len(want) == 0 || len(f.Entries) != len(want) {
		t.Fatalf("feed has %d entries, want %d", len(f.Entries), len(want))
	}
	for i, e := range f.Entries {
		d := want[i]
		if e.ID != "tag:inlsearch.github.io,2026:passage:"+d.ID {
			t.Errorf("entry %d id = %q, want the tag URI of %s", i, e.ID, d.ID)
		}
		if e.Updated != d.ChangedAt.Format(time.RFC3339) || e.Published != d.FirstSeen.Format(time.RFC3339) {
			t.Errorf("entry %d updated/published = %s/%s, want %s/%s", i, e.Updated, e.Published, d.ChangedAt.Format(time.RFC3339), d.FirstSeen.Format(time.RFC3339))
		}
		if e.Link.Href != d.URL || e.Content.Type != "text" || e.Content.Text != d.Text || e.Title == "" {
			t.Errorf("entry %d = %+v, want link %s and the passage text", i, e, d.URL)
		}
		if i > 0 && e.Updated > f.Entries[i-1].Updated {
			t.Errorf("entries not newest first: %s after %s", e.Updated, f.Entries[i-1].Updated)
		}
	}
	if f.Updated != want[0].ChangedAt.Format(time.RFC3339) {
		t.Errorf("feed updated = %s, want the newest change %s", f.Updated, want[0].ChangedAt.Format(time.RFC3339))
	}
	if f.Link.Rel != "self" || !strings.HasPrefix(f.Link.Href, "http://search.example/feed.atom?") ||
		strings.Contains(f.Link.Href, "page=") || strings.Contains(f.Link.Href, "sort=") || !strings.Contains(f.Link.Href, "country=Panama") {
		t.Errorf("self link = %+v", f.Link)
	}
	if !strings.Contains(f.Title, "container") || !strings.Contains(f.Title, "Panama") {
		t.Errorf("feed title = %q, want the search named", f.Title)
	}

	// Ids are the same whatever the address the server is reached at and
	// whatever page or sort the link carried.
	g := getFeed(t, srv, "/feed.atom?country=Panama&q=container", "10.0.0.1:8080")
	if g.ID != f.ID || len(g.Entries) != len(f.Entries) || g.Entries[0].ID != f.Entries[0].ID {
		t.Errorf("ids changed with the host or the page: %q vs %q", g.ID, f.ID)
	}
}

func TestFeedEmptyAndErrors(t *testing.T) {
	t.Parallel()
	srv := MustServer(t, Config{}, &fakeSearcher{SearchFn: fixtureSearch(feedDocs())}, nil, nil)
	f := getFeed(t, srv, "/feed.atom?q=nothingmatchesthis", "search.example")
	if len(f.Entries) != 0 || f.ID == "" || f.Updated == "" {
		t.Errorf("empty feed = %+v, want a valid feed without entries", f)
	}
	tests := []struct {
		name, target string
		status       int
		code         string
	}{
		{"bad sort", "/feed.atom?sort=random", 400, "invalid_parameter"},
		{"bad year", "/feed.atom?year_from=abc", 400, "invalid_parameter"},
		{"bad query", "/feed.atom?q=%22open", 400, "invalid_query"},
		{"repeated q", "/feed.atom?q=a&q=b", 400, "invalid_parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, srv.Handler(), "GET", tt.target, nil)
			if rec.Code != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.target, rec.Code, tt.status)
			}
			if code, _ := decodeError(t, rec); code != tt.code {
				t.Errorf("GET %s code = %q, want %q", tt.target, code, tt.code)
			}
		})
	}
}
