package web

import (
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
	// exportCap is the most hits an export holds (the search's result window).
	exportCap = 10000
	// exportPageSize is how many hits each search of an export fetches.
	exportPageSize = 100
	// exportWriteWindow replaces the server's 15 s WriteTimeout for exports,
	// which may need a hundred searches.
	exportWriteWindow = 2 * time.Minute
)

// csvColumns are the columns of the CSV export, in order.
var csvColumns = []string{"id", "url", "title", "section", "organizations", "countries", "regions",
	"topics", "type", "years", "published"}

// exportFormat writes the hits of one export.
type exportFormat interface {
	begin(w io.Writer) error
	hit(w io.Writer, h search.Hit) error
	end(w io.Writer) error
}

func (s *Server) handleExportCSV(c *gin.Context) {
	s.export(c, "csv", "text/csv; charset=utf-8", &csvFormat{})
}

func (s *Server) handleExportJSON(c *gin.Context) {
	s.export(c, "json", "application/json; charset=utf-8", &jsonFormat{})
}

// export streams every hit of the search (up to exportCap), paging through
// the Searcher. Errors before the first byte get the usual error answer;
// later ones abort the connection so that the client sees a broken download
// rather than a silently short one.
func (s *Server) export(c *gin.Context, ext, contentType string, f exportFormat) {
	q, err := s.parseQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q.Page, q.PerPage = 1, min(exportPageSize, s.lim.MaxPerPage)
	q.NoFacets, q.FacetSize = true, 0
	ctx := c.Request.Context()
	res, err := s.runSearch(ctx, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Not all writers support deadlines (httptest); the default then stays.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(exportWriteWindow))
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="inlsearch-export.%s"`, ext))
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)

	w := c.Writer
	seen := make(map[string]bool)
	abort := func(err error) {
		s.logger(c).Warn("export interrupted", slog.Int("rows", len(seen)), slog.Any("error", err))
		panic(http.ErrAbortHandler)
	}
	if err := f.begin(w); err != nil {
		abort(err)
	}
	for {
		for _, h := range res.Hits {
			if seen[h.ID] || len(seen) >= exportCap {
				continue // a re-index between two pages can repeat a hit
			}
			seen[h.ID] = true
			if err := f.hit(w, h); err != nil {
				abort(err)
			}
		}
		w.Flush()
		done := len(res.Hits) < q.PerPage || q.Page*q.PerPage >= res.Total ||
			len(seen) >= exportCap || (q.Page+1)*q.PerPage > s.lim.MaxWindow
		if done {
			break
		}
		q.Page++
		if res, err = s.runSearch(ctx, q); err != nil {
			abort(err)
		}
	}
	if err := f.end(w); err != nil {
		abort(err)
	}
	w.Flush()
}

// csvFormat writes RFC 4180 CSV with a header row.
type csvFormat struct{ cw *csv.Writer }

func (f *csvFormat) begin(w io.Writer) error {
	f.cw = csv.NewWriter(w)
	return f.cw.Write(csvColumns)
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
		joinValues(h.Regions), joinValues(h.Topics), h.Type, strings.Join(years, "; "), published}
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

// neutralizeCell keeps spreadsheets from reading a cell as a formula (CSV
// injection): a cell that starts like one is prefixed with a quote.
func neutralizeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// jsonFormat writes one JSON array, an element at a time.
type jsonFormat struct{ n int }

func (f *jsonFormat) begin(w io.Writer) error {
	_, err := io.WriteString(w, "[")
	return err
}

func (f *jsonFormat) hit(w io.Writer, h search.Hit) error {
	b, err := json.Marshal(hitToJSON(h))
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
