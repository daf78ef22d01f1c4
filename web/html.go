package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// baseView is what the layout needs on every page.
type baseView struct {
	Title     string
	Version   string
	RequestID string
	FeedURL   string
	// Generation and GenerationBuilt name the index generation the page was
	// read from (footer).
	Generation, GenerationBuilt string
}

func (s *Server) base(c *gin.Context, title string) baseView {
	v := baseView{Title: title, Version: s.cfg.Version, RequestID: requestIDOf(c)}
	v.Generation, v.GenerationBuilt = s.footerGeneration(c)
	return v
}

// searchView is the data of search.html.
type searchView struct {
	baseView
	Q            string
	Browse       bool
	Notice       string
	Match        matchView
	Total        int
	TookMS       int64
	First, Last  int
	Hits         []hitView
	Facets       []facetView
	Active       []chipView
	Sorts        []chipView
	Pager        pagerView
	SearchHidden []field
	FilterHidden []field
	YearFrom     string
	YearTo       string
	ExportCSV    string
	ExportJSON   string
	ClearFilters string
	BrowseAll    string
	Grouped      bool
	TotalPages   int
	Groups       []chipView // the toggle between pages and passages
	Timeline     *timelineView
	Cite         *citeView
	// ChangesURL is what changed in this search since ChangesSince, the
	// date of the generation before the one shown.
	ChangesURL, ChangesSince string
}

type hitView struct {
	Partial  bool // lacks one of the words of a relaxed search
	Title    string
	URL      string // empty unless http or https: then no link is made
	Host     string
	Section  string
	Snippet  template.HTML
	Date     string
	DateISO  string
	Chips    []chipView
	Selected bool
	// Of a search grouped by page: the page's other matching passages.
	MorePassages int
	MoreSections []string
	Why          string // the passage's view: each tag with its evidence
	// SimilarURL is the page of the passages like this one.
	SimilarURL string
}

// chipView is a link that changes one part of the search.
type chipView struct {
	Label    string
	Kind     string
	URL      string
	Selected bool
}

type facetView struct {
	Name    string
	Label   string
	Links   bool
	Values  []facetValueView
	MoreURL string
	Others  int
}

type facetValueView struct {
	ID        string
	Value     string
	Count     int
	Selected  bool
	URL       string
	Countries []facetValueView // a region's countries among the hits
}

type pagerView struct {
	Prev, Next string
	Items      []pageItem
}

type pageItem struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

var facetLabels = map[string]string{
	search.FacetOrganization:  "Organization",
	search.FacetCountry:       "Country",
	search.FacetRegion:        "Region",
	search.FacetTopic:         "Topic",
	search.FacetType:          "Document type",
	search.FacetYear:          "Year",
	search.FacetPublishedYear: "Published",
}

func (s *Server) handleSearchPage(c *gin.Context) {
	pl := plannedOf(c)
	if pl.paramErr != nil {
		s.fail(c, pl.paramErr)
		return
	}
	ctx := c.Request.Context()
	mode := c.Query(paramTimeline)
	if mode != "" && mode != timelinePublished && mode != timelineMentioned {
		s.fail(c, badParam("timeline must be one of %s, %s, got %s", timelinePublished, timelineMentioned, shown(mode)))
		return
	}
	if mode == timelinePublished {
		mode = ""
	}
	res, err := s.run(ctx, pl)
	var notice string
	if q := pl.q; errors.Is(err, search.ErrBadQuery) && q.Q != "" && !q.Literal {
		// Show why the query could not be read, and the words taken literally.
		notice = userMessage(err)
		q.Literal = true
		pl = planned{q: q}
		pl.p, pl.err = s.searcher.Compile(q)
		defer pl.p.Release()
		res, err = s.run(ctx, pl)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredFrom(c, res.Generation)
	s.render(c, http.StatusOK, "search.html", s.searchView(c, pl.q, res, notice, mode))
}

func (s *Server) searchView(c *gin.Context, q search.Query, res *search.Result, notice, timeline string) searchView {
	st := stateOf(q)
	st.timeline = timeline
	title := "Browse all passages"
	if q.Q != "" {
		title = fmt.Sprintf("%s: search", q.Q)
	}
	v := searchView{
		baseView:     s.base(c, title),
		Q:            q.Q,
		Browse:       q.Q == "",
		Notice:       notice,
		Total:        res.Total,
		TookMS:       res.Took.Milliseconds(),
		SearchHidden: st.hidden(paramQ),
		FilterHidden: st.hidden(paramYearFrom, paramYearTo, search.FacetOrganization, search.FacetCountry,
			search.FacetRegion, search.FacetTopic, search.FacetType),
		ExportCSV:    st.forExport().href("/export.csv"),
		ExportJSON:   st.forExport().href("/export.json"),
		ClearFilters: st.withoutFilters().href("/search"),
		BrowseAll:    "/search",
	}
	v.FeedURL = st.forFeed().href("/feed.atom")
	v.Grouped = res.Group == search.GroupPage
	v.TotalPages = res.TotalPages
	v.Groups = []chipView{
		{Label: "One result per page", URL: st.withGroup(search.GroupPage).href("/search"), Selected: v.Grouped},
		{Label: "Every passage", URL: st.withGroup(search.GroupPassage).href("/search"), Selected: !v.Grouped},
	}
	v.Timeline = timelineOf(st, res, timeline)
	if q.YearFrom != 0 {
		v.YearFrom = fmt.Sprint(q.YearFrom)
	}
	if q.YearTo != 0 {
		v.YearTo = fmt.Sprint(q.YearTo)
	}
	if len(res.Hits) > 0 {
		v.First = (q.Page-1)*q.PerPage + 1
		v.Last = v.First + len(res.Hits) - 1
	}
	for _, h := range res.Hits {
		hv := hitViewOf(h, st)
		if h.Grouped && h.MorePassages > 0 {
			hv.MorePassages, hv.MoreSections = h.MorePassages, h.MoreSections
		}
		v.Hits = append(v.Hits, hv)
	}
	v.Facets = s.facetViews(st, res)
	for _, f := range filterFacets {
		for _, val := range st.filters[f] {
			v.Active = append(v.Active, chipView{Label: val, Kind: facetLabels[f], URL: st.toggled(f, val).href("/search"), Selected: true})
		}
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		v.Active = append(v.Active, chipView{Label: yearRange(q.YearFrom, q.YearTo), Kind: "Years",
			URL: st.withYears(0, 0).href("/search"), Selected: true})
	}
	for _, so := range []struct{ value, label string }{{search.SortRelevance, "Relevance"}, {search.SortDate, "Date"}} {
		v.Sorts = append(v.Sorts, chipView{Label: so.label, URL: st.withSort(so.value).href("/search"), Selected: q.Sort == so.value})
	}
	total := res.Total
	if v.Grouped {
		total = res.TotalPages
	}
	v.Pager = pager(st, total, s.lim.MaxWindow)
	v.Match = matchViewOf(q, st, res)
	v.Cite = s.citeViewOf(c, q, res)
	v.ChangesURL, v.ChangesSince = s.changesLink(st, res.Generation)
	return v
}

func yearRange(from, to int) string {
	switch {
	case from != 0 && to != 0 && from == to:
		return fmt.Sprint(from)
	case from != 0 && to != 0:
		return fmt.Sprintf("%d–%d", from, to)
	case from != 0:
		return fmt.Sprintf("from %d", from)
	default:
		return fmt.Sprintf("until %d", to)
	}
}

func hitViewOf(h search.Hit, st state) hitView {
	v := hitView{
		Partial:    h.Partial,
		Title:      h.Title,
		Section:    h.Section,
		Snippet:    safeSnippet(h.Snippet),
		Why:        passageURL(h.ID),
		SimilarURL: similarPath(h.ID, st.gen),
	}
	if v.Title == "" {
		v.Title = "Untitled page"
	}
	if u, ok := linkable(h.URL); ok {
		v.URL = h.URL
		v.Host = u.Host
	}
	if !h.Published.IsZero() {
		v.Date = h.Published.Format("2 January 2006")
		v.DateISO = h.Published.Format(time.DateOnly)
	}
	add := func(facet string, vals ...string) {
		for _, val := range vals {
			if val == "" {
				continue
			}
			v.Chips = append(v.Chips, chipView{Label: val, Kind: facetLabels[facet],
				URL: st.toggled(facet, val).href("/search"), Selected: st.selected(facet, val)})
		}
	}
	add(search.FacetType, h.Type)
	add(search.FacetOrganization, h.Organizations...)
	add(search.FacetCountry, h.Countries...)
	add(search.FacetRegion, h.Regions...)
	add(search.FacetTopic, h.Topics...)
	return v
}

// linkable reports whether a crawled URL may become a link: only absolute
// http and https URLs do (no javascript:, data: or relative tricks).
func linkable(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return nil, false
	}
	return u, true
}

// safeSnippet is the one place where text becomes template.HTML. The search
// package escapes the passage and adds <mark>; as a second line of defence,
// any other markup left in the snippet is escaped here.
func safeSnippet(s string) template.HTML {
	var b strings.Builder
	for s != "" {
		i := strings.IndexAny(s, "<>")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<mark>"):
			b.WriteString("<mark>")
			s = s[len("<mark>"):]
		case strings.HasPrefix(s, "</mark>"):
			b.WriteString("</mark>")
			s = s[len("</mark>"):]
		default:
			b.WriteString(template.HTMLEscapeString(s[:1]))
			s = s[1:]
		}
	}
	return template.HTML(b.String()) //nolint:gosec // only <mark> survives, see above
}

func (s *Server) facetViews(st state, res *search.Result) []facetView {
	var out []facetView
	for _, name := range search.Facets {
		if name == search.FacetPublishedYear {
			continue // the timeline shows it
		}
		fv := facetView{Name: name, Label: facetLabels[name], Links: name == search.FacetYear, Others: res.FacetOthers[name]}
		if fv.Label == "" {
			fv.Label = name
		}
		shown, selectedShown := 0, 0
		for _, val := range res.Facets[name] {
			item := facetValueView{ID: fmt.Sprintf("f-%s-%d", name, shown), Value: val.Value, Count: val.Count, Selected: val.Selected}
			if fv.Links {
				y, err := parseYear(val.Value)
				if err != nil {
					continue
				}
				item.Selected = st.yearFrom == y && st.yearTo == y
				if item.Selected {
					item.URL = st.withYears(0, 0).href("/search")
				} else {
					item.URL = st.withYears(y, y).href("/search")
				}
			}
			for j, cv := range val.Countries {
				item.Countries = append(item.Countries, facetValueView{ID: fmt.Sprintf("%s-c%d", item.ID, j), Value: cv.Value,
					Count: cv.Count, Selected: st.selected(search.FacetCountry, cv.Value)})
			}
			if item.Selected {
				selectedShown++
			}
			fv.Values = append(fv.Values, item)
			shown++
		}
		// A selected value the search did not list (no hit left, or an alias
		// it did not resolve) still needs a ticked box, or the form would
		// drop it on the next submission.
		if selected := st.filters[name]; len(selected) > selectedShown {
			for _, val := range selected {
				if slices.ContainsFunc(fv.Values, func(v facetValueView) bool { return strings.EqualFold(v.Value, val) }) {
					continue
				}
				fv.Values = append(fv.Values, facetValueView{ID: fmt.Sprintf("f-%s-%d", name, shown), Value: val, Selected: true})
				shown++
			}
		}
		if len(fv.Values) == 0 {
			continue
		}
		if fv.Others > 0 {
			fv.MoreURL = st.withPage(1).href("/facets/" + name)
		}
		out = append(out, fv)
	}
	return out
}

func parseYear(s string) (int, error) {
	var y int
	if _, err := fmt.Sscanf(s, "%d", &y); err != nil || y < minYear || y > maxYear {
		return 0, fmt.Errorf("bad year %q", s)
	}
	return y, nil
}

// pager offers previous/next and a window of page numbers, never beyond the
// result window that the search accepts.
func pager(st state, total, maxWindow int) pagerView {
	per := max(st.perPage, 1)
	last := min((total+per-1)/per, maxWindow/per)
	cur := st.page
	var p pagerView
	if last <= 1 {
		return p
	}
	if cur > 1 {
		p.Prev = st.withPage(min(cur-1, last)).href("/search")
	}
	if cur < last {
		p.Next = st.withPage(cur + 1).href("/search")
	}
	prevShown := 0
	for n := 1; n <= last; n++ {
		if n != 1 && n != last && (n < cur-2 || n > cur+2) {
			continue
		}
		if prevShown != 0 && n > prevShown+1 {
			p.Items = append(p.Items, pageItem{Gap: true})
		}
		p.Items = append(p.Items, pageItem{N: n, URL: st.withPage(n).href("/search"), Current: n == cur})
		prevShown = n
	}
	return p
}

// errorView is the data of error.html.
type errorView struct {
	baseView
	Status  int
	Code    string
	Message string
	Link    string // a local URL to go on with (410: the current generation)
}

func (s *Server) renderError(c *gin.Context, status int, code, msg string) {
	s.renderErrorLink(c, status, code, msg, "")
}

// renderErrorLink is renderError with a link to follow instead (a pruned
// generation's request on the current one).
func (s *Server) renderErrorLink(c *gin.Context, status int, code, msg, link string) {
	title := http.StatusText(status)
	if status == http.StatusNotFound {
		title = "Page not found"
	}
	s.render(c, status, "error.html", errorView{baseView: s.base(c, title), Status: status, Code: code, Message: msg, Link: link})
}
