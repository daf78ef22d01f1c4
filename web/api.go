package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// documentJSON is the answer of GET /api/v1/documents/:id.
type documentJSON struct {
	ID            string              `json:"id"`
	URL           string              `json:"url"`
	PageURL       string              `json:"page_url"`
	Title         string              `json:"title"`
	Section       string              `json:"section"`
	Text          string              `json:"text"`
	Organizations []string            `json:"organizations"`
	Countries     []string            `json:"countries"`
	Regions       []string            `json:"regions"`
	Topics        []string            `json:"topics"`
	Type          string              `json:"type"`
	Years         []int               `json:"years"`
	Amounts       []float64           `json:"amounts"`
	Provenance    map[string][]string `json:"provenance"`
	// Evidence maps facet → value → the sentence or heading that decided the tag.
	Evidence map[string]map[string]string `json:"evidence"`
	// FoundOrganizations are the organizations (by acronym) that are not in
	// the taxonomy, found from the page's own definitions.
	FoundOrganizations []string   `json:"found_organizations"`
	Published          *time.Time `json:"published"`
	FirstSeen          time.Time  `json:"first_seen,omitzero"`
	LastSeen           time.Time  `json:"last_seen,omitzero"`
	ChangedAt          time.Time  `json:"changed_at,omitzero"`
	Truncated          bool       `json:"truncated"`
	Generation         string     `json:"generation,omitempty"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Server) handleAPISearch(c *gin.Context) {
	pl := plannedOf(c)
	res, err := s.run(c.Request.Context(), pl)
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredFrom(c, res.Generation)
	c.JSON(http.StatusOK, res) // search.Result is written as the API answers
}

// run answers a planned search; it refuses a nil result, so that handlers
// never dereference one.
func (s *Server) run(ctx context.Context, pl planned) (*search.Result, error) {
	switch {
	case pl.paramErr != nil:
		return nil, pl.paramErr
	case pl.err != nil:
		return nil, pl.err
	}
	start := time.Now()
	res, err := s.searcher.SearchPlan(ctx, pl.p)
	if s.cfg.ObserveSearch != nil && err == nil {
		s.cfg.ObserveSearch(searchKind(pl.p.Query()), time.Since(start))
	}
	if err == nil && res == nil {
		return nil, errors.New("search returned no result")
	}
	return res, err
}

// maxIDBytes bounds a document id; longer ones cannot exist.
const maxIDBytes = 512

func (s *Server) handleAPIDocument(c *gin.Context) {
	id := c.Param("id")
	if id == "" || len(id) > maxIDBytes || !utf8.ValidString(id) {
		s.fail(c, search.ErrNotFound)
		return
	}
	gen, err := genParam(c.Query(paramGen))
	if err != nil {
		s.fail(c, err)
		return
	}
	var d *search.Document
	sn := s.snapshots()
	switch {
	case sn != nil:
		if gen == "" {
			gen = sn.Current().ID
		}
		d, err = sn.GetAt(c.Request.Context(), gen, id)
	case gen != "":
		err = badParam("this server keeps no generations: gen is not available")
	default:
		d, err = s.searcher.Get(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredFrom(c, gen)
	c.JSON(http.StatusOK, documentJSON{Generation: gen,
		ID: d.ID, URL: d.URL, PageURL: d.PageURL, Title: d.Title, Section: d.Section, Text: d.Text,
		Organizations: nonNil(d.Organizations), Countries: nonNil(d.Countries),
		Regions: nonNil(d.Regions), Topics: nonNil(d.Topics), Type: d.Type,
		Years: nonNil(d.Years), Amounts: nonNil(d.Amounts), Provenance: nonNilMap(d.Provenance),
		Evidence: evidenceByFacet(d.Evidence), FoundOrganizations: nonNil(d.FoundOrganizations),
		Published: timePtr(d.Published), FirstSeen: d.FirstSeen, LastSeen: d.LastSeen,
		ChangedAt: d.ChangedAt, Truncated: d.Truncated,
	})
}

func nonNilMap(m map[string][]string) map[string][]string {
	if m == nil {
		return map[string][]string{}
	}
	return m
}

// searchKind tells a plain search from a faceted one (a facet filter or a
// year bound), for ObserveSearch.
func searchKind(q search.Query) string {
	for _, v := range q.Filters {
		if len(v) > 0 {
			return SearchFaceted
		}
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		return SearchFaceted
	}
	return SearchPlain
}

// handleMetrics serves the metrics handler, to loopback peers only unless
// the server was told they are public (the peer, not a forwarded address:
// behind a proxy every scrape comes from the proxy).
func (s *Server) handleMetrics(c *gin.Context) {
	if !s.cfg.MetricsPublic {
		host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
		ip, perr := netip.ParseAddr(host)
		if err != nil || perr != nil || !ip.Unmap().IsLoopback() {
			s.fail(c, errRouteNotFound)
			return
		}
	}
	s.cfg.Metrics.ServeHTTP(c.Writer, c.Request)
}
