package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// evidenceByFacet turns a document's evidence, keyed "facet:value", into
// the answer's form: facet → value → sentence. Keys without a facet are left
// out.
func evidenceByFacet(ev map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for k, sentence := range ev {
		facet, value, ok := strings.Cut(k, ":")
		if !ok || facet == "" || value == "" {
			continue
		}
		if out[facet] == nil {
			out[facet] = map[string]string{}
		}
		out[facet][value] = sentence
	}
	return out
}

// passageView is the data of passage.html: one passage and, per facet, each
// of its tags with the sentence that decided it ("why is this tagged?").
type passageView struct {
	baseView
	URL     string // empty unless http or https
	Section string
	Text    string
	Groups  []evidenceGroup
}

type evidenceGroup struct {
	Label string
	Tags  []evidenceTag
}

type evidenceTag struct {
	Value    string
	Sentence string   // the sentence or heading that decided it; empty when none was kept
	Words    []string // the words that matched (provenance)
	Found    bool     // an organization beyond the taxonomy
}

// passageFacets are the facets of the passage view, in display order.
var passageFacets = []struct{ name, label string }{
	{search.FacetOrganization, "Organizations"},
	{search.FacetCountry, "Countries"},
	{search.FacetRegion, "Regions"},
	{search.FacetTopic, "Topics"},
	{search.FacetYear, "Years"},
}

// handlePassagePage serves GET /passages/:id: the passage's text and each of
// its tags with its evidence, as HTML without script.
func (s *Server) handlePassagePage(c *gin.Context) {
	id := c.Param("id")
	if id == "" || len(id) > maxIDBytes || !utf8.ValidString(id) {
		s.fail(c, search.ErrNotFound)
		return
	}
	d, err := s.searcher.Get(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	title := d.Title
	if title == "" {
		title = "Untitled page"
	}
	v := passageView{baseView: s.base(c, "Why is this tagged? — "+title), Section: d.Section, Text: d.Text}
	if _, ok := linkable(d.URL); ok {
		v.URL = d.URL
	}
	found := map[string]bool{}
	for _, o := range d.FoundOrganizations {
		found[o] = true
	}
	years := make([]string, len(d.Years))
	for i, y := range d.Years {
		years[i] = strconv.Itoa(y)
	}
	values := map[string][]string{
		search.FacetOrganization: d.Organizations, search.FacetCountry: d.Countries,
		search.FacetRegion: d.Regions, search.FacetTopic: d.Topics, search.FacetYear: years,
	}
	for _, f := range passageFacets {
		g := evidenceGroup{Label: f.label}
		for _, val := range values[f.name] {
			key := f.name + ":" + val
			g.Tags = append(g.Tags, evidenceTag{Value: val, Sentence: d.Evidence[key], Words: d.Provenance[key],
				Found: f.name == search.FacetOrganization && found[val]})
		}
		if len(g.Tags) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	s.render(c, http.StatusOK, "passage.html", v)
}

// passageURL is the address of a passage's view.
func passageURL(id string) string {
	if id == "" {
		return ""
	}
	return "/passages/" + url.PathEscape(id)
}
