package web

import (
	"context"
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// fakeSearcher implements Searcher with function fields (WTF mock style).
// Its plans are compiled by a search.Engine with no vocabulary and no index
// (so they are validated and parsed like the real ones, and tell an
// expensive query the same way); SearchFn answers them. ExportFn, when set,
// answers exports; else an export is every page of SearchFn.
type fakeSearcher struct {
	SearchFn func(ctx context.Context, q search.Query) (*search.Result, error)
	GetFn    func(ctx context.Context, id string) (*search.Document, error)
	ExportFn func(ctx context.Context, q search.Query, begin func(search.ExportInfo) error, fn func(search.Hit) error) (int, error)

	mu      sync.Mutex
	queries []search.Query
	eng     *search.Engine
}

func (f *fakeSearcher) Compile(q search.Query) (*search.Plan, error) {
	f.mu.Lock()
	if f.eng == nil {
		eng, err := search.NewEngine(search.Vocabulary{}, search.Limits{MaxWindow: 1 << 30})
		if err != nil {
			f.mu.Unlock()
			return nil, err
		}
		f.eng = eng
	}
	eng := f.eng
	f.mu.Unlock()
	return eng.Compile(q)
}

func (f *fakeSearcher) SearchPlan(ctx context.Context, p *search.Plan) (*search.Result, error) {
	return f.Search(ctx, p.Query())
}

func (f *fakeSearcher) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	return f.SearchFn(ctx, q)
}

func (f *fakeSearcher) ExportPlan(ctx context.Context, p *search.Plan, begin func(search.ExportInfo) error, fn func(search.Hit) error) (int, error) {
	if f.ExportFn != nil {
		return f.ExportFn(ctx, p.Query(), begin, fn)
	}
	q := p.Query()
	q.PerPage = 100
	n := 0
	for {
		res, err := f.Search(ctx, q)
		if err != nil {
			return n, err
		}
		if q.Page == 1 && begin != nil {
			if err := begin(search.ExportInfo{Total: res.Total}); err != nil {
				return 0, err
			}
		}
		for _, h := range res.Hits {
			if err := fn(h); err != nil {
				return n, err
			}
			n++
		}
		if len(res.Hits) < q.PerPage || n >= res.Total {
			return n, nil
		}
		q.Page++
	}
}

func (f *fakeSearcher) Get(ctx context.Context, id string) (*search.Document, error) {
	if f.GetFn == nil {
		return nil, fmt.Errorf("get %s: %w", id, search.ErrNotFound)
	}
	return f.GetFn(ctx, id)
}

// FacetValues answers from SearchFn's facets (every value): those with a
// word starting with the prefix, in any case.
func (f *fakeSearcher) FacetValues(ctx context.Context, p *search.Plan, fq search.FacetValueQuery) (*search.FacetValues, error) {
	if !slices.Contains(search.Facets, fq.Facet) {
		return nil, fmt.Errorf("%w: unknown facet %q", search.ErrBadFilter, fq.Facet)
	}
	q := p.Query()
	q.FacetSize = 1000
	res, err := f.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &search.FacetValues{Facet: fq.Facet, Values: []search.FacetValue{}}
	prefix := strings.ToLower(fq.Prefix)
	for _, v := range res.Facets[fq.Facet] {
		match := prefix == ""
		for _, w := range strings.Fields(strings.ToLower(v.Value)) {
			match = match || strings.HasPrefix(w, prefix)
		}
		if !match {
			continue
		}
		out.TotalValues++
		if len(out.Values) < fq.Size || v.Selected {
			out.Values = append(out.Values, v)
		}
	}
	return out, nil
}

func (f *fakeSearcher) seen() []search.Query {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.queries)
}

type fakeStatus struct{ st Status }

func (f fakeStatus) Status(context.Context) Status { return f.st }

type fakeReindexer struct {
	ReindexFn func(ctx context.Context) (string, error)
}

func (f *fakeReindexer) Reindex(ctx context.Context) (string, error) { return f.ReindexFn(ctx) }

// fixtureDocs are invented passages in the shape of the real ones.
func fixtureDocs() []search.Document {
	type row struct {
		title, section, text             string
		orgs, countries, regions, topics []string
		typ                              string
		year                             int
	}
	rows := []row{
		{"Container control partnerships", "Panama › Ports", "Port control units inspect containers for cocaine and precursor chemicals.",
			[]string{"United Nations Office on Drugs and Crime", "World Customs Organization"}, []string{"Panama"}, []string{"Central America", "Western Hemisphere"},
			[]string{"container and port control", "counternarcotics"}, "program page", 2022},
		{"Container control partnerships", "Ecuador › Guayaquil", "Joint teams in Guayaquil profile high-risk containers.",
			[]string{"United Nations Office on Drugs and Crime"}, []string{"Ecuador"}, []string{"Western Hemisphere"},
			[]string{"container and port control"}, "program page", 2023},
		{"Anti-money laundering assistance", "Afghanistan", "Mentors helped the financial intelligence unit trace money laundering networks.",
			[]string{"Financial Action Task Force"}, []string{"Afghanistan"}, []string{"South and Central Asia"},
			[]string{"money laundering"}, "country report", 2019},
		{"Justice sector reform", "Guatemala › Prosecutors", "Training for prosecutors on organized crime and corruption cases.",
			[]string{"International Development Law Organization"}, []string{"Guatemala"}, []string{"Central America", "Western Hemisphere"},
			[]string{"justice sector reform", "corruption", "organized crime"}, "fact sheet", 2021},
		{"Maritime security", "West Africa › Gulf of Guinea", "Coast guards patrol against trafficking at sea.",
			nil, []string{"Ghana", "Nigeria"}, []string{"West Africa"},
			[]string{"maritime security"}, "fact sheet", 2020},
	}
	var docs []search.Document
	for i := range 30 {
		r := rows[i%len(rows)]
		id := fmt.Sprintf("doc-%02d", i)
		docs = append(docs, search.Document{
			ID: id, URL: fmt.Sprintf("https://www.example.gov/programs/%d#part-%d", i%len(rows), i),
			PageURL: fmt.Sprintf("https://www.example.gov/programs/%d", i%len(rows)),
			Title:   r.title, Section: fmt.Sprintf("%s (%d)", r.section, i), Text: r.text,
			Organizations: r.orgs, Countries: r.countries, Regions: r.regions, Topics: r.topics,
			Type: r.typ, Years: []int{r.year}, Published: time.Date(r.year, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		})
	}
	return docs
}

// fixtureSearch is a tiny in-memory search over docs: substring match on any
// word of q, facet filters (case-insensitive, OR within a facet), years,
// pagination and disjunctive facet counts. Good enough to drive the pages.
func fixtureSearch(docs []search.Document) func(context.Context, search.Query) (*search.Result, error) {
	return func(_ context.Context, q search.Query) (*search.Result, error) {
		words := strings.Fields(strings.ToLower(q.Q))
		if strings.Count(q.Q, `"`)%2 == 1 && !q.Literal {
			return nil, fmt.Errorf("%w: unterminated quote in %q", search.ErrBadQuery, q.Q)
		}
		for i, w := range words {
			words[i] = strings.Trim(w, `"`)
		}
		match := func(d search.Document, skip string) bool {
			text := strings.ToLower(d.Title + " " + d.Section + " " + d.Text)
			for _, w := range words {
				if !strings.Contains(text, w) {
					return false
				}
			}
			for facet, vals := range q.Filters {
				if facet == skip {
					continue
				}
				if !slices.ContainsFunc(facetValues(d, facet), func(v string) bool { return containsFold(vals, v) }) {
					return false
				}
			}
			y := d.Years[0]
			return (q.YearFrom == 0 || y >= q.YearFrom) && (q.YearTo == 0 || y <= q.YearTo)
		}
		res := &search.Result{Query: q.Q, Page: q.Page, PerPage: q.PerPage, Took: 3 * time.Millisecond,
			Facets: map[string][]search.FacetValue{}, FacetOthers: map[string]int{}}
		var hits []search.Hit
		for _, d := range docs {
			if match(d, "") {
				hits = append(hits, search.Hit{Document: d, Snippet: snippetOf(d.Text, words), Score: 1})
			}
		}
		res.Total = len(hits)
		from := (q.Page - 1) * q.PerPage
		if from < len(hits) {
			res.Hits = hits[from:min(from+q.PerPage, len(hits))]
		}
		if q.NoFacets {
			return res, nil
		}
		size := q.FacetSize
		if size == 0 {
			size = 3
		}
		countries := map[string]int{}
		for _, d := range docs {
			if match(d, search.FacetCountry) {
				for _, c := range d.Countries {
					countries[c]++
				}
			}
		}
		for _, facet := range search.Facets {
			counts := map[string]int{}
			for _, d := range docs {
				if match(d, facet) {
					for _, v := range facetValues(d, facet) {
						counts[v]++
					}
				}
			}
			var vals []search.FacetValue
			for v, n := range counts {
				vals = append(vals, search.FacetValue{Value: v, Count: n, Selected: containsFold(q.Filters[facet], v)})
			}
			sort.Slice(vals, func(i, j int) bool {
				if vals[i].Count != vals[j].Count {
					return vals[i].Count > vals[j].Count
				}
				return vals[i].Value < vals[j].Value
			})
			if facet == search.FacetPublishedYear || facet == search.FacetYear {
				sort.Slice(vals, func(i, j int) bool { return vals[i].Value < vals[j].Value })
				if facet == search.FacetYear {
					res.YearsMentioned = slices.Clone(vals)
				}
			}
			if facet == search.FacetRegion {
				for i, r := range vals {
					vals[i].Countries = []search.FacetValue{}
					for _, c := range fixtureRegions[r.Value] {
						if n := countries[c]; n > 0 {
							vals[i].Countries = append(vals[i].Countries, search.FacetValue{Value: c, Count: n, Selected: containsFold(q.Filters[search.FacetCountry], c)})
						}
					}
				}
			}
			if len(vals) > size && facet != search.FacetPublishedYear {
				res.FacetOthers[facet] = len(vals) - size
				vals = vals[:size]
			}
			res.Facets[facet] = vals
		}
		if q.Group == search.GroupPage {
			groupFixture(res, hits, q)
		}
		return res, nil
	}
}

// fixtureRegions is the region hierarchy of the fixture.
var fixtureRegions = map[string][]string{
	"Central America":    {"Guatemala", "Panama"},
	"Western Hemisphere": {"Ecuador", "Guatemala", "Panama"},
	"West Africa":        {"Ghana", "Nigeria"},
}

// groupFixture groups res's hits by page as the search package does: the
// first hit of each page, with the number and sections of the others; the
// facet counts stay in passages.
func groupFixture(res *search.Result, hits []search.Hit, q search.Query) {
	res.Group = search.GroupPage
	var pages []search.Hit
	at := map[string]int{}
	for _, h := range hits {
		if i, ok := at[h.PageURL]; ok {
			pages[i].MorePassages++
			if len(pages[i].MoreSections) < 3 {
				pages[i].MoreSections = append(pages[i].MoreSections, h.Section)
			}
			continue
		}
		h.Grouped = true
		at[h.PageURL] = len(pages)
		pages = append(pages, h)
	}
	res.TotalPages = len(pages)
	res.Hits = nil
	if from := (q.Page - 1) * q.PerPage; from < len(pages) {
		res.Hits = pages[from:min(from+q.PerPage, len(pages))]
	}
}

func facetValues(d search.Document, facet string) []string {
	switch facet {
	case search.FacetOrganization:
		return d.Organizations
	case search.FacetCountry:
		return d.Countries
	case search.FacetRegion:
		return d.Regions
	case search.FacetTopic:
		return d.Topics
	case search.FacetType:
		return []string{d.Type}
	case search.FacetPublishedYear:
		if d.Published.IsZero() {
			return nil
		}
		return []string{fmt.Sprint(d.Published.Year())}
	case search.FacetYear:
		out := make([]string, len(d.Years))
		for i, y := range d.Years {
			out[i] = fmt.Sprint(y)
		}
		return out
	}
	return nil
}

func snippetOf(text string, words []string) string {
	s := html.EscapeString(text)
	for _, w := range words {
		if w == "" {
			continue
		}
		if i := strings.Index(strings.ToLower(s), html.EscapeString(w)); i >= 0 {
			s = s[:i] + "<mark>" + s[i:i+len(html.EscapeString(w))] + "</mark>" + s[i+len(html.EscapeString(w)):]
		}
	}
	return s
}

// MustServer builds a Server over the fixture (or the given searcher).
func MustServer(tb testing.TB, cfg Config, s Searcher, st StatusReporter, r Reindexer) *Server {
	tb.Helper()
	if s == nil {
		s = &fakeSearcher{SearchFn: fixtureSearch(fixtureDocs())}
	}
	return New(cfg, s, st, r)
}
