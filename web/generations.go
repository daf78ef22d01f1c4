package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// GenerationStore is the data folder's generations as replicas copy them
// (search.Store): GET /api/v1/generations lists them with their manifests,
// GET /api/v1/generations/{id}/files/{path} serves one file of a manifest.
type GenerationStore interface {
	// Pointer returns the current and previous generation ids, or an error
	// wrapping search.ErrNoGeneration when nothing is published.
	Pointer() (current, previous string, err error)
	// CompleteIDs lists the complete generations of the folder.
	CompleteIDs() []string
	// Info returns the record of a complete generation.
	Info(id string) (search.Generation, error)
	// Manifest returns the files of a complete generation with their sizes
	// and checksums, kept since its publication (never hashed per request).
	// Errors wrap search.ErrBadGeneration or search.ErrNotFound.
	Manifest(id string) (search.Manifest, error)
	// OpenFile opens a file listed in the manifest of generation id; a path
	// not listed is search.ErrNotFound.
	OpenFile(id, path string) (*os.File, search.ManifestFile, error)
}

const (
	// defaultMaxDownloads caps the generation files served at once, so that
	// replicas catching up cannot take the machine from searches.
	defaultMaxDownloads = 4
	// downloadStallWindow replaces the server's WriteTimeout for a file:
	// each write must reach the client within it (the deadline moves at
	// each write), however long the whole file takes.
	downloadStallWindow = time.Minute
)

var errTooManyDownloads = &codedError{status: http.StatusServiceUnavailable, code: "overloaded",
	msg: "too many generation files are being downloaded; retry in a second"}

// generationJSON is one generation of GET /api/v1/generations.
type generationJSON struct {
	search.Generation
	Current bool                  `json:"current"`
	Bytes   int64                 `json:"bytes"`
	Files   []search.ManifestFile `json:"files"`
}

// generationsJSON is the answer of GET /api/v1/generations.
type generationsJSON struct {
	Current     string           `json:"current"`
	Previous    string           `json:"previous,omitempty"`
	Generations []generationJSON `json:"generations"`
}

// replication guards the replication routes with the replication token when
// one is set (the admin rules: bearer header only, failures rate-limited).
func (s *Server) replication(c *gin.Context) {
	if s.cfg.ReplicationToken == "" {
		c.Next()
		return
	}
	ip := c.ClientIP()
	if !s.failures.allow(ip, s.now()) {
		s.fail(c, errTooManyAttempts)
		return
	}
	q := c.Request.URL.Query()
	tok, ok := bearer(c.Request.Header.Get("Authorization"))
	given := sha256.Sum256([]byte(tok))
	want := sha256.Sum256([]byte(s.cfg.ReplicationToken))
	if q.Has("token") || q.Has("access_token") || !ok || subtle.ConstantTimeCompare(given[:], want[:]) != 1 {
		s.failures.record(ip, s.now())
		s.fail(c, errUnauthorized)
		return
	}
	c.Next()
}

func (s *Server) handleAPIGenerations(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	st := s.cfg.Generations
	out := generationsJSON{Generations: []generationJSON{}}
	cur, prev, err := st.Pointer()
	switch {
	case errors.Is(err, search.ErrNoGeneration):
		c.JSON(http.StatusOK, out)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	out.Current, out.Previous = cur, prev
	for _, id := range st.CompleteIDs() {
		g, err := st.Info(id)
		if err == nil {
			g.ID = id
		}
		var m search.Manifest
		if err == nil {
			m, err = st.Manifest(id)
		}
		if err != nil {
			if id == cur {
				s.fail(c, err)
				return
			}
			// pruned meanwhile, or unreadable: not offered
			s.logger(c).Warn("generation not listed", "generation", id, "error", err)
			continue
		}
		out.Generations = append(out.Generations, generationJSON{Generation: g, Current: id == cur, Bytes: m.Bytes(), Files: m.Files})
	}
	slices.SortFunc(out.Generations, func(a, b generationJSON) int {
		if c := b.BuiltAt.Compare(a.BuiltAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	c.JSON(http.StatusOK, out)
}

// handleGenerationFile serves one file of a generation's manifest, with
// Range and If-Range (a replica resumes a download), its checksum as ETag.
func (s *Server) handleGenerationFile(c *gin.Context) {
	id := c.Param("id")
	path := strings.TrimPrefix(c.Param("path"), "/")
	f, mf, err := s.cfg.Generations.OpenFile(id, path)
	switch {
	case errors.Is(err, search.ErrBadGeneration):
		s.fail(c, badParam("id is not a generation id"))
		return
	case errors.Is(err, search.ErrNotFound):
		s.fail(c, &codedError{status: http.StatusNotFound, code: "not_found",
			msg: "no file of that path in a generation of that id", base: search.ErrNotFound})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	defer f.Close()
	select {
	case s.downloads <- struct{}{}:
		defer func() { <-s.downloads }()
	default:
		s.fail(c, errTooManyDownloads)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+mf.SHA256+`"`)
	h.Set("Cache-Control", "private, max-age=86400, immutable") // a published generation never changes
	w := &stallWriter{ResponseWriter: c.Writer, rc: http.NewResponseController(c.Writer)}
	http.ServeContent(w, c.Request, "", time.Time{}, f)
}

// stallWriter moves the connection's write deadline before each write, so
// that a large file is bounded by its progress rather than by the server's
// WriteTimeout.
type stallWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (w *stallWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(downloadStallWindow))
	return w.ResponseWriter.Write(p)
}
