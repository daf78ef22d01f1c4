package search

import (
	"sort"

	"github.com/blevesearch/bleve/v2"
)

// facetScan is how many values per facet bleve is asked for, so that the
// number of values not listed can be told; beyond it, values are not seen.
const facetScan = 1000

// facets builds the facet lists from the search results: a facet with a
// selection comes from its own search (every filter but its own), the
// others from the main search ("" key). Each list holds the top size values
// by count, then value, plus every selected value (count 0 when absent).
func facets(results map[string]*bleve.SearchResult, selected map[string][]string, size int) (map[string][]FacetValue, map[string]int) {
	out := make(map[string][]FacetValue, len(Facets))
	others := make(map[string]int, len(Facets))
	for _, f := range Facets {
		res := results[f]
		if res == nil {
			res = results[""]
		}
		var all []FacetValue
		if fr := res.Facets[f]; fr != nil {
			for _, t := range fr.Terms.Terms() {
				all = append(all, FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		sort.SliceStable(all, func(i, j int) bool {
			if all[i].Count != all[j].Count {
				return all[i].Count > all[j].Count
			}
			return all[i].Value < all[j].Value
		})
		sel := map[string]bool{}
		for _, v := range selected[f] {
			sel[v] = true
		}
		list := make([]FacetValue, 0, size+len(sel))
		listed := map[string]bool{}
		for i, v := range all {
			if i < size || sel[v.Value] {
				v.Selected = sel[v.Value]
				list = append(list, v)
				listed[v.Value] = true
			}
		}
		for _, v := range selected[f] {
			if !listed[v] {
				list = append(list, FacetValue{Value: v, Count: 0, Selected: true})
				listed[v] = true
			}
		}
		out[f] = list
		n := 0
		for _, v := range all {
			if !listed[v.Value] {
				n++
			}
		}
		others[f] = n
	}
	return out, others
}
