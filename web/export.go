package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
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

// csvColumns are the columns of the CSV export, in order: the provenance
// columns, then partial ("true" for a hit of a relaxed search that lacks
// one of the words, else "false").
var csvColumns = []string{"id", "url", "title", "section", "organizations", "countries", "regions",
	"topics", "type", "years", "published", "page_url", "first_seen", "changed_at", "last_seen", "generation",
	"partial"}

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
	_, err := s.searcher.ExportPlan(ctx, pl.p, func(info search.ExportInfo) error { return e.start(info.Generation) }, e.hit)
	e.finish(err)
}

// csvFormat writes RFC 4180 CSV with a header row.
type csvFormat struct {
	cw         *csv.Writer
	generation string
}

func (f *csvFormat) begin(w io.Writer, generation string) error {
	f.cw, f.generation = csv.NewWriter(w), generation
	if err := f.cw.Write(csvColumns); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	f.cw.Flush()
	return f.cw.Error()
}

func (f *csvFormat) hit(_ io.Writer, h search.Hit) error {
	years := make([]string, len(h.Years))
	for i, y := range h.Years {
		years[i] = strconv.Itoa(y)
	}
	published := ""
	if !h.Published.IsZero() {
		published = h.Published.Format(time.DateOnly)
	}
	row := []string{h.ID, h.URL, h.Title, h.Section, joinValues(h.Organizations), joinValues(h.Countries),
		joinValues(h.Regions), joinValues(h.Topics), h.Type, strings.Join(years, "; "), published,
		h.PageURL, timestamp(h.FirstSeen), timestamp(h.ChangedAt), timestamp(h.LastSeen), f.generation,
		strconv.FormatBool(h.Partial)}
	for i := range row {
		row[i] = neutralizeCell(row[i])
	}
	if err := f.cw.Write(row); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	f.cw.Flush()
	return f.cw.Error()
}

func (f *csvFormat) end(io.Writer) error {
	f.cw.Flush()
	return f.cw.Error()
}

func joinValues(vals []string) string { return strings.Join(vals, "; ") }

// timestamp formats a crawl time in RFC 3339, UTC; "" when unknown.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// neutralizeCell keeps spreadsheets from reading a cell as a formula (CSV
// injection): a cell that starts like one is prefixed with a quote.
func neutralizeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// jsonFormat writes one JSON array, an element at a time.
type jsonFormat struct {
	n          int
	generation string
}

// exportHitJSON is a hit of the JSON export: the API's hit and its
// provenance.
type exportHitJSON struct {
	hitJSON
	PageURL    string `json:"page_url"`
	Generation string `json:"generation"`
}

func (f *jsonFormat) begin(w io.Writer, generation string) error {
	f.generation = generation
	_, err := io.WriteString(w, "[")
	return err
}

func (f *jsonFormat) hit(w io.Writer, h search.Hit) error {
	b, err := json.Marshal(exportHitJSON{hitJSON: hitToJSON(h), PageURL: h.PageURL, Generation: f.generation})
	if err != nil {
		return fmt.Errorf("encode hit: %w", err)
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
