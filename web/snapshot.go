package web

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// Snapshots is implemented by a Searcher that serves generations of a data
// folder (search.Live): every answer names its generation, and gen= answers
// from a kept one.
type Snapshots interface {
	// Current returns the generation served (zero ID when none is).
	Current() search.Generation
	// Generation returns a kept generation's record, or an error wrapping
	// search.ErrGenerationGone (pruned) or search.ErrBadQuery (malformed id).
	Generation(id string) (search.Generation, error)
	// GetAt returns a passage of generation gen ("" the one served); errors
	// as Searcher.Get, and search.ErrGenerationGone.
	GetAt(ctx context.Context, gen, id string) (*search.Document, error)
	// Cite records that generation id was cited, which keeps it for 30 days.
	Cite(id string) error
	// Generations lists the kept generations, newest first.
	Generations() []search.Generation
}

// genKey keeps in a request's gin context the generation its answer was
// read from, for the footer.
const genKey = "inlsearch.generation"

// snapshots returns the Searcher's Snapshots, or nil.
func (s *Server) snapshots() Snapshots {
	sn, _ := s.searcher.(Snapshots)
	return sn
}

// nameGeneration is the middleware that names the served generation in the
// X-Inlsearch-Generation header of every answer; a handler that read another
// one (gen=) names that one instead (answeredFrom).
func (s *Server) nameGeneration(c *gin.Context) {
	if sn := s.snapshots(); sn != nil {
		if id := sn.Current().ID; id != "" {
			c.Header(generationHeader, id)
		}
	}
	c.Next()
}

// answeredFrom names the generation the answer was read from.
func answeredFrom(c *gin.Context, gen string) {
	if gen != "" {
		c.Header(generationHeader, gen)
		c.Set(genKey, gen)
	}
}

// footerGeneration is the generation the page names in its footer, with the
// date it was built.
func (s *Server) footerGeneration(c *gin.Context) (id, built string) {
	sn := s.snapshots()
	if sn == nil {
		return "", ""
	}
	id = c.GetString(genKey)
	var g search.Generation
	if id == "" {
		g = sn.Current()
	} else if gg, err := sn.Generation(id); err == nil {
		g = gg
	}
	if g.ID == "" {
		return id, ""
	}
	return g.ID, g.BuiltAt.UTC().Format("2 January 2006, 15:04 UTC")
}

// withoutGen is the request's path and query without its gen parameter:
// the same request on the generation served now.
func withoutGen(r *http.Request) string {
	v := r.URL.Query()
	v.Del(paramGen)
	if len(v) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + v.Encode()
}

// generationDate is when generation id was built (zero when unknown).
func (s *Server) generationDate(id string) time.Time {
	if sn := s.snapshots(); sn != nil && id != "" {
		if g, err := sn.Generation(id); err == nil {
			return g.BuiltAt
		}
	}
	return time.Time{}
}

// baseURL is the scheme and host the request reached the server at.
func baseURL(r *http.Request) string {
	u := url.URL{Scheme: "http", Host: r.Host}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	return u.String()
}

// keptGenerationJSON is one kept generation in GET /api/v1/generations.
type keptGenerationJSON struct {
	ID       string    `json:"id"`
	BuiltAt  time.Time `json:"built_at"`
	Passages int       `json:"passages"`
	Pages    int       `json:"pages"`
	Current  bool      `json:"current"`
}

// handleAPIKeptGenerations answers (when the server has no replication store) GET /api/v1/generations: the kept
// generations, newest first, each answerable with gen=.
func (s *Server) handleAPIKeptGenerations(c *gin.Context) {
	sn := s.snapshots()
	if sn == nil {
		s.fail(c, &codedError{status: http.StatusNotFound, code: "not_available", msg: "this server keeps no generations"})
		return
	}
	cur := sn.Current().ID
	out := []keptGenerationJSON{}
	for _, g := range sn.Generations() {
		out = append(out, keptGenerationJSON{ID: g.ID, BuiltAt: g.BuiltAt, Passages: g.Passages, Pages: g.Pages, Current: g.ID == cur})
	}
	c.JSON(http.StatusOK, gin.H{"generation": cur, "generations": out})
}
