package search

import (
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// pageIndex holds, for one index snapshot, every live passage and the
// pages they belong to. It is the part of the facet index that Changes
// needs of an earlier generation, so it is cached on its own (pageCache):
// comparing two generations does not build the earlier one's facet
// bitmaps and sort orders.
type pageIndex struct {
	all *roaring.Bitmap
	// pageOf holds, for document number n, the number of its page (its
	// page_url), noPage when it has none; pageStart and pageDocs list the
	// document numbers of each page: page p's are
	// pageDocs[pageStart[p]:pageStart[p+1]].
	pageOf    []uint32
	pageStart []uint32
	pageDocs  []uint32
	pageURL   []string // page p's URL, in term (byte) order: changes.go
	// order lists every live passage page after page (pageDocs is its
	// head), then those without a page; document n is at order[pos[n]]
	// (noPos when not live). The forward lists are laid out in this order
	// and the facet counts visit matches in it (facets.go): in pages, a
	// page's matching passages come together.
	order []uint32
	pos   []uint32
}

// buildPageIndex lists the live passages of r, numbers the pages (the
// terms of page_url) and lists the passages of each.
func buildPageIndex(r index.IndexReader) (*pageIndex, error) {
	px := &pageIndex{all: roaring.New()}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("page index: %w", err)
	}
	for {
		id, err := ids.Next()
		if err != nil {
			_ = ids.Close()
			return nil, fmt.Errorf("page index: %w", err)
		}
		if id == nil {
			break
		}
		px.all.Add(docNum(id))
	}
	_ = ids.Close()
	n := 0
	if !px.all.IsEmpty() {
		n = int(px.all.Maximum()) + 1
	}
	px.pageOf = make([]uint32, n)
	px.pos = make([]uint32, n)
	for i := range px.pageOf {
		px.pageOf[i], px.pos[i] = noPage, noPos
	}
	pages, err := facetPostings(r, fieldPageURL)
	if err != nil {
		return nil, err
	}
	px.pageStart = make([]uint32, len(pages)+1)
	px.order = make([]uint32, 0, px.all.GetCardinality())
	px.pageURL = make([]string, 0, len(pages))
	for p, v := range pages {
		v.docs.Iterate(func(d uint32) bool {
			if int(d) < n && px.all.Contains(d) {
				px.pageOf[d] = uint32(p)
				px.pos[d] = uint32(len(px.order))
				px.order = append(px.order, d)
			}
			return true
		})
		px.pageStart[p+1] = uint32(len(px.order))
		px.pageURL = append(px.pageURL, v.value)
	}
	px.pageDocs = px.order[:len(px.order):len(px.order)]
	px.all.Iterate(func(d uint32) bool {
		if px.pageOf[d] == noPage {
			px.pos[d] = uint32(len(px.order))
			px.order = append(px.order, d)
		}
		return true
	})
	return px, nil
}

// noPos is the place in order of a document number that is not live.
const noPos = math.MaxUint32

// page is the page number of document n (noPage when it has none).
func (px *pageIndex) page(n uint32) uint32 {
	if int(n) < len(px.pageOf) {
		return px.pageOf[n]
	}
	return noPage
}

// passages are the document numbers of page p.
func (px *pageIndex) passages(p uint32) []uint32 {
	return px.pageDocs[px.pageStart[p]:px.pageStart[p+1]]
}

// pageIndexOf returns the pageIndex of r, building it on first use (once
// per snapshot).
func pageIndexOf(r index.IndexReader) (*pageIndex, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return buildPageIndex(r)
	}
	return pageCache.get(snap, func() (*pageIndex, error) { return buildPageIndex(r) })
}
