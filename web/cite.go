package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// citePublisher is the author and publisher a citation names.
const citePublisher = "INL program search"

// citation is a search pinned to its generation, as GET /api/v1/cite
// answers it and the "Cite this search" box of the results page shows it.
type citation struct {
	URL            string    `json:"url"` // the permalink: the search with gen
	Generation     string    `json:"generation"`
	GenerationDate time.Time `json:"generation_date,omitzero"`
	Query          string    `json:"query"` // the search in words
	Total          int       `json:"total"`
	Accessed       time.Time `json:"accessed"`
	Text           string    `json:"text"`
	BibTeX         string    `json:"bibtex"`
	CSL            []cslItem `json:"csl"`
}

// cslItem is one CSL-JSON item (citationstyles.org csl-data.json).
type cslItem struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Title     string    `json:"title"`
	Author    []cslName `json:"author"`
	Publisher string    `json:"publisher"`
	Issued    *cslDate  `json:"issued,omitempty"`
	Accessed  cslDate   `json:"accessed"`
	URL       string    `json:"URL"`
	Version   string    `json:"version,omitempty"`
	Note      string    `json:"note"`
}

type cslName struct {
	Literal string `json:"literal"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

func cslDateOf(t time.Time) cslDate {
	t = t.UTC()
	return cslDate{DateParts: [][]int{{t.Year(), int(t.Month()), t.Day()}}}
}

// citationOf cites the result of q: its permalink pins the generation that
// answered it.
func (s *Server) citationOf(r *http.Request, q search.Query, res *search.Result) citation {
	st := stateOf(q)
	st.page, st.perPage, st.facetSize = 1, 0, 0
	if q.Group != search.GroupPage {
		st.group = search.GroupPassage // the API's default; the HTML page groups by page unless told
	}
	if res.Generation != "" {
		st.gen = res.Generation
	}
	c := citation{
		URL: baseURL(r) + st.href("/search"), Generation: st.gen, GenerationDate: s.generationDate(st.gen),
		Query: describeQuery(q), Total: res.Total, Accessed: s.now().UTC(),
	}
	title := citePublisher + ": " + c.Query
	note := fmt.Sprintf("%d passages", c.Total)
	if c.Generation != "" {
		note = fmt.Sprintf("Index generation %s; %s", c.Generation, note)
	}
	built := ""
	if !c.GenerationDate.IsZero() {
		built = ", built " + c.GenerationDate.UTC().Format(time.DateOnly)
	}
	c.Text = fmt.Sprintf("%s. %s%s. %s. Accessed %s.", title, note, built, c.URL, c.Accessed.Format(time.DateOnly))
	sum := sha256.Sum256([]byte(c.URL))
	key := "inlsearch-" + hex.EncodeToString(sum[:4])
	item := cslItem{ID: key, Type: "dataset", Title: title, Author: []cslName{{Literal: citePublisher}},
		Publisher: citePublisher, Accessed: cslDateOf(c.Accessed), URL: c.URL, Version: c.Generation, Note: note}
	year := c.Accessed
	if !c.GenerationDate.IsZero() {
		d := cslDateOf(c.GenerationDate)
		item.Issued = &d
		year = c.GenerationDate
	}
	c.CSL = []cslItem{item}
	var b strings.Builder
	fmt.Fprintf(&b, "@misc{%s,\n", key)
	fmt.Fprintf(&b, "  title = {{%s}},\n", bibEscape(title))
	fmt.Fprintf(&b, "  author = {{%s}},\n", citePublisher)
	fmt.Fprintf(&b, "  year = {%d},\n", year.UTC().Year())
	fmt.Fprintf(&b, "  howpublished = {\\url{%s}},\n", bibURL(c.URL))
	fmt.Fprintf(&b, "  note = {%s%s},\n", bibEscape(note), bibEscape(built))
	fmt.Fprintf(&b, "  urldate = {%s}\n}\n", c.Accessed.Format(time.DateOnly))
	c.BibTeX = b.String()
	return c
}

// bibEscape escapes the characters TeX treats specially.
func bibEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '%', '&', '$', '#', '_':
			b.WriteRune('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// bibURL keeps a URL inside \url{}: braces and backslashes percent-encoded,
// % escaped.
func bibURL(u string) string {
	return strings.NewReplacer("{", "%7B", "}", "%7D", `\`, "%5C", "%", `\%`).Replace(u)
}

// handleAPICite answers GET /api/v1/cite with the search's parameters: the
// citation of that search (JSON), or with format=bibtex, csl or text that
// form alone. The generation cited is kept for 30 days.
func (s *Server) handleAPICite(c *gin.Context) {
	pl := plannedOf(c)
	format := c.Query("format")
	switch format {
	case "", "json", "bibtex", "csl", "text":
	default:
		s.fail(c, badParam("format must be one of json, bibtex, csl, text, got %s", shown(format)))
		return
	}
	res, err := s.run(c.Request.Context(), pl)
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredFrom(c, res.Generation)
	if sn := s.snapshots(); sn != nil && res.Generation != "" {
		if err := sn.Cite(res.Generation); err != nil {
			s.fail(c, err)
			return
		}
	}
	ci := s.citationOf(c.Request, pl.q, res)
	switch format {
	case "bibtex":
		c.Data(http.StatusOK, "application/x-bibtex; charset=utf-8", []byte(ci.BibTeX))
	case "text":
		c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(ci.Text+"\n"))
	case "csl":
		body, err := json.Marshal(ci.CSL)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/vnd.citationstyles.csl+json", body)
	default:
		c.JSON(http.StatusOK, ci)
	}
}

// citeView is the "Cite this search" box of the results page.
type citeView struct {
	URL, Date, Query, Text string
	Total                  int
	BibTeXURL, CSLURL      string
}

func (s *Server) citeViewOf(c *gin.Context, q search.Query, res *search.Result) *citeView {
	if res.Generation == "" {
		return nil // not served from a data folder: nothing to pin
	}
	ci := s.citationOf(c.Request, q, res)
	st := stateOf(q)
	st.page, st.perPage, st.facetSize, st.gen = 1, 0, 0, res.Generation
	v := &citeView{URL: ci.URL, Query: ci.Query, Text: ci.Text, Total: ci.Total}
	if !ci.GenerationDate.IsZero() {
		v.Date = ci.GenerationDate.UTC().Format("2 January 2006")
	}
	withFormat := func(f string) string {
		h := st.href("/api/v1/cite")
		if strings.Contains(h, "?") {
			return h + "&format=" + f
		}
		return h + "?format=" + f
	}
	v.BibTeXURL, v.CSLURL = withFormat("bibtex"), withFormat("csl")
	return v
}
