package web

import (
	"context"
	"errors"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// searchResponse is the answer of GET /api/v1/search.
type searchResponse struct {
	Query       string                         `json:"query"`
	Total       int                            `json:"total"`
	ExactTotal  int                            `json:"exact_total"`
	Relaxed     bool                           `json:"relaxed"`
	TookMS      int64                          `json:"took_ms"`
	Page        int                            `json:"page"`
	PerPage     int                            `json:"per_page"`
	Hits        []hitJSON                      `json:"hits"`
	Facets      map[string][]search.FacetValue `json:"facets"`
	FacetsOther map[string]int                 `json:"facets_other"`
}

// hitJSON is one hit in the API and in the JSON export. Lists are never null.
type hitJSON struct {
	ID            string     `json:"id"`
	URL           string     `json:"url"`
	Title         string     `json:"title"`
	Section       string     `json:"section"`
	Snippet       string     `json:"snippet"`
	Organizations []string   `json:"organizations"`
	Countries     []string   `json:"countries"`
	Regions       []string   `json:"regions"`
	Topics        []string   `json:"topics"`
	Type          string     `json:"type"`
	Years         []int      `json:"years"`
	Published     *time.Time `json:"published"`
	Score         float64    `json:"score"`
	// Partial marks a hit of a relaxed search that lacks one of the words.
	Partial   bool      `json:"partial,omitempty"`
	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
	ChangedAt time.Time `json:"changed_at,omitzero"`
}

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

func hitToJSON(h search.Hit) hitJSON {
	return hitJSON{
		ID: h.ID, URL: h.URL, Title: h.Title, Section: h.Section, Snippet: h.Snippet,
		Organizations: nonNil(h.Organizations), Countries: nonNil(h.Countries),
		Regions: nonNil(h.Regions), Topics: nonNil(h.Topics), Type: h.Type,
		Years: nonNil(h.Years), Published: timePtr(h.Published), Score: h.Score, Partial: h.Partial,
		FirstSeen: h.FirstSeen, LastSeen: h.LastSeen, ChangedAt: h.ChangedAt,
	}
}

func responseOf(q search.Query, res *search.Result) searchResponse {
	out := searchResponse{
		Query:       q.Q,
		Total:       res.Total,
		ExactTotal:  exactTotal(res),
		Relaxed:     res.Relaxed,
		TookMS:      res.Took.Milliseconds(),
		Page:        q.Page,
		PerPage:     q.PerPage,
		Hits:        make([]hitJSON, 0, len(res.Hits)),
		Facets:      make(map[string][]search.FacetValue, len(search.Facets)),
		FacetsOther: make(map[string]int, len(search.Facets)),
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hitToJSON(h))
	}
	for name, vals := range res.Facets {
		out.Facets[name] = nonNil(vals)
	}
	for name, n := range res.FacetOthers {
		out.FacetsOther[name] = n
	}
	for _, name := range search.Facets {
		if out.Facets[name] == nil {
			out.Facets[name] = []search.FacetValue{}
		}
		if _, ok := out.FacetsOther[name]; !ok {
			out.FacetsOther[name] = 0
		}
	}
	return out
}

// exactTotal is the number of passages holding every word: the Result's
// ExactTotal when it relaxed, else its Total (a Searcher that never relaxes
// may leave ExactTotal unset).
func exactTotal(res *search.Result) int {
	if res.Relaxed {
		return res.ExactTotal
	}
	return res.Total
}

func (s *Server) handleAPISearch(c *gin.Context) {
	q, err := s.parseQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.runSearch(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, responseOf(q, res))
}

// runSearch calls the Searcher and refuses a nil result, so that handlers
// never dereference one.
func (s *Server) runSearch(ctx context.Context, q search.Query) (*search.Result, error) {
	res, err := s.searcher.Search(ctx, q)
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
	d, err := s.searcher.Get(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, documentJSON{
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
