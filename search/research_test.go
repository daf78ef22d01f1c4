package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// researchDocs are 4 pages: Guatemala (3 passages), Honduras (2), Mexico
// (1, tagged with the region only) and Peru (2), published in 2019–2022.
func researchDocs() []Document {
	type pg struct {
		country, region string
		n, year         int
		org             string
	}
	pages := []pg{
		{"Guatemala", "", 3, 2021, "United Nations Office on Drugs and Crime"},
		{"Honduras", "", 2, 2022, ""},
		{"", "Central America", 1, 2021, ""},
		{"Perú", "", 2, 2019, ""},
	}
	var docs []Document
	for i, p := range pages {
		for k := range p.n {
			d := Document{
				ID: fmt.Sprintf("p%d-%d", i, k), PageURL: fmt.Sprintf("https://x.gov/p%d", i), URL: fmt.Sprintf("https://x.gov/p%d#s%d", i, k),
				Title: fmt.Sprintf("Page %d", i), Section: fmt.Sprintf("Section %d.%d", i, k),
				Text:      fmt.Sprintf("money laundering programme %s", slices.Repeat([]string{"laundering"}, 3-k)),
				Published: time.Date(p.year, 3, 1, 0, 0, 0, 0, time.UTC), Years: []int{2010 + k},
			}
			if p.country != "" {
				d.Countries = []string{p.country}
			}
			if p.region != "" {
				d.Regions = []string{p.region}
			}
			if p.org != "" {
				d.Organizations = []string{p.org}
			}
			docs = append(docs, d)
		}
	}
	return docs
}

var researchVocabulary = Vocabulary{
	Aliases: map[string]map[string]string{FacetOrganization: {"unodc": "United Nations Office on Drugs and Crime"}},
	Regions: map[string][]string{"Central America": {"Guatemala", "Honduras"}, "South America": {"Perú"}},
}

func mustResearchIndex(t *testing.T) *Index {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Create(path, researchVocabulary)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(context.Background(), researchDocs()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ro.Close() })
	return ro
}

func facetValues(t *testing.T, ix *Index, q Query, fq FacetValueQuery) *FacetValues {
	t.Helper()
	p, err := ix.Compile(q)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	fv, err := ix.FacetValues(context.Background(), p, fq)
	if err != nil {
		t.Fatalf("FacetValues(%+v): %v", fq, err)
	}
	return fv
}

func TestFacetValuesPrefix(t *testing.T) {
	t.Parallel()
	ix := mustResearchIndex(t)
	names := func(fv *FacetValues) []string {
		var out []string
		for _, v := range fv.Values {
			out = append(out, fmt.Sprintf("%s:%d:%v", v.Value, v.Count, v.Selected))
		}
		return out
	}
	for _, tt := range []struct {
		q    Query
		fq   FacetValueQuery
		want []string
	}{
		{Query{}, FacetValueQuery{Facet: FacetCountry, Prefix: "gua"}, []string{"Guatemala:3:false"}},
		{Query{}, FacetValueQuery{Facet: FacetCountry, Prefix: "GUA"}, []string{"Guatemala:3:false"}},
		{Query{}, FacetValueQuery{Facet: FacetCountry, Prefix: "peru"}, []string{"Perú:2:false"}}, // accents folded
		{Query{}, FacetValueQuery{Facet: FacetOrganization, Prefix: "unod"}, []string{"United Nations Office on Drugs and Crime:3:false"}},
		{Query{}, FacetValueQuery{Facet: FacetOrganization, Prefix: "drugs"}, []string{"United Nations Office on Drugs and Crime:3:false"}}, // any word
		{Query{}, FacetValueQuery{Facet: FacetCountry, Prefix: "zz"}, nil},
		{Query{}, FacetValueQuery{Facet: FacetCountry}, []string{"Guatemala:3:false", "Honduras:2:false", "Perú:2:false"}},
		{Query{}, FacetValueQuery{Facet: FacetCountry, Size: 1}, []string{"Guatemala:3:false"}},
		// Disjunctive: a country filter does not narrow the country counts.
		{Query{Filters: map[string][]string{FacetCountry: {"Honduras"}}}, FacetValueQuery{Facet: FacetCountry, Prefix: "g"},
			[]string{"Guatemala:3:false"}},
		// Other facets' filters do.
		{Query{Filters: map[string][]string{FacetPublishedYear: {"2022"}}}, FacetValueQuery{Facet: FacetCountry, Prefix: "h"},
			[]string{"Honduras:2:false"}},
		{Query{Filters: map[string][]string{FacetPublishedYear: {"2022"}}}, FacetValueQuery{Facet: FacetCountry, Prefix: "g"}, nil},
		// Grouped: counts in pages.
		{Query{Group: GroupPage}, FacetValueQuery{Facet: FacetCountry, Prefix: "gua"}, []string{"Guatemala:1:false"}},
		{Query{Q: "laundering", Filters: map[string][]string{FacetCountry: {"guatemala"}}}, FacetValueQuery{Facet: FacetCountry, Prefix: "gu"},
			[]string{"Guatemala:3:true"}},
	} {
		fv := facetValues(t, ix, tt.q, tt.fq)
		if got := names(fv); !slices.Equal(got, tt.want) {
			t.Errorf("%+v %+v: %v, want %v", tt.q, tt.fq, got, tt.want)
		}
	}
	if fv := facetValues(t, ix, Query{}, FacetValueQuery{Facet: FacetCountry, Size: 1}); fv.TotalValues != 3 {
		t.Errorf("total_values = %d, want 3", fv.TotalValues)
	}
	p, _ := ix.Compile(Query{})
	defer p.Release()
	for _, fq := range []FacetValueQuery{{Facet: "colour"}, {Facet: FacetCountry, Size: -1}, {Facet: FacetCountry, Size: MaxFacetValues + 1}} {
		if _, err := ix.FacetValues(context.Background(), p, fq); !errors.Is(err, ErrBadFilter) {
			t.Errorf("FacetValues(%+v) = %v, want ErrBadFilter", fq, err)
		}
	}
}

func TestRegionHierarchy(t *testing.T) {
	t.Parallel()
	ix := mustResearchIndex(t)
	ctx := context.Background()
	res, err := ix.Search(ctx, Query{Filters: map[string][]string{FacetRegion: {"Central America"}}})
	if err != nil {
		t.Fatal(err)
	}
	// 3 Guatemala + 2 Honduras (its countries) + 1 tagged with the region.
	if res.Total != 6 {
		t.Errorf("region=Central America: %d passages, want 6", res.Total)
	}
	var ca *FacetValue
	for i, v := range res.Facets[FacetRegion] {
		if v.Value == "Central America" {
			ca = &res.Facets[FacetRegion][i]
		}
	}
	if ca == nil || ca.Count != 6 || !ca.Selected {
		t.Fatalf("region facet = %+v, want Central America 6, selected", res.Facets[FacetRegion])
	}
	want := []FacetValue{{Value: "Guatemala", Count: 3}, {Value: "Honduras", Count: 2}}
	if !slices.EqualFunc(ca.Countries, want, sameValue) {
		t.Errorf("countries of Central America = %+v, want %+v", ca.Countries, want)
	}
	// South America holds only Perú, never tagged with the region itself.
	res, err = ix.Search(ctx, Query{Filters: map[string][]string{FacetRegion: {"South America"}}})
	if err != nil || res.Total != 2 {
		t.Errorf("region=South America: %v, %v; want Perú's 2 passages", res, err)
	}
}

func TestPublishedYearFacet(t *testing.T) {
	t.Parallel()
	ix := mustResearchIndex(t)
	res, err := ix.Search(context.Background(), Query{FacetSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []FacetValue{{Value: "2019", Count: 2}, {Value: "2021", Count: 4}, {Value: "2022", Count: 2}}
	if got := res.Facets[FacetPublishedYear]; !slices.EqualFunc(got, want, sameValue) {
		t.Errorf("published_year = %+v, want every year in order %+v", got, want)
	}
	if len(res.Facets[FacetYear]) != 1 {
		t.Errorf("year facet = %+v, want the top 1 (facet_size) as before", res.Facets[FacetYear])
	}
	if got := res.YearsMentioned; len(got) != 3 || got[0].Value != "2010" {
		t.Errorf("years mentioned = %+v, want 2010–2012 in order", got)
	}
	res, err = ix.Search(context.Background(), Query{Filters: map[string][]string{FacetPublishedYear: {"2021"}}})
	if err != nil || res.Total != 4 {
		t.Errorf("published_year=2021: %+v, %v; want 4", res, err)
	}
	if _, err := ix.Compile(Query{Filters: map[string][]string{FacetPublishedYear: {"last year"}}}); !errors.Is(err, ErrBadFilter) {
		t.Errorf("published_year=last year: %v, want ErrBadFilter", err)
	}
}

func TestGroupByPage(t *testing.T) {
	t.Parallel()
	ix := mustResearchIndex(t)
	ctx := context.Background()
	for _, q := range []string{"", "laundering"} {
		res, err := ix.Search(ctx, Query{Q: q, Group: GroupPage})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 8 || res.TotalPages != 4 || len(res.Hits) != 4 || res.Group != GroupPage {
			t.Fatalf("q=%q grouped: total %d, pages %d, %d hits; want 8, 4, 4", q, res.Total, res.TotalPages, len(res.Hits))
		}
		seen := map[string]bool{}
		for _, h := range res.Hits {
			if seen[h.PageURL] {
				t.Errorf("q=%q: page %s twice", q, h.PageURL)
			}
			seen[h.PageURL] = true
			if !h.Grouped {
				t.Errorf("hit %s not marked grouped", h.ID)
			}
		}
		if q == "laundering" {
			// The best passage of Guatemala's page is its first (most "laundering").
			g := res.Hits[slices.IndexFunc(res.Hits, func(h Hit) bool { return h.PageURL == "https://x.gov/p0" })]
			if g.ID != "p0-0" || g.MorePassages != 2 || !slices.Equal(g.MoreSections, []string{"Section 0.1", "Section 0.2"}) {
				t.Errorf("Guatemala's page: %s, more %d %v; want p0-0, 2 more: Section 0.1, Section 0.2", g.ID, g.MorePassages, g.MoreSections)
			}
		}
		// Counts in pages.
		for _, v := range res.Facets[FacetCountry] {
			if v.Count != 1 {
				t.Errorf("q=%q grouped: country %s counts %d, want 1 page", q, v.Value, v.Count)
			}
		}
	}
	// Paging is by page.
	res, err := ix.Search(ctx, Query{Group: GroupPage, PerPage: 3, Page: 2})
	if err != nil || len(res.Hits) != 1 {
		t.Errorf("grouped page 2 of 3: %v, %v; want 1 hit", res, err)
	}
	// Ungrouped, the same search lists passages.
	res, err = ix.Search(ctx, Query{PerPage: 20})
	if err != nil || len(res.Hits) != 8 || res.Hits[0].Grouped || res.Facets[FacetCountry][0].Count != 3 {
		t.Errorf("ungrouped: %v, %v", res, err)
	}
	// An export grouped by page: one hit per page, in the search's order.
	var ids []string
	n, err := ix.Export(ctx, Query{Q: "laundering", Group: GroupPage}, func(info ExportInfo) error {
		if info.Total != 4 {
			t.Errorf("grouped export total %d, want 4", info.Total)
		}
		return nil
	}, func(h Hit) error {
		ids = append(ids, h.ID)
		if h.PageURL == "https://x.gov/p0" && (h.MorePassages != 2 || len(h.MoreSections) != 2) {
			t.Errorf("export: Guatemala's page more %d %v", h.MorePassages, h.MoreSections)
		}
		return nil
	})
	res, _ = ix.Search(ctx, Query{Q: "laundering", Group: GroupPage})
	var want []string
	for _, h := range res.Hits {
		want = append(want, h.ID)
	}
	if err != nil || n != 4 || !slices.Equal(ids, want) {
		t.Errorf("grouped export: %v (%d, %v), want the search's hits %v", ids, n, err, want)
	}
	if _, err := ix.Compile(Query{Group: "site"}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("group=site: %v, want ErrBadQuery", err)
	}
}

func sameValue(a, b FacetValue) bool {
	return a.Value == b.Value && a.Count == b.Count && a.Selected == b.Selected
}

// TestGroupedPagesMatchExport: on pages scattered over the document
// numbers, with ties of score and date, every results page of a grouped
// search lists the pages the grouped export (which groups the sorted
// passages, group.go's groupExport) lists at the same places, with the
// same best passage and number of other passages, and total_pages is the
// export's total.
func TestGroupedPagesMatchExport(t *testing.T) {
	t.Parallel()
	docs := benchDocs(700)
	for i := range docs {
		if i%9 != 0 {
			docs[i].PageURL = fmt.Sprintf("https://x.gov/p/%d", (i*37)%160)
		}
		if i%3 == 0 {
			docs[i].Published = time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC) // ties of date
		}
	}
	ix := MustReadOnly(t, docs)
	ctx := context.Background()
	for _, q := range []Query{{Q: "police"}, {Q: "cocaine heroin"}, {}, {Q: "police", Sort: SortDate}, {Q: "courts", Filters: map[string][]string{FacetTopic: {"corruption"}}}} {
		q.Group = GroupPage
		type hit struct {
			id   string
			more int
		}
		var want []hit
		total := 0
		_, err := ix.Export(ctx, q, func(info ExportInfo) error { total = info.Total; return nil }, func(h Hit) error {
			want = append(want, hit{h.ID, h.MorePassages})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []hit
		for page := 1; ; page++ {
			q.Page, q.PerPage = page, 7
			res, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if res.TotalPages != total {
				t.Fatalf("%+v: total_pages %d, export total %d", q, res.TotalPages, total)
			}
			for _, h := range res.Hits {
				got = append(got, hit{h.ID, h.MorePassages})
			}
			if len(res.Hits) < q.PerPage {
				break
			}
		}
		if len(want) < 20 || !slices.Equal(got, want) {
			t.Errorf("%+v: grouped pages\n%v\nwant the export's\n%v", q, got, want)
		}
	}
}

// mustSegmentedIndex builds an index of docs in three parts with merges
// off, closing it after each (scorch's persister merges the segments it
// has not yet written, whatever the merge plan: one part, one segment or
// more), deletes every deleteEvery-th passage, and opens it read-only; it
// returns the passages left.
func mustSegmentedIndex(t *testing.T, docs []Document, deleteEvery int) (*Index, []Document) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index")
	cfg := map[string]any{"scorchMergePlanOptions": map[string]any{"MaxSegmentsPerTier": 1000, "FloorSegmentSize": 1}}
	bi, err := bleve.NewUsing(path, NewMapping(), scorch.Name, bleve.Config.DefaultKVStore, cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(Vocabulary{})
	if err := bi.SetInternal(keyVocabulary, raw); err != nil {
		t.Fatal(err)
	}
	if err := bi.SetInternal(keySchema, []byte(schemaVersion)); err != nil {
		t.Fatal(err)
	}
	const parts = 3
	for k := range parts {
		part := docs[k*len(docs)/parts : (k+1)*len(docs)/parts]
		if err := addDocsFunc(context.Background(), bi, part, time.Time{}, nil); err != nil {
			t.Fatal(err)
		}
		if err := bi.Close(); err != nil {
			t.Fatal(err)
		}
		if bi, err = bleve.OpenUsing(path, cfg); err != nil {
			t.Fatal(err)
		}
	}
	var next []Document
	for i, d := range docs {
		if i%deleteEvery == 0 {
			if err := bi.Delete(d.ID); err != nil {
				t.Fatal(err)
			}
			continue
		}
		next = append(next, d)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ro.Close() })
	return ro, next
}

// TestStoredSection: the section read from a segment's stored fields by
// document number is the passage's, on an index of several segments with
// deleted passages, and the same as read by id.
func TestStoredSection(t *testing.T) {
	t.Parallel()
	docs := benchDocs(1300)
	for i := range docs {
		docs[i].Section = fmt.Sprintf("Part %d › \"quoted\" %d", i%13, i)
	}
	ro, next := mustSegmentedIndex(t, docs, 7)
	r := mustReader(t, ro.bi)
	defer func() { _ = r.Close() }()
	st, byID := newStoredReader(r), &storedReader{r: r}
	if len(st.segs) < 2 {
		t.Fatalf("%d segments, want several", len(st.segs))
	}
	want := map[string]string{}
	for _, d := range next {
		want[d.ID] = d.Section
	}
	n := 0
	for _, num := range ro.fx.all.ToArray() {
		id, err := r.ExternalID(index.NewIndexInternalID(nil, uint64(num)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.section(uint64(num))
		if err != nil {
			t.Fatal(err)
		}
		other, err := byID.section(uint64(num))
		if err != nil {
			t.Fatal(err)
		}
		if got != want[id] || other != want[id] {
			t.Fatalf("section of %s (%d) = %q, by id %q, want %q", id, num, got, other, want[id])
		}
		n++
	}
	if n != len(next) {
		t.Errorf("%d live passages, want %d", n, len(next))
	}
}

// TestJSONSection: the section of a stored document, scanned or decoded.
func TestJSONSection(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ raw, want string }{
		{`{"id":"a","url":"u","page_url":"p","title":"T \"x\" \\","section":"A › \"B\" \u00e9\\\\"}`, `A › "B" é\\`},
		{` { "id" : "a" , "section" : "S" }`, "S"},
		{`{"id":"a","years":[1,2],"section":"after a list"}`, "after a list"},
		{`{"id":"a","title":"no section"}`, ""},
		{`{"id":"a","secti\u006fn":"escaped key"}`, "escaped key"},
	} {
		got, err := jsonSection([]byte(c.raw))
		if err != nil || got != c.want {
			t.Errorf("jsonSection(%s) = %q, %v; want %q", c.raw, got, err, c.want)
		}
	}
	if _, err := jsonSection([]byte(`{"id":`)); err == nil {
		t.Error("jsonSection of a truncated document: no error")
	}
}

// TestFacetValuesAgreeWithSearch: a facet value search, which gathers and
// counts only what its facet needs, gives the counts the search's own
// facets give (every facet counted over every match), for random words,
// selections, year ranges, grouping and prefixes, the region facet's
// countries included.
func TestFacetValuesAgreeWithSearch(t *testing.T) {
	t.Parallel()
	docs := groupBenchDocs(1500)
	regions := []string{"Americas", "Asia"}
	for i := range docs {
		if i%11 == 0 {
			docs[i].Regions = []string{regions[i%2]}
		}
	}
	voc := Vocabulary{Regions: map[string][]string{"Americas": {"Mexico", "Colombia", "Peru", "Haiti"}, "Asia": {"Afghanistan", "Pakistan", "Laos"}}}
	path := filepath.Join(t.TempDir(), "index")
	w, err := Create(path, voc)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ix.Close() }()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(11, 12))
	pick := func(vs []string) string { return vs[r.IntN(len(vs))] }
	values := map[string][]string{
		FacetCountry:      {"Mexico", "Colombia", "Peru", "Afghanistan", "Pakistan", "Liberia", "Haiti", "Laos"},
		FacetTopic:        {"counternarcotics", "money laundering", "corruption", "police training", "corrections"},
		FacetOrganization: {"Interpol", "Europol", "World Bank", "Colombo Plan"},
		FacetRegion:       regions,
		FacetYear:         {"2006", "2010", "2015"},
	}
	facets := []string{FacetCountry, FacetTopic, FacetOrganization, FacetRegion, FacetYear}
	for i := range 80 {
		q := Query{Q: pick([]string{"police", "cocaine heroin", "", "walrus", "okapi", "zebra courts"}), FacetSize: 50, Filters: map[string][]string{}}
		for range r.IntN(3) {
			f := pick(facets)
			q.Filters[f] = append(q.Filters[f], pick(values[f]))
		}
		if r.IntN(4) == 0 {
			q.YearFrom, q.YearTo = 2008, 2014
		}
		if r.IntN(2) == 0 {
			q.Group = GroupPage
		}
		facet := pick(facets[:4])
		prefix := ""
		if r.IntN(3) > 0 {
			v := pick(values[facet])
			prefix = v[:1+r.IntN(2)]
		}
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		fv := facetValues(t, ix, q, FacetValueQuery{Facet: facet, Prefix: prefix, Size: MaxFacetValues})
		var want []FacetValue
		for _, v := range res.Facets[facet] {
			if v.Count > 0 && (prefix == "" || prefixMatch(v.Value, foldKey(prefix))) {
				want = append(want, v)
			}
		}
		want = sortedValues(want)
		for _, v := range res.Facets[facet] {
			if v.Count == 0 && prefixMatch(v.Value, foldKey(prefix)) {
				want = append(want, v) // selected, without a match
			}
		}
		if fv.TotalValues != len(want)-countZero(want) {
			t.Errorf("case %d %+v %s %q: total_values %d, want %d", i, q, facet, prefix, fv.TotalValues, len(want)-countZero(want))
		}
		if diff := cmp.Diff(want, fv.Values, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("case %d %+v %s %q (-search +facet values):\n%s", i, q, facet, prefix, diff)
		}
	}
}

func countZero(vs []FacetValue) int {
	n := 0
	for _, v := range vs {
		if v.Count == 0 {
			n++
		}
	}
	return n
}

// TestSegmentPostings: the values of each facet field and of page_url with
// their live passages, read segment by segment, are those read through the
// snapshot's term reader, on an index of several segments with deleted
// passages.
func TestSegmentPostings(t *testing.T) {
	t.Parallel()
	docs := groupBenchDocs(1300)
	for i := range docs {
		if i%9 == 0 {
			docs[i].PageURL = ""
		}
	}
	ro, _ := mustSegmentedIndex(t, docs, 5)
	r := mustReader(t, ro.bi)
	defer func() { _ = r.Close() }()
	snap := r.(*scorch.IndexSnapshot)
	if len(snap.Segments()) < 2 {
		t.Fatalf("%d segments, want several", len(snap.Segments()))
	}
	for _, f := range append([]string{fieldPageURL}, indexedFacets...) {
		want, err := readerPostings(r, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := segmentPostings(snap, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || (f == fieldPageURL || f == FacetCountry) && len(want) == 0 {
			t.Fatalf("%s: %d values, want %d", f, len(got), len(want))
		}
		for i := range want {
			if got[i].value != want[i].value || !got[i].docs.Equals(want[i].docs) {
				t.Fatalf("%s value %d: %s %v, want %s %v", f, i, got[i].value, got[i].docs.ToArray(), want[i].value, want[i].docs.ToArray())
			}
		}
	}
}
