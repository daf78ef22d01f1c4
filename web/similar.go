package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// SimilarFinder is implemented by a Searcher that finds passages like a
// given one (search.Live).
type SimilarFinder interface {
	// Similar returns the passages of generation gen ("" the one served)
	// most like passage id, as a search result. Errors wrap
	// search.ErrNotFound, ErrBadPagination, ErrGenerationGone, ErrTimeout.
	Similar(ctx context.Context, gen, id string, opt search.SimilarOptions) (*search.Result, error)
}

// similarPath is the HTML page of the passages like passage id.
func similarPath(id, gen string) string {
	p := "/passages/" + url.PathEscape(id) + "/similar"
	if gen != "" {
		p += "?gen=" + url.QueryEscape(gen)
	}
	return p
}

// similarRequest reads the id, size, same_page and gen of a similar request
// and runs it.
func (s *Server) similar(c *gin.Context) (string, bool, *search.Result, error) {
	id := c.Param("id")
	if id == "" || len(id) > maxIDBytes || !utf8.ValidString(id) {
		return id, false, nil, search.ErrNotFound
	}
	sf, ok := s.searcher.(SimilarFinder)
	if !ok {
		return id, false, nil, &codedError{status: http.StatusNotFound, code: "not_available", msg: "this server does not find similar passages"}
	}
	opt := search.SimilarOptions{Size: 10}
	v := c.Request.URL.Query()
	size, err := intParam(v, "size", 1, search.MaxSimilarSize, badPagination)
	if err != nil {
		return id, false, nil, err
	}
	if size != 0 {
		opt.Size = size
	}
	switch sp := v.Get("same_page"); sp {
	case "", "false", "0":
	case "true", "1":
		opt.SamePage = true
	default:
		return id, false, nil, badParam("same_page must be true or false, got %s", shown(sp))
	}
	gen, err := genParam(v.Get(paramGen))
	if err != nil {
		return id, false, nil, err
	}
	res, err := sf.Similar(c.Request.Context(), gen, id, opt)
	if err == nil {
		answeredFrom(c, res.Generation)
	}
	return id, opt.SamePage, res, err
}

// handleAPISimilar answers GET /api/v1/documents/:id/similar?size=&same_page=&gen=
// like a search: {"hits": [...]} with the search's hit shape.
func (s *Server) handleAPISimilar(c *gin.Context) {
	_, _, res, err := s.similar(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// similarView is the data of similar.html.
type similarView struct {
	baseView
	Of         *search.Document
	OfURL      string
	Hits       []hitView
	SamePage   bool
	ToggleURL  string
	PassageURL string
}

// handleSimilarPage serves GET /passages/:id/similar: the passages like it.
func (s *Server) handleSimilarPage(c *gin.Context) {
	id, same, res, err := s.similar(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var of *search.Document
	if sn := s.snapshots(); sn != nil {
		of, err = sn.GetAt(c.Request.Context(), res.Generation, id)
	} else {
		of, err = s.searcher.Get(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	title := of.Title
	if title == "" {
		title = "Untitled page"
	}
	v := similarView{baseView: s.base(c, "Passages like "+title), Of: of, SamePage: same,
		PassageURL: "/passages/" + url.PathEscape(id)}
	if _, ok := linkable(of.URL); ok {
		v.OfURL = of.URL
	}
	st := stateOf(search.Query{Generation: c.Query(paramGen)})
	for _, h := range res.Hits {
		v.Hits = append(v.Hits, hitViewOf(h, st))
	}
	toggle := similarPath(id, c.Query(paramGen))
	sep := "?"
	if c.Query(paramGen) != "" {
		sep = "&"
	}
	if !same {
		toggle += sep + "same_page=" + strconv.FormatBool(true)
	}
	v.ToggleURL = toggle
	s.render(c, http.StatusOK, "similar.html", v)
}
