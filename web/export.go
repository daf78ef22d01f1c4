package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

const (
	// exportStallWindow replaces the server's 15 s WriteTimeout for
	// exports: what is written between two flushes must reach the client
	// within it (the deadline moves at each flush).
	exportStallWindow = time.Minute
	// exportMaxDuration bounds a whole export.
	exportMaxDuration = 10 * time.Minute
	// exportFlushEvery is how many hits are written between two flushes.
	exportFlushEvery = 256
	// generationHeader names the generation an export was read from.
	generationHeader = "X-Inlsearch-Generation"
)

// exportFormat writes the hits of one export.
type exportFormat interface {
	// begin writes the head; generation is the generation id ("" unknown).
	begin(w io.Writer, generation string) error
	hit(w io.Writer, h search.Hit) error
	end(w io.Writer) error
}

func (s *Server) handleExportCSV(c *gin.Context) {
	s.export(c, "csv", "text/csv; charset=utf-8", &csvFormat{})
}

func (s *Server) handleExportJSON(c *gin.Context) {
	s.export(c, "json", "application/json; charset=utf-8", &jsonFormat{})
}

// exportWriter is the response of one export: it writes the headers at
// start, flushes every exportFlushEvery hits and moves the write deadline
// at each flush. Errors before start get the usual error answer; later ones
// abort the connection (http.ErrAbortHandler) so that the client sees a
// broken download rather than a silently short one.
type exportWriter struct {
	s          *Server
	c          *gin.Context
	ext, ctype string
	f          exportFormat
	rc         *http.ResponseController
	deadline   time.Time // of the whole export
	started    bool
	rows       int
}

func (e *exportWriter) start(generation string) error {
	e.started = true
	e.moveDeadline()
	e.c.Header("Content-Type", e.ctype)
	e.c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="inlsearch-export.%s"`, e.ext))
	e.c.Header("Cache-Control", "no-store")
	if generation != "" {
		e.c.Header(generationHeader, generation)
	}
	e.c.Status(http.StatusOK)
	if err := e.f.begin(e.c.Writer, generation); err != nil {
		return err
	}
	e.c.Writer.Flush() // the status and headers go out at once
	return nil
}

func (e *exportWriter) hit(h search.Hit) error {
	if err := e.f.hit(e.c.Writer, h); err != nil {
		return err
	}
	if e.rows++; e.rows%exportFlushEvery == 0 {
		e.flush()
	}
	return nil
}

func (e *exportWriter) flush() {
	e.c.Writer.Flush()
	e.moveDeadline()
}

// moveDeadline gives the next writes exportStallWindow, within the
// export's own deadline. Not all writers support deadlines (httptest); the
// server's then stays.
func (e *exportWriter) moveDeadline() {
	d := time.Now().Add(exportStallWindow)
	if d.After(e.deadline) {
		d = e.deadline
	}
	_ = e.rc.SetWriteDeadline(d)
}

// finish ends the export: the tail on success, else the error answer
// before the first byte or a broken connection after it.
func (e *exportWriter) finish(err error) {
	if err == nil {
		err = e.f.end(e.c.Writer)
	}
	if err == nil {
		e.c.Writer.Flush()
		return
	}
	if !e.started {
		e.s.fail(e.c, err)
		return
	}
	e.s.logger(e.c).Warn("export interrupted", slog.Int("rows", e.rows), slog.Any("error", err))
	panic(http.ErrAbortHandler)
}

// export streams every hit of the search, from the generation its plan
// holds.
func (s *Server) export(c *gin.Context, ext, contentType string, f exportFormat) {
	pl := plannedOf(c)
	switch {
	case pl.paramErr != nil:
		s.fail(c, pl.paramErr)
		return
	case pl.err != nil:
		s.fail(c, pl.err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), exportMaxDuration)
	defer cancel()
	e := &exportWriter{s: s, c: c, ext: ext, ctype: contentType, f: f,
		rc: http.NewResponseController(c.Writer), deadline: time.Now().Add(exportMaxDuration)}
	start := time.Now()
	_, err := s.searcher.ExportPlan(ctx, pl.p, func(info search.ExportInfo) error { return e.start(info.Generation) }, e.hit)
	if s.cfg.ObserveSearch != nil && err == nil {
		s.cfg.ObserveSearch(SearchExport, time.Since(start))
	}
	e.finish(err)
}

// csvFormat writes the CSV of hits every writer of hits shares
// (search.CSVWriter).
type csvFormat struct{ cw *search.CSVWriter }

func (f *csvFormat) begin(w io.Writer, generation string) (err error) {
	f.cw, err = search.NewCSVWriter(w, generation)
	return err
}

func (f *csvFormat) hit(_ io.Writer, h search.Hit) error {
	if err := f.cw.Write(h); err != nil {
		return err
	}
	return f.cw.Flush()
}

func (f *csvFormat) end(io.Writer) error { return f.cw.Flush() }

// jsonFormat writes one JSON array, an element (search.ExportJSON) at a time.
type jsonFormat struct {
	n          int
	generation string
}

func (f *jsonFormat) begin(w io.Writer, generation string) error {
	f.generation = generation
	_, err := io.WriteString(w, "[")
	return err
}

func (f *jsonFormat) hit(w io.Writer, h search.Hit) error {
	b, err := search.ExportJSON(h, f.generation)
	if err != nil {
		return err
	}
	sep := ",\n"
	if f.n == 0 {
		sep = "\n"
	}
	f.n++
	if _, err := io.WriteString(w, sep); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (f *jsonFormat) end(w io.Writer) error {
	_, err := io.WriteString(w, "\n]\n")
	return err
}
