package search

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// forward lists, per live passage, the facet values it holds (as value
// numbers: the values of fx.values, facet after facet, in Facets order),
// so that counting visits the hits rather than every value's passages. The
// lists are in the pageIndex's order (page after page): the passage at
// order[i] holds vals[start[i]:start[i+1]].
type forward struct {
	start   []uint32
	vals    []uint16
	facetOf []uint8 // value number → index in Facets
	first   []int   // index in Facets → its first value number
}

// buildForward fills fx.fwd from the value bitmaps; it leaves it nil when
// there are too many values to number in 16 bits.
func (fx *facetIndex) buildForward() {
	n := len(fx.order)
	fw := &forward{start: make([]uint32, n+1), first: make([]int, len(Facets))}
	at := func(d uint32) (uint32, bool) {
		if int(d) >= len(fx.pos) || fx.pos[d] == noPos {
			return 0, false
		}
		return fx.pos[d], true
	}
	for fi, f := range Facets {
		fw.first[fi] = len(fw.facetOf)
		for _, v := range fx.values[f] {
			fw.facetOf = append(fw.facetOf, uint8(fi))
			v.docs.Iterate(func(d uint32) bool {
				if i, ok := at(d); ok {
					fw.start[i+1]++
				}
				return true
			})
		}
	}
	if len(fw.facetOf) > 1<<16 {
		return
	}
	for i := range n {
		fw.start[i+1] += fw.start[i]
	}
	fw.vals = make([]uint16, fw.start[n])
	next := append([]uint32(nil), fw.start[:n]...)
	id := 0
	for _, f := range Facets {
		for _, v := range fx.values[f] {
			v.docs.Iterate(func(d uint32) bool {
				if i, ok := at(d); ok {
					fw.vals[next[i]] = uint16(id)
					next[i]++
				}
				return true
			})
			id++
		}
	}
	fx.fwd = fw
}

// marked is the places in fx.order of the live passages of set, as a
// bitset: visiting them in that order reads the forward lists straight
// through, and brings each page's passages together.
func (fx *facetIndex) marked(set *roaring.Bitmap) []uint64 {
	bs := make([]uint64, (len(fx.order)+63)/64)
	buf := make([]uint32, 256)
	it := set.ManyIterator()
	for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
		for _, d := range buf[:k] {
			if int(d) < len(fx.pos) {
				if i := fx.pos[d]; i != noPos {
					bs[i/64] |= 1 << (i % 64)
				}
			}
		}
	}
	return bs
}

// browseCounts is the facet counts over every passage, counted once.
func (fx *facetIndex) browseCounts() map[string][]FacetValue {
	fx.browseOnce.Do(func() { fx.browse = countFacets(fx, fx.all, nil) })
	return fx.browse
}

// countFacets counts, for every facet, its values over the matches set,
// disjunctively: a facet with a selection (sel) is counted over the matches
// that pass every other facet's selection, the others over the matches
// that pass them all. Values with no match are left out.
func countFacets(fx *facetIndex, set *roaring.Bitmap, sel map[string]*roaring.Bitmap) map[string][]FacetValue {
	if fx.fwd == nil || len(sel) > 16 {
		return countByBitmaps(fx, set, sel)
	}
	fw := fx.fwd
	sfs := selections(sel)
	// Only the matches that miss at most one selection count anywhere.
	if len(sfs) > 1 {
		var parts []*roaring.Bitmap
		for j := range sfs {
			sets := []*roaring.Bitmap{set}
			for i, s := range sfs {
				if i != j {
					sets = append(sets, s.docs)
				}
			}
			parts = append(parts, roaring.FastAnd(sets...))
		}
		set = roaring.FastOr(parts...)
	}
	counts := make([]int32, len(fw.facetOf))
	for w, word := range fx.marked(set) {
		for word != 0 {
			i := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			only, ok := countsFor(sfs, fx.order[i])
			if !ok {
				continue
			}
			for _, v := range fw.vals[fw.start[i]:fw.start[i+1]] {
				if only < 0 || int(fw.facetOf[v]) == only {
					counts[v]++
				}
			}
		}
	}
	return countLists(fx, counts)
}

// selFacet is a facet with a selection: its index in Facets and the
// passages its selection lets through.
type selFacet struct {
	fi   int
	docs *roaring.Bitmap
}

// selections lists the facets of sel in Facets order.
func selections(sel map[string]*roaring.Bitmap) []selFacet {
	var sfs []selFacet
	for fi, f := range Facets {
		if bm, ok := sel[f]; ok {
			sfs = append(sfs, selFacet{fi, bm})
		}
	}
	return sfs
}

// countsFor tells which facets' values of passage d are counted: every
// facet's (only -1) when d passes every selection, only the facet of the one
// selection it misses, or none (ok false) when it misses two or more.
func countsFor(sfs []selFacet, d uint32) (only int, ok bool) {
	mask, all := uint32(0), uint32(1)<<len(sfs)-1
	for j, s := range sfs {
		if s.docs.Contains(d) {
			mask |= 1 << j
		}
	}
	if mask == all {
		return -1, true
	}
	missing := all &^ mask
	if missing&(missing-1) != 0 {
		return 0, false
	}
	return sfs[bits.TrailingZeros32(missing)].fi, true
}

// passing is the matches in set that pass every selection of sel but
// skip's (the facet whose own values are counted disjunctively).
func passing(set *roaring.Bitmap, sel map[string]*roaring.Bitmap, skip string) *roaring.Bitmap {
	sets := []*roaring.Bitmap{set}
	for f, bm := range sel {
		if f != skip {
			sets = append(sets, bm)
		}
	}
	if len(sets) == 1 {
		return set
	}
	return roaring.FastAnd(sets...)
}

// countValues counts each facet's values with count(b, docs): b the matches
// passing the selections that apply to that facet, docs a value's passages.
func countValues(fx *facetIndex, set *roaring.Bitmap, sel map[string]*roaring.Bitmap, count func(b, docs *roaring.Bitmap) int) map[string][]FacetValue {
	all := passing(set, sel, "")
	out := make(map[string][]FacetValue, len(Facets))
	for _, f := range Facets {
		b := all
		if _, ok := sel[f]; ok {
			b = passing(set, sel, f)
		}
		if b.IsEmpty() {
			continue
		}
		var list []FacetValue
		for _, v := range fx.values[f] {
			if n := count(b, v.docs); n > 0 {
				list = append(list, FacetValue{Value: v.value, Count: n})
			}
		}
		if list != nil {
			out[f] = list
		}
	}
	return out
}

// countByBitmaps is countFacets by intersecting each value's bitmap with
// the matches.
func countByBitmaps(fx *facetIndex, set *roaring.Bitmap, sel map[string]*roaring.Bitmap) map[string][]FacetValue {
	return countValues(fx, set, sel, func(b, docs *roaring.Bitmap) int { return int(b.AndCardinality(docs)) })
}

// facets builds the facet lists from the counts of each facet's values.
// Each list holds the top size values by count, then value, plus every
// selected value (count 0 when absent); others is the number of values not
// listed.
func facets(counts map[string][]FacetValue, selected map[string][]string, size int) (map[string][]FacetValue, map[string]int) {
	out := make(map[string][]FacetValue, len(Facets))
	others := make(map[string]int, len(Facets))
	for _, f := range Facets {
		if f == FacetPublishedYear {
			// The timeline: every year, in year order.
			out[f], others[f] = publishedYears(counts[f], selected[f]), 0
			continue
		}
		all := sortedValues(slices.Clone(counts[f])) // counts may be shared (browseCounts)
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

// browsePageCounts is the facet counts in pages over every passage, counted
// once.
func (fx *facetIndex) browsePageCounts() map[string][]FacetValue {
	fx.pageOnce.Do(func() { fx.pageCount = countPages(fx, fx.all, nil) })
	return fx.pageCount
}

// countPages is countFacets in pages: a value counts a page once when any
// of the page's matches in set that pass the selections (all of them, or
// all but that value's facet's own) carries it. As Lucene's grouping
// collectors count distinct group ordinals, the matches are visited in the
// pageIndex's order, where each page's passages are one run, so that a
// value counted for the page is stamped with it: neither a page's other
// passages nor the match set are looked up.
func countPages(fx *facetIndex, set *roaring.Bitmap, sel map[string]*roaring.Bitmap) map[string][]FacetValue {
	if fx.fwd == nil {
		return countPagesByBitmaps(fx, set, sel)
	}
	fw := fx.fwd
	sfs := selections(sel)
	if len(sfs) > 16 {
		return countPagesByBitmaps(fx, set, sel)
	}
	counts := make([]int32, len(fw.facetOf))
	stamp := make([]uint32, len(fw.facetOf)) // page + 1 a value was last counted for
	paged := len(fx.pageDocs)
	p := 0 // the page of place i: pageStart[p] <= i < pageStart[p+1]
	for w, word := range fx.marked(set) {
		for word != 0 {
			i := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			only, ok := countsFor(sfs, fx.order[i])
			if !ok {
				continue
			}
			mark := uint32(0) // a passage without a page is a page of its own
			if i < paged {
				for int(fx.pageStart[p+1]) <= i {
					p++
				}
				mark = uint32(p) + 1
			}
			for _, v := range fw.vals[fw.start[i]:fw.start[i+1]] {
				if only >= 0 && int(fw.facetOf[v]) != only {
					continue
				}
				if mark != 0 {
					if stamp[v] == mark {
						continue
					}
					stamp[v] = mark
				}
				counts[v]++
			}
		}
	}
	return countLists(fx, counts)
}

// countPagesByBitmaps is countPages by intersecting each value's bitmap
// with the matches and counting the distinct pages of the result.
func countPagesByBitmaps(fx *facetIndex, set *roaring.Bitmap, sel map[string]*roaring.Bitmap) map[string][]FacetValue {
	return countValues(fx, set, sel, func(b, docs *roaring.Bitmap) int {
		pages := map[uint32]bool{}
		n := 0
		roaring.And(b, docs).Iterate(func(d uint32) bool {
			if p := fx.page(d); p == noPage {
				n++
			} else if !pages[p] {
				pages[p] = true
				n++
			}
			return true
		})
		return n
	})
}

// byYear is the values of a year facet in year order (their terms, four
// digits, sort as the years do).
func byYear(vals []FacetValue) []FacetValue {
	out := slices.Clone(vals)
	slices.SortFunc(out, func(a, b FacetValue) int { return strings.Compare(a.Value, b.Value) })
	return out
}

// regionCountries sets, on each value of the region facet, the countries
// of that region among the country counts, by count then name.
func regionCountries(fx *facetIndex, lists map[string][]FacetValue, countries []FacetValue, selected []string) {
	if len(fx.regionCountries) == 0 {
		return
	}
	count := make(map[string]int, len(countries))
	for _, c := range countries {
		count[c.Value] = c.Count
	}
	for i, r := range lists[FacetRegion] {
		list := []FacetValue{}
		for _, c := range fx.countriesOf(r.Value) {
			n, ok := count[c]
			sel := slices.Contains(selected, c)
			if ok || sel {
				list = append(list, FacetValue{Value: c, Count: n, Selected: sel})
			}
		}
		lists[FacetRegion][i].Countries = sortedValues(list)
	}
}

// publishedYears is the published_year facet: every year with a hit, in
// year order, and every selected year (count 0 when absent).
func publishedYears(counts []FacetValue, selected []string) []FacetValue {
	out := byYear(counts)
	for i := range out {
		out[i].Selected = slices.Contains(selected, out[i].Value)
	}
	for _, v := range selected {
		if !slices.ContainsFunc(out, func(f FacetValue) bool { return f.Value == v }) {
			out = append(out, FacetValue{Value: v, Selected: true})
		}
	}
	return byYear(out)
}

// countLists turns counts by forward value number into each facet's
// values with a count (countFacets and countPages share it).
func countLists(fx *facetIndex, counts []int32) map[string][]FacetValue {
	fw := fx.fwd
	out := make(map[string][]FacetValue, len(Facets))
	for fi, f := range Facets {
		var list []FacetValue
		for i, v := range fx.values[f] {
			if c := counts[fw.first[fi]+i]; c > 0 {
				list = append(list, FacetValue{Value: v.value, Count: int(c)})
			}
		}
		if list != nil {
			out[f] = list
		}
	}
	return out
}
