package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/feeds"

	"github.com/inlsearch/inlsearch/search"
)

const (
	// feedEntries is how many passages a feed holds: the latest changed.
	feedEntries = 50
	// tagAuthority is the tagging entity of the feed's tag URIs (RFC 4151):
	// ids that never change with the address the server is reached at.
	tagAuthority = "inlsearch.github.io,2026"
	atomNS       = "http://www.w3.org/2005/Atom"
)

// passageTagURI is the stable Atom id of a passage.
func passageTagURI(id string) string { return "tag:" + tagAuthority + ":passage:" + id }

// feedQuery is a search as its feed runs it: its latest changed passages.
func (s *Server) feedQuery(q search.Query) search.Query {
	q.Sort, q.Page, q.PerPage = search.SortChangedAt, 1, min(feedEntries, s.lim.MaxPerPage)
	q.NoFacets, q.FacetSize, q.Group = true, 0, "" // the feed lists passages
	return q
}

// handleFeed answers GET /feed.atom with the search's parameters: an Atom
// feed of its passages that are new or changed, newest first (by changed_at),
// each entry with the passage's stable id and changed_at as its update time.
func (s *Server) handleFeed(c *gin.Context) {
	pl := plannedOf(c)
	res, err := s.run(c.Request.Context(), pl)
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredFrom(c, res.Generation)
	q := pl.q
	canon := stateOf(q)
	canon.sort, canon.page, canon.perPage, canon.facetSize = "", 1, 0, 0

	base := "http://" + c.Request.Host
	if c.Request.TLS != nil {
		base = "https://" + c.Request.Host
	}
	self := canon.href("/feed.atom")
	feed := &feeds.AtomFeed{
		Xmlns:    atomNS,
		Title:    "inlsearch: " + describeQuery(q),
		Subtitle: "Passages new or changed at each re-index, newest first",
		Id:       "tag:" + tagAuthority + ":" + self,
		Link:     &feeds.AtomLink{Href: base + self, Rel: "self", Type: "application/atom+xml"},
		Author:   &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: "inlsearch", Uri: base + canon.href("/search")}},
	}
	var newest time.Time
	for _, h := range res.Hits {
		if h.ChangedAt.IsZero() {
			continue // indexed before re-indexing kept history
		}
		if h.ChangedAt.After(newest) {
			newest = h.ChangedAt
		}
		feed.Entries = append(feed.Entries, feedEntry(h))
	}
	if newest.IsZero() {
		newest = s.now()
	}
	feed.Updated = newest.UTC().Format(time.RFC3339)
	body, err := feeds.ToXML(feed)
	if err != nil {
		s.fail(c, err)
		return
	}
	deleted, err := s.tombstones(c.Request.Context(), q, res.Generation)
	if err != nil {
		s.fail(c, err)
		return
	}
	body = withTombstones(body, deleted)
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", []byte(body))
}

func feedEntry(h search.Hit) *feeds.AtomEntry {
	title := h.Title
	if sec := h.Section; sec != "" && sec != h.Title {
		if title == "" || strings.HasPrefix(sec, title) {
			title = sec
		} else {
			title += " › " + sec
		}
	}
	e := &feeds.AtomEntry{
		Title:   title,
		Id:      passageTagURI(h.ID),
		Updated: h.ChangedAt.UTC().Format(time.RFC3339),
		Links:   []feeds.AtomLink{{Href: h.URL, Rel: "alternate", Type: "text/html"}},
		Content: &feeds.AtomContent{Content: h.Text, Type: "text"},
	}
	if !h.FirstSeen.IsZero() {
		e.Published = h.FirstSeen.UTC().Format(time.RFC3339)
	}
	if h.Snippet != "" {
		e.Summary = &feeds.AtomSummary{Content: h.Snippet, Type: "html"}
	}
	return e
}

// describeQuery names a search for people: its words and its filters.
func describeQuery(q search.Query) string {
	var parts []string
	if q.Q != "" {
		parts = append(parts, `"`+q.Q+`"`)
	}
	for _, f := range filterFacets {
		if vals := q.Filters[f]; len(vals) > 0 {
			v := append([]string(nil), vals...)
			sort.Strings(v)
			parts = append(parts, f+": "+strings.Join(v, " or "))
		}
	}
	switch {
	case q.YearFrom != 0 && q.YearTo != 0:
		parts = append(parts, "years "+strconv.Itoa(q.YearFrom)+"–"+strconv.Itoa(q.YearTo))
	case q.YearFrom != 0:
		parts = append(parts, "from "+strconv.Itoa(q.YearFrom))
	case q.YearTo != 0:
		parts = append(parts, "until "+strconv.Itoa(q.YearTo))
	}
	if len(parts) == 0 {
		return "all passages"
	}
	return strings.Join(parts, ", ")
}
