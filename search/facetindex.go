package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"
)

// facetIndex holds, for one index snapshot, the passages of every facet
// value as a bitmap of bleve's internal document numbers, and every live
// passage. Facet counts are then intersections of bitmaps with the set of
// hits, and filters are bitmaps, instead of a walk over each hit's doc
// values. A snapshot never changes, so neither does its facetIndex: a
// read-only generation builds it once, when it is opened.
type facetIndex struct {
	*pageIndex                                       // every live passage and the pages
	values     map[string][]valueDocs                // facet → values, in term order
	docs       map[string]map[string]*roaring.Bitmap // facet → value → passages
	lower      map[string]map[string]string          // facet → lower-case value → value
	// browseKeys holds, for document number n, the 4 bytes at 4n that
	// sort it in browse order: newest first, then by title, then by id.
	browseKeys string
	fwd        *forward // nil: count by bitmaps
	browseOnce sync.Once
	browse     map[string][]FacetValue // counts over every passage

	// regionCountries maps a region to its countries (Vocabulary.Regions);
	// the passages of a region value include those of its countries.
	regionCountries map[string][]string
	pageOnce        sync.Once
	pageCount       map[string][]FacetValue // counts in pages over every passage

	// textDF is the document frequency of the text terms Similar can
	// weigh (termDocFreqs), read once dfDone is closed.
	dfOnce sync.Once
	dfDone chan struct{}
	textDF map[string]uint32
	dfErr  error
}

// noPage is the page number of a passage without a page URL.
const noPage = math.MaxUint32

// valueDocs is one facet value and its passages.
type valueDocs struct {
	value string
	docs  *roaring.Bitmap
}

// docNum is the document number of an internal id (scorch: 8 bytes, big endian).
func docNum(id index.IndexInternalID) uint32 { return uint32(id.Value()) }

// buildFacetIndex reads the postings of every facet value of r.
func buildFacetIndex(r index.IndexReader) (*facetIndex, error) {
	px, err := pageIndexOf(r)
	if err != nil {
		return nil, err
	}
	fx := &facetIndex{
		pageIndex: px,
		values:    map[string][]valueDocs{},
		docs:      map[string]map[string]*roaring.Bitmap{},
		lower:     map[string]map[string]string{},
	}
	for _, f := range indexedFacets {
		vals, err := facetPostings(r, f)
		if err != nil {
			return nil, err
		}
		fx.values[f] = vals
	}
	if err := fx.readRegions(r); err != nil {
		return nil, err
	}
	fx.expandRegions()
	pubYears, err := fx.readOrders(r)
	if err != nil {
		return nil, err
	}
	fx.values[FacetPublishedYear] = pubYears
	for _, f := range Facets {
		vals := fx.values[f]
		fx.docs[f] = make(map[string]*roaring.Bitmap, len(vals))
		fx.lower[f] = make(map[string]string, len(vals))
		for _, v := range vals {
			fx.docs[f][v.value] = v.docs
			if _, ok := fx.lower[f][strings.ToLower(v.value)]; !ok {
				fx.lower[f][strings.ToLower(v.value)] = v.value
			}
		}
	}
	fx.buildForward()
	return fx, nil
}

// readRegions reads the region hierarchy of the vocabulary stored with the
// index (none in an index without one).
func (fx *facetIndex) readRegions(r index.IndexReader) error {
	raw, err := r.GetInternal(keyVocabulary)
	if err != nil {
		return fmt.Errorf("facet index: read vocabulary: %w", err)
	}
	if len(raw) == 0 {
		return nil
	}
	var voc struct {
		Regions map[string][]string `json:"regions"`
	}
	if err := json.Unmarshal(raw, &voc); err != nil {
		return fmt.Errorf("facet index: decode vocabulary: %w", err)
	}
	fx.regionCountries = voc.Regions
	return nil
}

// expandRegions adds to each region value the passages of its countries,
// so that selecting a region selects them and its count counts them; a
// region none of whose passages is tagged with it becomes a value when its
// countries have passages.
func (fx *facetIndex) expandRegions() {
	if len(fx.regionCountries) == 0 {
		return
	}
	countries := map[string]*roaring.Bitmap{}
	for _, v := range fx.values[FacetCountry] {
		countries[v.value] = v.docs
	}
	byName := map[string]int{}
	for i, v := range fx.values[FacetRegion] {
		byName[v.value] = i
	}
	for region, members := range fx.regionCountries {
		sets := []*roaring.Bitmap{}
		if i, ok := byName[region]; ok {
			sets = append(sets, fx.values[FacetRegion][i].docs)
		}
		for _, c := range members {
			if bm := countries[c]; bm != nil {
				sets = append(sets, bm)
			}
		}
		if len(sets) == 0 {
			continue
		}
		u := roaring.FastOr(sets...)
		u.RunOptimize()
		if i, ok := byName[region]; ok {
			fx.values[FacetRegion][i].docs = u
		} else {
			fx.values[FacetRegion] = append(fx.values[FacetRegion], valueDocs{value: region, docs: u})
		}
	}
	slices.SortFunc(fx.values[FacetRegion], func(a, b valueDocs) int { return strings.Compare(a.value, b.value) })
}

// Countries returns the countries of region in the vocabulary's hierarchy.
func (fx *facetIndex) countriesOf(region string) []string { return fx.regionCountries[region] }

// readOrders fills browseKeys in one sequential pass
// over the doc values of the publication date and the title key (the
// browse order: newest first, then by title key, then by id; a missing
// date or title sorts last, as in bleve's sort), and returns the passages
// of each publication year (the published_year facet), in term order.
func (fx *facetIndex) readOrders(r index.IndexReader) ([]valueDocs, error) {
	docs := fx.all.ToArray()
	n := 0
	if len(docs) > 0 {
		n = int(docs[len(docs)-1]) + 1
	}
	pub := make([]string, n)
	title := make([]string, n)
	hasTitle := make([]bool, n)
	ids := make([]string, n)
	dvr, err := r.DocValueReader([]string{fieldPublished, fieldTitleKey})
	if err != nil {
		return nil, fmt.Errorf("sort orders: %w", err)
	}
	for _, k := range docs {
		id := index.NewIndexInternalID(nil, uint64(k))
		err := dvr.VisitDocValues(id, func(field string, term []byte) {
			switch {
			case field == fieldTitleKey:
				title[k], hasTitle[k] = string(term), true
			case field == fieldPublished && len(term) > 0 && term[0] == numeric.ShiftStartInt64:
				pub[k] = string(term)
			}
		})
		if err == nil {
			ids[k], err = r.ExternalID(id)
		}
		if err != nil {
			return nil, fmt.Errorf("sort orders: %w", err)
		}
	}
	years := map[int]*roaring.Bitmap{}
	for _, k := range docs {
		if pub[k] == "" {
			continue
		}
		ns, err := numeric.PrefixCoded(pub[k]).Int64()
		if err != nil {
			continue
		}
		y := time.Unix(0, ns).UTC().Year()
		if years[y] == nil {
			years[y] = roaring.New()
		}
		years[y].Add(k)
	}
	var pubYears []valueDocs
	for _, y := range slices.Sorted(maps.Keys(years)) {
		years[y].RunOptimize()
		pubYears = append(pubYears, valueDocs{value: yearTerm(y), docs: years[y]})
	}
	// Dates: prefix-coded terms sort as the dates do.
	var dates []string
	for _, k := range docs {
		if pub[k] != "" {
			dates = append(dates, pub[k])
		}
	}
	slices.Sort(dates)
	dates = slices.Compact(dates)
	nd := len(dates)
	dateKeys := make([]string, nd+1)
	for i := range nd {
		var key [4]byte
		binary.BigEndian.PutUint32(key[:], uint32(nd-1-i))
		dateKeys[i] = string(key[:])
	}
	dateKeys[nd] = undatedKey
	dateOf := make([]uint32, n)
	dateKey := func(k uint32) string { return dateKeys[dateOf[k]] }
	for k := range dateOf {
		dateOf[k] = uint32(nd)
		if pub[k] != "" {
			i, _ := slices.BinarySearch(dates, pub[k])
			dateOf[k] = uint32(i)
		}
	}
	sort.Slice(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		if ka, kb := dateKey(a), dateKey(b); ka != kb {
			return ka < kb
		}
		if hasTitle[a] != hasTitle[b] {
			return hasTitle[a]
		}
		if title[a] != title[b] {
			return title[a] < title[b]
		}
		return ids[a] < ids[b]
	})
	keys := make([]byte, 4*n)
	for i := range n {
		binary.BigEndian.PutUint32(keys[4*i:], math.MaxUint32) // not a live document
	}
	for rank, k := range docs {
		binary.BigEndian.PutUint32(keys[4*k:], uint32(rank))
	}
	fx.browseKeys = string(keys)
	return pubYears, nil
}

// browseKey is the browse sort key of document number n.
func (fx *facetIndex) browseKey(n uint32) string {
	if i := 4 * int(n); i+4 <= len(fx.browseKeys) {
		return fx.browseKeys[i : i+4]
	}
	return undatedKey
}

// browseRank is browseKey as a number: the same order among live
// passages (any other document is last, as undatedKey sorts).
func (fx *facetIndex) browseRank(n uint32) uint32 {
	if i := 4 * int(n); i+4 <= len(fx.browseKeys) {
		k := fx.browseKeys[i : i+4]
		return uint32(k[0])<<24 | uint32(k[1])<<16 | uint32(k[2])<<8 | uint32(k[3])
	}
	return math.MaxUint32
}

// undatedKey sorts after every date key.
const undatedKey = "\xff\xff\xff\xff\xff"

// facetPostings lists the values of facet field f with their live
// passages, in term order: segment by segment on a scorch snapshot
// (segmentPostings), else through the reader's term dictionary.
func facetPostings(r index.IndexReader, f string) ([]valueDocs, error) {
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return segmentPostings(snap, f)
	}
	return readerPostings(r, f)
}

// segmentPostings is facetPostings read in each segment's own dictionary:
// a term's postings are looked up only in the segments that hold it, where
// the snapshot's term reader looks each term up in every segment (for the
// tens of thousands of page URLs, most of the cost of opening an earlier
// generation for Changes).
func segmentPostings(snap *scorch.IndexSnapshot, f string) ([]valueDocs, error) {
	byTerm := map[string]*roaring.Bitmap{}
	var base uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		offset := base
		base += seg.Count() // deleted included, as scorch numbers documents
		dict, err := seg.Dictionary(f)
		if err != nil {
			return nil, fmt.Errorf("facet index %s: %w", f, err)
		}
		terms := dict.AutomatonIterator(nil, nil, nil)
		for {
			e, err := terms.Next()
			if err != nil {
				return nil, fmt.Errorf("facet index %s: %w", f, err)
			}
			if e == nil {
				break
			}
			pl, err := dict.PostingsList([]byte(e.Term), ss.Deleted(), nil)
			if err != nil {
				return nil, fmt.Errorf("facet index %s: %w", f, err)
			}
			bm := byTerm[e.Term]
			if bm == nil {
				bm = roaring.New()
				byTerm[e.Term] = bm
			}
			it := pl.Iterator(false, false, false, nil)
			for {
				p, err := it.Next()
				if err != nil {
					return nil, fmt.Errorf("facet index %s: %w", f, err)
				}
				if p == nil {
					break
				}
				bm.Add(uint32(offset + p.Number()))
			}
		}
	}
	out := make([]valueDocs, 0, len(byTerm))
	for _, t := range slices.Sorted(maps.Keys(byTerm)) {
		if bm := byTerm[t]; !bm.IsEmpty() {
			bm.RunOptimize()
			out = append(out, valueDocs{value: t, docs: bm})
		}
	}
	return out, nil
}

// readerPostings is facetPostings through any index reader.
func readerPostings(r index.IndexReader, f string) ([]valueDocs, error) {
	dict, err := r.FieldDict(f)
	if err != nil {
		return nil, fmt.Errorf("facet index %s: %w", f, err)
	}
	defer func() { _ = dict.Close() }()
	var out []valueDocs
	var tfd index.TermFieldDoc
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("facet index %s: %w", f, err)
		}
		if e == nil {
			break
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), f, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("facet index %s: %w", f, err)
		}
		bm := roaring.New()
		for {
			d, err := tfr.Next(&tfd)
			if err != nil {
				_ = tfr.Close()
				return nil, fmt.Errorf("facet index %s: %w", f, err)
			}
			if d == nil {
				break
			}
			bm.Add(docNum(d.ID))
		}
		_ = tfr.Close()
		if !bm.IsEmpty() {
			bm.RunOptimize()
			out = append(out, valueDocs{value: e.Term, docs: bm})
		}
	}
	return out, nil
}

// resolve maps a filter value to the value the index holds: a year to its
// term, an alias of the vocabulary to its display name, else a value equal
// but for case, else the value as given (which then matches nothing).
func (fx *facetIndex) resolve(th *thesaurus, facet, value string) string {
	value, known := resolveKnown(th, facet, value)
	if known {
		return value
	}
	if _, ok := fx.docs[facet][value]; ok {
		return value
	}
	if v, ok := fx.lower[facet][strings.ToLower(value)]; ok {
		return v
	}
	return value
}

// years is the union of the passages of the years from..to (0: unbounded),
// or nil when neither bound is set.
func (fx *facetIndex) years(from, to int) *roaring.Bitmap {
	if from == 0 && to == 0 {
		return nil
	}
	var sets []*roaring.Bitmap
	for _, v := range fx.values[FacetYear] {
		y, err := strconv.Atoi(v.value)
		if err != nil || (from > 0 && y < from) || (to > 0 && y > to) {
			continue
		}
		sets = append(sets, v.docs)
	}
	if len(sets) == 0 {
		return roaring.New()
	}
	return roaring.FastOr(sets...)
}

// facetCache holds the facetIndex of each scorch snapshot still in memory,
// pageCache its pageIndex (built alone for Changes).
var (
	facetCache snapCache[*facetIndex]
	pageCache  snapCache[*pageIndex]
)

// facetIndexOf returns the facetIndex of r, building it on first use (once
// per snapshot).
func facetIndexOf(r index.IndexReader) (*facetIndex, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return buildFacetIndex(r)
	}
	return facetCache.get(snap, func() (*facetIndex, error) { return buildFacetIndex(r) })
}

// warmFacets builds the facetIndex of bi's current snapshot, so that the
// first faceted search does not pay for it, and returns it.
func warmFacets(bi bleve.Index) (*facetIndex, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("warm facets: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("warm facets: %w", err)
	}
	defer func() { _ = r.Close() }()
	return facetIndexOf(r)
}

// sortedValues returns the facet values of counts (count > 0) by count,
// then value.
func sortedValues(counts []FacetValue) []FacetValue {
	sort.SliceStable(counts, func(i, j int) bool {
		if counts[i].Count != counts[j].Count {
			return counts[i].Count > counts[j].Count
		}
		return counts[i].Value < counts[j].Value
	})
	return counts
}
