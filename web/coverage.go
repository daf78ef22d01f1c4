package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// CoverageReporter is implemented by a Searcher that can say what a
// generation covers (search.Live).
type CoverageReporter interface {
	// Coverage returns what generation gen ("" the one served) covers.
	// Errors wrap search.ErrUnavailable, ErrGenerationGone, ErrBadQuery.
	Coverage(ctx context.Context, gen string) (*search.Coverage, error)
}

func (s *Server) coverageOf(c *gin.Context) (*search.Coverage, error) {
	cr, ok := s.searcher.(CoverageReporter)
	if !ok {
		return nil, &codedError{status: http.StatusNotFound, code: "not_available", msg: "this server does not report its coverage"}
	}
	gen, err := genParam(c.Query(paramGen))
	if err != nil {
		return nil, err
	}
	cov, err := cr.Coverage(c.Request.Context(), gen)
	if err == nil {
		answeredFrom(c, cov.Generation.ID)
	}
	return cov, err
}

// handleAPICoverage answers GET /api/v1/coverage[?gen=].
func (s *Server) handleAPICoverage(c *gin.Context) {
	cov, err := s.coverageOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cov)
}

// coverageView is the data of coverage.html.
type coverageView struct {
	baseView
	Built           string
	Pages, Passages int
	Rows            []coverageRow
	Failing         []issueView
	Stale           []issueView
	Removed         []issueView
	Facets          []coverageFacet
}

type coverageRow struct {
	Host                  bool // a host's total row; else one of its sections
	Name                  string
	Pages, Passages       int
	FirstCrawl, LastCrawl string
	Stale, Failing, Gone  int
	Types                 string
}

type issueView struct {
	URL, Link, Reason, Since string
	Status                   int
}

type coverageFacet struct {
	Name, Label string
	Values      []search.FacetValue
}

func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006")
}

func issuesView(is []search.PageIssue) []issueView {
	out := make([]issueView, 0, len(is))
	for _, i := range is {
		v := issueView{URL: i.URL, Reason: i.Reason, Status: i.Status, Since: day(i.Since)}
		if _, ok := linkable(i.URL); ok {
			v.Link = i.URL
		}
		out = append(out, v)
	}
	return out
}

// handleCoveragePage serves GET /coverage: per host and section what the
// index holds and what the crawl could not get.
func (s *Server) handleCoveragePage(c *gin.Context) {
	cov, err := s.coverageOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := coverageView{baseView: s.base(c, "Coverage"), Built: day(cov.Generation.BuiltAt), Pages: cov.Pages, Passages: cov.Passages,
		Failing: issuesView(cov.Failing), Stale: issuesView(cov.Stale), Removed: issuesView(cov.Removed)}
	row := func(host bool, sc search.SourceCoverage) coverageRow {
		r := coverageRow{Host: host, Name: sc.Name, Pages: sc.Pages, Passages: sc.Passages,
			FirstCrawl: day(sc.FirstCrawl), LastCrawl: day(sc.LastCrawl), Stale: sc.Stale, Failing: sc.Failing, Gone: sc.Removed}
		for i, t := range sc.Types {
			if i > 0 {
				r.Types += ", "
			}
			r.Types += t.Value + " (" + strconv.Itoa(t.Count) + ")"
		}
		return r
	}
	for _, h := range cov.Hosts {
		v.Rows = append(v.Rows, row(true, h))
		for _, sec := range h.Sections {
			v.Rows = append(v.Rows, row(false, sec))
		}
	}
	for _, f := range []string{search.FacetType, search.FacetCountry, search.FacetRegion, search.FacetOrganization, search.FacetTopic} {
		if vals := cov.Facets[f]; len(vals) > 0 {
			v.Facets = append(v.Facets, coverageFacet{Name: f, Label: facetLabels[f], Values: vals})
		}
	}
	s.render(c, http.StatusOK, "coverage.html", v)
}
