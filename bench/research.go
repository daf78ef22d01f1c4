package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// The research features of issue #12, measured on the inlsearch index the
// query phase used (a child of their own, phase "research"), as the query
// classes are: a warm-up, then the measured calls one at a time, nearest-
// rank percentiles. The classes, each over -queries calls:
//
//   - facet_values: a facet value search (search.Index.FacetValues) for the
//     faceted class's words and filters, on the country or the organization
//     facet, with a prefix of 1–3 letters of one of its values;
//   - faceted_base: the faceted class again, in this process, right before
//     the next one (the "today's faceted search" of the ratio);
//   - region_timeline: the faceted class's words with a region selected
//     (expanded to its countries by the hierarchy) beside its other filter,
//     and a brushed year range of 2–6 years; the region facet carries its
//     countries and the published_year timeline is counted, as every
//     faceted search does;
//   - ungrouped, grouped: the term class's words (every planted frequency,
//     one in eight an empty search), facets counted, per passage and then
//     group=page;
//   - similar: search.Index.Similar (10 hits) of passages spread over the
//     corpus.
//
// changes is measured in the reindex phase (reindex.go), the only one with
// two generations.
var ResearchClasses = []string{"facet_values", "faceted_base", "region_timeline", "ungrouped", "grouped", "similar"}

// Research are the figures of the research features (inlsearch only).
type Research struct {
	Classes map[string]ClassStats `json:"classes"`
	// RegionTimelineVsFaceted is region_timeline p99 ÷ faceted_base p99
	// (target ≤ 1.2); GroupedVsUngrouped grouped p99 ÷ ungrouped p99
	// (target ≤ 1.3).
	RegionTimelineVsFaceted float64 `json:"region_timeline_vs_faceted_p99"`
	GroupedVsUngrouped      float64 `json:"grouped_vs_ungrouped_p99"`
	// SimilarFirstMS is the first similar call on the opened index, which
	// reads the table of the text terms' document frequencies.
	SimilarFirstMS float64 `json:"similar_first_ms"`
	// Changes between the first generation of the reindex phase and the
	// one where 1 % of the passages changed (see measureChanges).
	Changes *ChangesStats `json:"changes,omitempty"`
}

// ChangesStats are the wall seconds of search.Live.Changes between two
// generations of the corpus, 1 % of the passages changed: the first call
// (which opens the earlier generation beside the served one) and the
// slowest of the warm calls after it.
type ChangesStats struct {
	FirstS  float64 `json:"first_s"`
	WarmS   float64 `json:"warm_s"`
	Changed int     `json:"changed"`
}

// researchCall is one measured call; it returns the number of hits.
type researchCall func(ctx context.Context, ix *search.Index) (int, error)

// researchCalls returns n calls of class, drawn with seed.
func researchCalls(c *Corpus, class string, n int, seed uint64) []researchCall {
	r := rand.New(rand.NewPCG(seed, uint64(len(class))))
	var out []researchCall
	switch class {
	case "facet_values":
		for j, q := range c.Queries("faceted", n, seed) {
			facet, vals := search.FacetCountry, c.Tax.Countries
			if j%2 == 1 {
				facet, vals = search.FacetOrganization, c.Tax.Organizations
			}
			prefix := []rune(vals[r.IntN(min(len(vals), 40))])
			prefix = prefix[:min(len(prefix), 1+r.IntN(3))]
			sq := q.Inl()
			fq := search.FacetValueQuery{Facet: facet, Prefix: string(prefix), Size: 20}
			out = append(out, func(ctx context.Context, ix *search.Index) (int, error) {
				p, err := ix.Compile(sq)
				if err != nil {
					return 0, err
				}
				fv, err := ix.FacetValues(ctx, p, fq)
				if err != nil {
					return 0, err
				}
				return fv.TotalValues, nil
			})
		}
	case "faceted_base":
		for _, q := range c.Queries("faceted", n, seed) {
			out = append(out, searchCall(q.Inl()))
		}
	case "region_timeline":
		for _, q := range c.Queries("faceted", n, seed) {
			sq := q.Inl()
			region := c.Tax.Regions[c.fac[search.FacetRegion].pick(r)]
			keep := q.Filters[0]
			if keep.Facet == search.FacetRegion || keep.Facet == search.FacetYear {
				keep = q.Filters[1]
			}
			sq.Filters = map[string][]string{search.FacetRegion: {region}}
			if keep.Facet != search.FacetRegion && keep.Facet != search.FacetYear {
				sq.Filters[keep.Facet] = []string{keep.Value}
			}
			sq.YearTo = 2025 - r.IntN(6)
			sq.YearFrom = sq.YearTo - 1 - r.IntN(5)
			out = append(out, searchCall(sq))
		}
	case "ungrouped", "grouped":
		for j, q := range c.Queries("term", n, seed) {
			sq := q.Inl()
			sq.NoFacets = false
			if j%8 == 7 {
				sq.Q = ""
			}
			if class == "grouped" {
				sq.Group = search.GroupPage
			}
			out = append(out, searchCall(sq))
		}
	case "similar":
		for range n {
			id := c.Passage(r.IntN(c.N)).ID
			out = append(out, func(ctx context.Context, ix *search.Index) (int, error) {
				res, err := ix.Similar(ctx, id, search.SimilarOptions{Size: 10})
				if err != nil {
					return 0, err
				}
				return res.Total, nil
			})
		}
	}
	return out
}

func searchCall(q search.Query) researchCall {
	return func(ctx context.Context, ix *search.Index) (int, error) {
		res, err := ix.Search(ctx, q)
		if err != nil {
			return 0, err
		}
		return res.Total, nil
	}
}

// measureResearch runs, per research class, warm-up calls then the
// measured ones, one at a time, on the index of the query phase.
func measureResearch(ctx context.Context, c *Corpus, dir string, n, warmup int) (*Research, error) {
	ix, err := search.Open(inlIndexPath(dir))
	if err != nil {
		return nil, err
	}
	defer func() { _ = ix.Close() }()
	ix.SetResultCache(0)
	res := &Research{Classes: map[string]ClassStats{}}
	for _, class := range ResearchClasses {
		if class == "similar" {
			first := researchCalls(c, class, 1, jitWarmupSeed)[0]
			t0 := time.Now()
			if _, err := first(ctx, ix); err != nil {
				return nil, fmt.Errorf("similar: %w", err)
			}
			res.SimilarFirstMS = round3(float64(time.Since(t0).Microseconds()) / 1000)
		}
		for _, call := range researchCalls(c, class, warmup, warmupSeed) {
			_, _ = call(ctx, ix)
		}
		lat := make([]float64, 0, n)
		var hits, errs int
		var firstErr error
		for _, call := range researchCalls(c, class, n, querySeed) {
			t0 := time.Now()
			k, err := call(ctx, ix)
			lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
			if err != nil {
				errs++
				firstErr = err
			}
			hits += k
		}
		if errs > 0 {
			return nil, fmt.Errorf("%s: %d of %d calls failed: %w", class, errs, n, firstErr)
		}
		st := percentiles(lat)
		st.MeanHits = float64(hits) / float64(max(1, n))
		res.Classes[class] = st
	}
	res.RegionTimelineVsFaceted = ratio(res.Classes["region_timeline"].P99, res.Classes["faceted_base"].P99)
	res.GroupedVsUngrouped = ratio(res.Classes["grouped"].P99, res.Classes["ungrouped"].P99)
	return res, nil
}
