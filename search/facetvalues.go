package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
)

// Search within a facet's values: the values of one facet that a prefix
// names, with the counts the search's facets give them. bleve's own facet
// prefix filter (FacetRequest.SetPrefixFilter, bleve ≥ 2.5.6) matches the
// bytes at the start of the whole term, in its case, and counts by
// visiting every hit's doc values; a researcher types "gua" for Guatemala
// and "unod" for the United Nations Office on Drugs and Crime, so the
// values are matched here, from the facet index's list of them (a few
// hundred at most), by any word, folded to lower-case ASCII, or by an
// alias, and counted from its bitmaps like the search's facets.

// MaxFacetValues bounds the values one facet value search returns.
const MaxFacetValues = 200

// FacetValues is the answer of a facet value search.
type FacetValues struct {
	Facet string `json:"facet"`
	// Values are the matching values with a hit, by count then value;
	// selected values always come along (count 0 when absent).
	Values []FacetValue `json:"values"`
	// TotalValues is the number of values that match, listed or not.
	TotalValues int `json:"total_values"`
}

// FacetValueQuery asks for the values of Facet starting with Prefix (any
// word of the value, or an alias; "" lists every value), at most Size of
// them (0: 20).
type FacetValueQuery struct {
	Facet  string
	Prefix string
	Size   int
}

// foldKey is s in lower-case ASCII, accents dropped.
func foldKey(s string) string {
	return strings.ToLower(string(asciifolding.New().Filter([]byte(s))))
}

// words splits a folded value into its words.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// foldedWords memoises, for a facet value or an alias, its folded form
// then its words ([]string): a facet value search compares the prefix
// with every alias of the facet, and folding them anew each time was a
// fifth of its cost. Its keys are the vocabulary's aliases and the facet
// values of the indexes opened: a bounded set.
var foldedWords sync.Map

// prefixMatch reports whether any word of value (folded), or the value
// as a whole, starts with prefix (folded).
func prefixMatch(value, prefix string) bool {
	var ws []string
	if m, ok := foldedWords.Load(value); ok {
		ws = m.([]string)
	} else {
		v := foldKey(value)
		ws = append([]string{v}, words(v)...)
		foldedWords.Store(value, ws)
	}
	for _, w := range ws {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

// checkFacetValueQuery validates fq. Errors wrap ErrBadFilter.
func (e *Engine) checkFacetValueQuery(fq *FacetValueQuery) error {
	if !isFacet(fq.Facet) {
		return fmt.Errorf("%w: unknown facet %q (one of %s)", ErrBadFilter, fq.Facet, strings.Join(Facets, ", "))
	}
	if fq.Size == 0 {
		fq.Size = 20
	}
	if fq.Size < 1 || fq.Size > MaxFacetValues {
		return fmt.Errorf("%w: size must be between 1 and %d", ErrBadFilter, MaxFacetValues)
	}
	if len(fq.Prefix) > 100 {
		return fmt.Errorf("%w: prefix is too long (at most 100 bytes)", ErrBadFilter)
	}
	return nil
}

// facetValues answers fq for the search of p on bi: the counts of fq's
// facet over the matches of p, as its search counts them (disjunctively,
// in pages when grouped, relaxed when its search relaxes), filtered by
// the prefix.
//
// Only what those counts need is gathered and counted: the values the
// prefix names (and the countries, for the region facet's), intersected
// one by one with the matches, and the matches only among the passages
// that pass the other facets' selections and the year range (and, when
// the facet has a selection of its own, among the passages of the values
// named and of that selection, which is all the search's total reads).
// Gathering every match and counting every facet, as the search does, made
// the tail of a facet value search.
func (e *Engine) facetValues(ctx context.Context, bi bleve.Index, p *Plan, fq FacetValueQuery) (*FacetValues, error) {
	if err := e.checkFacetValueQuery(&fq); err != nil {
		return nil, err
	}
	ctx, cancel := e.bounded(ctx)
	defer cancel()
	prefix := strings.TrimSpace(foldKey(fq.Prefix))
	aliased := map[string]bool{} // values an alias starting with the prefix names
	if prefix != "" {
		for alias, v := range e.th.aliases[fq.Facet] {
			if prefixMatch(alias, prefix) {
				aliased[v] = true
			}
		}
	}
	named := func(fx *facetIndex) []valueDocs {
		var out []valueDocs
		for _, v := range fx.values[fq.Facet] {
			if prefix == "" || aliased[v.value] || prefixMatch(v.value, prefix) {
				out = append(out, v)
			}
		}
		return out
	}
	// Facets counted here, whose selections the gathered matches must not
	// apply: the region facet lists its countries' counts too.
	own := map[string]bool{fq.Facet: true}
	if fq.Facet == FacetRegion {
		own[FacetCountry] = true
	}
	within := func(fx *facetIndex, r *resolvedFilter) *roaring.Bitmap {
		var sets []*roaring.Bitmap
		if r.years != nil {
			sets = append(sets, r.years)
		}
		for f, bm := range r.sets {
			if !own[f] {
				sets = append(sets, bm)
			}
		}
		if sel, ok := r.sets[fq.Facet]; ok && len(own) == 1 && prefix != "" {
			u := []*roaring.Bitmap{sel}
			for _, v := range named(fx) {
				u = append(u, v.docs)
			}
			sets = append(sets, roaring.FastOr(u...))
		}
		return intersect(sets)
	}
	type counted struct {
		values    []FacetValue // fq.Facet's named values with a match
		countries []FacetValue // for the region facet
		selected  map[string][]string
		fx        *facetIndex
	}
	out, _, _, err := relax(p, func(p *Plan) (*counted, int, error) {
		fx, set, err := e.matchesWithin(ctx, bi, p, within)
		if err != nil {
			return nil, 0, err
		}
		flt := p.filter.on(fx)
		total := int(set.GetCardinality())
		if flt.docs != nil {
			total = int(set.AndCardinality(flt.docs))
		}
		sel := map[string]*roaring.Bitmap{}
		for f := range own {
			if bm, ok := flt.sets[f]; ok {
				sel[f] = bm
			}
		}
		c := &counted{selected: flt.selected, fx: fx}
		c.values = countOne(fx, passing(set, sel, fq.Facet), named(fx), p.group)
		if fq.Facet == FacetRegion {
			c.countries = countOne(fx, passing(set, sel, FacetCountry), fx.values[FacetCountry], p.group)
		}
		return c, total, nil
	}, nil)
	if err != nil {
		return nil, err
	}
	res := &FacetValues{Facet: fq.Facet, Values: []FacetValue{}}
	var matched []FacetValue
	selected := out.selected[fq.Facet]
	for _, v := range out.values {
		v.Selected = slices.Contains(selected, v.Value)
		matched = append(matched, v)
	}
	if fq.Facet == FacetPublishedYear || fq.Facet == FacetYear {
		matched = byYear(matched)
		slices.Reverse(matched) // newest first
	} else {
		matched = sortedValues(matched)
	}
	res.TotalValues = len(matched)
	for i, v := range matched {
		if i < fq.Size || v.Selected {
			res.Values = append(res.Values, v)
		}
	}
	for _, s := range selected {
		if !slices.ContainsFunc(res.Values, func(v FacetValue) bool { return v.Value == s }) &&
			(prefix == "" || prefixMatch(s, prefix)) {
			res.Values = append(res.Values, FacetValue{Value: s, Selected: true})
		}
	}
	if fq.Facet == FacetRegion {
		regionCountries(out.fx, map[string][]FacetValue{FacetRegion: res.Values}, out.countries, out.selected[FacetCountry])
	}
	return res, nil
}

// countOne counts values over the matches b (in pages when pages is set),
// leaving out those with none, in the order given.
func countOne(fx *facetIndex, b *roaring.Bitmap, values []valueDocs, pages bool) []FacetValue {
	var out []FacetValue
	var stamp []uint32 // page → value + 1 it was last counted for
	if pages {
		stamp = make([]uint32, len(fx.pageStart))
	}
	for i, v := range values {
		var n int
		if !pages {
			n = int(b.AndCardinality(v.docs))
		} else {
			roaring.And(b, v.docs).Iterate(func(d uint32) bool {
				if p := fx.page(d); p == noPage {
					n++
				} else if stamp[p] != uint32(i+1) {
					stamp[p] = uint32(i + 1)
					n++
				}
				return true
			})
		}
		if n > 0 {
			out = append(out, FacetValue{Value: v.value, Count: n})
		}
	}
	return out
}

// matchesWithin finds the passages p's words match among those within
// gives (every passage when it gives nil), and the facet index of the
// snapshot read.
func (e *Engine) matchesWithin(ctx context.Context, bi bleve.Index, p *Plan, within func(*facetIndex, *resolvedFilter) *roaring.Bitmap) (*facetIndex, *roaring.Bitmap, error) {
	text, _, err := e.queries(ctx, bi, p)
	if err != nil {
		return nil, nil, err
	}
	if text == nil {
		// Every passage of the snapshot: no search needed.
		fx, err := warmFacets(bi)
		if err != nil {
			return nil, nil, e.searchErr(ctx, err)
		}
		if bm := within(fx, p.filter.on(fx)); bm != nil {
			return fx, bm, nil
		}
		return fx, fx.all, nil
	}
	hs := &hitSet{collect: true}
	req := bleve.NewSearchRequestOptions(&filteredQuery{inner: text, filter: p.filter, within: within}, 0, 0, false)
	req.Score = bleve.ScoreNone
	if _, err := bi.SearchInContext(hs.context(ctx), req); err != nil {
		return nil, nil, e.searchErr(ctx, err)
	}
	if hs.fx == nil {
		return nil, nil, fmt.Errorf("%w: no index to count from", ErrUnavailable)
	}
	return hs.fx, hs.docs, nil
}

// FacetValues answers fq for the search of a plan this index compiled:
// the values of fq.Facet that fq.Prefix names, counted over the plan's
// matches as its search's facets are. Errors wrap ErrBadFilter (unknown
// facet, bad size), ErrTimeout or ErrUnavailable.
func (ix *Index) FacetValues(ctx context.Context, p *Plan, fq FacetValueQuery) (*FacetValues, error) {
	if p.ix != ix {
		return nil, errForeignPlan
	}
	return ix.eng.facetValues(ctx, ix.bi, p, fq)
}

// FacetValues answers fq for the search of a plan l compiled, on the
// generation the plan holds (see Index.FacetValues).
func (l *Live) FacetValues(ctx context.Context, p *Plan, fq FacetValueQuery) (*FacetValues, error) {
	if p.live != l {
		return nil, errForeignPlan
	}
	return p.ix.FacetValues(ctx, p, fq)
}
