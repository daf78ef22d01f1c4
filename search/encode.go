package search

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// hitField is one field of a hit as every writer of hits spells it: the
// API's search answer, the JSON and CSV exports and the CLI. Its name is
// its JSON key and its CSV column. A new Document field is one line here.
type hitField struct {
	name string
	// value is the field of h (generation: the generation h was read from).
	value func(h *Hit, generation string) any
	// export marks a field of exports only, not of a search's hits (which
	// carry the snippet instead of the text).
	export bool
	// omit, when not nil, leaves the field out of JSON for this hit.
	omit func(h *Hit) bool
}

// hitFields are the fields of a hit, in JSON order.
var hitFields = []hitField{
	{name: "id", value: func(h *Hit, _ string) any { return h.ID }},
	{name: "url", value: func(h *Hit, _ string) any { return h.URL }},
	{name: "title", value: func(h *Hit, _ string) any { return h.Title }},
	{name: "section", value: func(h *Hit, _ string) any { return h.Section }},
	{name: "snippet", value: func(h *Hit, _ string) any { return h.Snippet }},
	{name: "organizations", value: func(h *Hit, _ string) any { return nonNil(h.Organizations) }},
	{name: "countries", value: func(h *Hit, _ string) any { return nonNil(h.Countries) }},
	{name: "regions", value: func(h *Hit, _ string) any { return nonNil(h.Regions) }},
	{name: "topics", value: func(h *Hit, _ string) any { return nonNil(h.Topics) }},
	{name: "type", value: func(h *Hit, _ string) any { return h.Type }},
	{name: "years", value: func(h *Hit, _ string) any { return nonNil(h.Years) }},
	{name: "published", value: func(h *Hit, _ string) any { return date(h.Published) }},
	{name: "score", value: func(h *Hit, _ string) any { return h.Score }},
	{name: "partial", value: func(h *Hit, _ string) any { return h.Partial }, omit: func(h *Hit) bool { return !h.Partial }},
	{name: "first_seen", value: func(h *Hit, _ string) any { return h.FirstSeen }, omit: func(h *Hit) bool { return h.FirstSeen.IsZero() }},
	{name: "last_seen", value: func(h *Hit, _ string) any { return h.LastSeen }, omit: func(h *Hit) bool { return h.LastSeen.IsZero() }},
	{name: "changed_at", value: func(h *Hit, _ string) any { return h.ChangedAt }, omit: func(h *Hit) bool { return h.ChangedAt.IsZero() }},
	{name: "page_url", value: func(h *Hit, _ string) any { return h.PageURL }, export: true},
	{name: "generation", value: func(_ *Hit, gen string) any { return gen }, export: true},
	{name: "text", value: func(h *Hit, _ string) any { return h.Text }, export: true},
	{name: "amounts", value: func(h *Hit, _ string) any { return nonNil(h.Amounts) }, export: true},
	// Last, so that the CSV columns before them keep their places.
	{name: "more_passages", value: func(h *Hit, _ string) any { return grouped(h, h.MorePassages) }, omit: func(h *Hit) bool { return !h.Grouped }},
	{name: "more_sections", value: func(h *Hit, _ string) any { return grouped(h, nonNil(h.MoreSections)) }, omit: func(h *Hit) bool { return !h.Grouped }},
}

// csvLead are the first CSV columns, in the order exports have always had
// them (spreadsheets and scripts read them by position); every other field
// of hitFields but the HTML snippet follows, in its order.
var csvLead = []string{"id", "url", "title", "section", "organizations", "countries", "regions",
	"topics", "type", "years", "published", "page_url", "first_seen", "changed_at", "last_seen", "generation",
	"partial"}

// CSVColumns are the columns of a CSV of hits, in order.
var CSVColumns = func() []string {
	cols := slices.Clone(csvLead)
	for _, f := range hitFields {
		if f.name != "snippet" && !slices.Contains(cols, f.name) {
			cols = append(cols, f.name)
		}
	}
	return cols
}()

// csvFields are hitFields in the order of CSVColumns.
var csvFields = func() []hitField {
	out := make([]hitField, len(CSVColumns))
	for i, c := range CSVColumns {
		out[i] = hitFields[slices.IndexFunc(hitFields, func(f hitField) bool { return f.name == c })]
	}
	return out
}()

// date is a publication date: null in JSON when unknown, a day in CSV.
type date time.Time

// MarshalJSON implements json.Marshaler.
func (d date) MarshalJSON() ([]byte, error) {
	if time.Time(d).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(d))
}

// grouped is v for a hit of a search grouped by page, else nil (an empty
// CSV cell).
func grouped(h *Hit, v any) any {
	if !h.Grouped {
		return nil
	}
	return v
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// appendHitJSON appends the JSON object of h: a search's hit, or with
// export the hit of an export (its text, amounts and provenance too).
func appendHitJSON(b []byte, h *Hit, generation string, export bool) ([]byte, error) {
	b = append(b, '{')
	n := 0
	for _, f := range hitFields {
		if (f.export && !export) || (f.omit != nil && f.omit(h)) {
			continue
		}
		v, err := json.Marshal(f.value(h, generation))
		if err != nil {
			return nil, fmt.Errorf("encode hit %s: %s: %w", h.ID, f.name, err)
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = strconv.AppendQuote(b, f.name)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// MarshalJSON writes a hit as the API's search answer holds it: lists are
// never null, an unknown publication date is null, partial and the crawl
// times are left out when unset.
func (h Hit) MarshalJSON() ([]byte, error) {
	return appendHitJSON(nil, &h, "", false)
}

// ExportJSON is the JSON object of a hit in an export: the search's hit
// (see Hit.MarshalJSON) with its page_url, the generation it was read from,
// the passage's full text and its amounts.
func ExportJSON(h Hit, generation string) ([]byte, error) {
	return appendHitJSON(nil, &h, generation, true)
}

// MarshalJSON writes a result as GET /api/v1/search answers it: every facet
// is listed (an empty list, 0 others, when it has no value).
func (r Result) MarshalJSON() ([]byte, error) {
	exact := r.Total // a result that did not relax: every hit holds every word
	if r.Relaxed {
		exact = r.ExactTotal
	}
	facets := make(map[string][]FacetValue, len(Facets))
	others := make(map[string]int, len(Facets))
	for _, f := range Facets {
		facets[f], others[f] = nonNil(r.Facets[f]), r.FacetOthers[f]
	}
	for f, vals := range r.Facets {
		facets[f] = nonNil(vals)
	}
	for f, n := range r.FacetOthers {
		others[f] = n
	}
	group, totalPages := r.Group, (*int)(nil)
	if group == "" {
		group = GroupPassage
	}
	if group == GroupPage {
		totalPages = &r.TotalPages
	}
	return json.Marshal(struct {
		Query       string                  `json:"query"`
		Total       int                     `json:"total"`
		ExactTotal  int                     `json:"exact_total"`
		Relaxed     bool                    `json:"relaxed"`
		TookMS      int64                   `json:"took_ms"`
		Page        int                     `json:"page"`
		PerPage     int                     `json:"per_page"`
		Hits        []Hit                   `json:"hits"`
		Facets      map[string][]FacetValue `json:"facets"`
		FacetsOther map[string]int          `json:"facets_other"`
		Group       string                  `json:"group"`
		TotalPages  *int                    `json:"total_pages,omitempty"`
		Generation  string                  `json:"generation"`
	}{r.Query, r.Total, exact, r.Relaxed, r.Took.Milliseconds(), r.Page, r.PerPage, nonNil(r.Hits), facets, others, group, totalPages, r.Generation})
}

// CSVWriter writes hits as CSV (RFC 4180) with a header row of CSVColumns,
// one row a hit, for the exports and the CLI. A cell that a spreadsheet
// would read as a formula is prefixed with a quote (CSV injection).
type CSVWriter struct {
	cw         *csv.Writer
	generation string
}

// NewCSVWriter returns a CSVWriter to w of hits read from generation ("":
// unknown); it writes the header row at once.
func NewCSVWriter(w io.Writer, generation string) (*CSVWriter, error) {
	c := &CSVWriter{cw: csv.NewWriter(w), generation: generation}
	if err := c.cw.Write(CSVColumns); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return c, c.Flush()
}

// Write writes the row of h; it buffers (Flush).
func (c *CSVWriter) Write(h Hit) error {
	row := make([]string, len(csvFields))
	for i, f := range csvFields {
		row[i] = NeutralizeCell(cell(f.value(&h, c.generation)))
	}
	if err := c.cw.Write(row); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// Flush writes the rows buffered and reports any error of the writes.
func (c *CSVWriter) Flush() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// cell is a field's value as a CSV cell: lists joined with "; ", times in
// RFC 3339 (UTC), a publication date as a day, "" for what is unset.
func cell(v any) string {
	join := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, "; ")
	}
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []string:
		return strings.Join(v, "; ")
	case []int:
		return join(len(v), func(i int) string { return strconv.Itoa(v[i]) })
	case []float64:
		return join(len(v), func(i int) string { return strconv.FormatFloat(v[i], 'f', -1, 64) })
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case date:
		if time.Time(v).IsZero() {
			return ""
		}
		return time.Time(v).Format(time.DateOnly)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// NeutralizeCell keeps spreadsheets from reading a cell as a formula (CSV
// injection): a cell that starts like one is prefixed with a quote.
func NeutralizeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
