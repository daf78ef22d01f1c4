package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// ChangeFinder is implemented by a Searcher that keeps generations and can
// tell what changed in a search between two of them (search.Live).
type ChangeFinder interface {
	// Changes lists the passages of q new, changed or removed since a kept
	// generation (an id, or an RFC 3339 time). Errors wrap
	// search.ErrBadQuery, ErrGenerationGone, ErrTimeout and those of Compile.
	Changes(ctx context.Context, q search.Query, since string) (*search.Changes, error)
}

// maxSinceBytes bounds the since parameter (an id or a time).
const maxSinceBytes = 64

// previousGeneration is the newest kept generation built before gen ("" the
// served one); ok is false when there is none.
func (s *Server) previousGeneration(gen string) (search.Generation, bool) {
	sn := s.snapshots()
	if sn == nil {
		return search.Generation{}, false
	}
	cur := sn.Current()
	if gen != "" && gen != cur.ID {
		g, err := sn.Generation(gen)
		if err != nil {
			return search.Generation{}, false
		}
		cur = g
	}
	for _, g := range sn.Generations() {
		if g.ID != cur.ID && g.BuiltAt.Before(cur.BuiltAt) {
			return g, true
		}
	}
	return search.Generation{}, false
}

// changesOf reads a changes request: the search and since (default: the
// generation before the one asked for), and runs it.
func (s *Server) changesOf(c *gin.Context) (search.Query, *search.Changes, error) {
	q, err := parseParams(c.Request.URL.RawQuery, s.lim)
	if err != nil {
		return q, nil, err
	}
	cf, ok := s.searcher.(ChangeFinder)
	if !ok {
		return q, nil, &codedError{status: http.StatusNotFound, code: "not_available", msg: "this server keeps no generations to compare"}
	}
	since := strings.TrimSpace(c.Query("since"))
	if len(since) > maxSinceBytes {
		return q, nil, badParam("since must be a generation id or an RFC 3339 time")
	}
	if since == "" {
		prev, ok := s.previousGeneration(q.Generation)
		if !ok {
			return q, nil, badParam("since is required: no earlier generation is kept")
		}
		since = prev.ID
	}
	ch, err := cf.Changes(c.Request.Context(), q, since)
	if err == nil {
		answeredFrom(c, ch.Current.ID)
	}
	return q, ch, err
}

// handleAPIChanges answers GET /api/v1/changes?since=…&<search parameters>.
func (s *Server) handleAPIChanges(c *gin.Context) {
	_, ch, err := s.changesOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, struct {
		Generation string `json:"generation"`
		*search.Changes
	}{ch.Current.ID, ch})
}

// changesView is the data of changes.html.
type changesView struct {
	baseView
	Query               string
	Since, Current      string
	New, Changed, Gone  int
	Truncated           bool
	Pages               []changedPageView
	SearchURL, SinceURL string
}

type changedPageView struct {
	Title, URL string
	Passages   []changedPassageView
}

type changedPassageView struct {
	Kind, Label, Section, URL string
	Text                      string
	Diff                      []diffOp
}

var changeLabels = map[string]string{search.ChangeNew: "New", search.ChangeChanged: "Changed", search.ChangeRemoved: "Removed"}

// handleChangesPage serves GET /changes: what changed in a search, a
// changed passage shown as a word-level diff.
func (s *Server) handleChangesPage(c *gin.Context) {
	q, ch, err := s.changesOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	day := func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") }
	v := changesView{
		baseView: s.base(c, "What changed: "+describeQuery(q)), Query: describeQuery(q),
		Since: day(ch.Since.BuiltAt), Current: day(ch.Current.BuiltAt),
		New: ch.New, Changed: ch.Changed, Gone: ch.Removed, Truncated: ch.Truncated,
	}
	st := stateOf(q)
	st.page = 1
	v.SearchURL = st.href("/search")
	for _, p := range ch.Pages {
		pv := changedPageView{Title: p.Title}
		if pv.Title == "" {
			pv.Title = "Untitled page"
		}
		if _, ok := linkable(p.PageURL); ok {
			pv.URL = p.PageURL
		}
		for _, x := range p.Changes {
			cv := changedPassageView{Kind: x.Kind, Label: changeLabels[x.Kind], Section: x.Hit.Section, Text: x.Hit.Text}
			if _, ok := linkable(x.Hit.URL); ok && x.Kind != search.ChangeRemoved {
				cv.URL = x.Hit.URL
			}
			if x.Kind == search.ChangeChanged {
				cv.Diff = diffWords(x.Previous, x.Hit.Text)
			}
			pv.Passages = append(pv.Passages, cv)
		}
		v.Pages = append(v.Pages, pv)
	}
	s.render(c, http.StatusOK, "changes.html", v)
}

// changesLink is the results page's link to what changed since the
// generation before the one it shows: its URL and that generation's date.
func (s *Server) changesLink(st state, gen string) (href, since string) {
	prev, ok := s.previousGeneration(gen)
	if !ok {
		return "", ""
	}
	st = st.clone()
	st.page = 1
	href = st.href("/changes")
	sep := "?"
	if strings.Contains(href, "?") {
		sep = "&"
	}
	return href + sep + "since=" + prev.ID, prev.BuiltAt.UTC().Format("2 January 2006")
}

// tombstonesNS is the namespace of Atom tombstones (RFC 6721).
const tombstonesNS = "http://purl.org/atompub/tombstones/1.0"

// tombstones are the at:deleted-entry elements of the passages of q removed
// since the generation before the one that answered (gen): nil when the
// server keeps no earlier one.
func (s *Server) tombstones(ctx context.Context, q search.Query, gen string) ([]byte, error) {
	cf, ok := s.searcher.(ChangeFinder)
	if !ok || gen == "" {
		return nil, nil
	}
	prev, ok := s.previousGeneration(gen)
	if !ok {
		return nil, nil
	}
	q.Generation = gen
	ch, err := cf.Changes(ctx, q, prev.ID)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	when := ch.Current.BuiltAt.UTC().Format(time.RFC3339)
	for _, p := range ch.Pages {
		for _, x := range p.Changes {
			if x.Kind != search.ChangeRemoved {
				continue
			}
			b.WriteString(`  <at:deleted-entry ref="`)
			_ = xml.EscapeText(&b, []byte(passageTagURI(x.Hit.ID)))
			b.WriteString(`" when="` + when + `"><at:comment>`)
			_ = xml.EscapeText(&b, []byte("removed from the source page "+x.Hit.PageURL))
			b.WriteString("</at:comment></at:deleted-entry>\n")
		}
	}
	return b.Bytes(), nil
}

// withTombstones adds the deleted entries to an Atom document.
func withTombstones(feed string, deleted []byte) string {
	if len(deleted) == 0 {
		return feed
	}
	i := strings.Index(feed, "<feed ")
	end := strings.LastIndex(feed, "</feed>")
	if i < 0 || end < 0 {
		return feed
	}
	feed = feed[:end] + string(deleted) + feed[end:]
	return feed[:i] + `<feed xmlns:at="` + tombstonesNS + `" ` + feed[i+len("<feed "):]
}
