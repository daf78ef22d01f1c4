package search

import (
	"fmt"
	"math"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/inlsearch/inlsearch/internal/zap"
)

// segSpan is the segments of a scorch snapshot with the document number
// each starts at, as scorch numbers its documents, and the dictionaries of
// one field in them, opened once for all the terms of a phrase.
type segSpan struct {
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	field   string
	dicts   []segment.TermDictionary
}

// dictionaries returns the segments' dictionaries of field.
func (sp *segSpan) dictionaries(field string) ([]segment.TermDictionary, error) {
	if sp.dicts != nil && sp.field == field {
		return sp.dicts, nil
	}
	dicts := make([]segment.TermDictionary, len(sp.segs))
	for i, ss := range sp.segs {
		d, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		dicts[i] = d
	}
	sp.field, sp.dicts = field, dicts
	return dicts, nil
}

func newSegSpan(r index.IndexReader) (*segSpan, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil {
		return nil, fmt.Errorf("phrase: the index reader %T is not a scorch snapshot", r)
	}
	sp := &segSpan{segs: snap.Segments()}
	var at uint64
	for _, ss := range sp.segs {
		sp.offsets = append(sp.offsets, at)
		at += ss.Segment().Count() // deleted included, as scorch numbers them
	}
	return sp, nil
}

// termPostings reads one term's postings in one field, with their
// positions, straight from the segments' postings iterators: what scorch's
// term field reader does, without turning every posting it stops on into
// a TermFieldDoc with a vector per location (a phrase reads the positions
// of every candidate it checks). It only moves forward; after advance it
// stands on a posting (on) with its document number, frequency, norm and
// positions.
type termPostings struct {
	span  *segSpan
	its   []segment.PostingsIterator // per segment; nil where the term is absent
	seg   int                        // the segment of the current posting
	count uint64                     // the passages holding the term

	on   bool
	atN  uint64
	freq uint64
	pos  []uint64
	// the norm: zap.NormOf(normBits) when bits, else norm (zapx v17's
	// segments)
	bits     bool
	normBits uint64
	norm     float64
}

// normValue is the current posting's norm, computed only for the
// postings that are scored.
func (p *termPostings) normValue() float64 {
	if p.bits {
		return zap.NormOf(p.normBits)
	}
	return p.norm
}

// positionsIterator is internal/zap's iterator, which reads a posting's
// positions without Location values; zapx v17's segments (an index
// written before internal/zap) are read through Advance.
type positionsIterator interface {
	AdvancePositions(docNum uint64, buf []uint64) (n, freq, normBits uint64, pos []uint64, ok bool, err error)
}

func openTermPostings(sp *segSpan, term, field string, freqNorm bool) (*termPostings, error) {
	p := &termPostings{span: sp, its: make([]segment.PostingsIterator, len(sp.segs))}
	dicts, err := sp.dictionaries(field)
	if err != nil {
		return nil, err
	}
	for i, ss := range sp.segs {
		pl, err := dicts[i].PostingsList([]byte(term), ss.Deleted(), nil)
		if err != nil {
			return nil, err
		}
		if n := pl.Count(); n > 0 {
			p.count += n
			p.its[i] = pl.Iterator(freqNorm, freqNorm, true, nil)
		}
	}
	return p, nil
}

// intersectPostings returns the passages that hold every term of ps, per
// segment (nil where a term is absent), and whether it knows them for
// every segment (an iterator without a bitmap, such as a term in one
// passage of a segment, leaves a segment unknown). The iterators are left
// as they are: a phrase advances them only to passages of the
// intersection, which each holds, so an iterator narrowed to it (scorch's
// conjunction optimization, ReplaceActual) would only find the same
// posting the long way (an iterator of the intersection beside the
// term's array of documents: an eighth of a phrase search's time).
func intersectPostings(ps []*termPostings) ([]*roaring.Bitmap, bool) {
	if len(ps) == 0 {
		return nil, false
	}
	all := make([]*roaring.Bitmap, len(ps[0].its))
	known := true
	for i := range ps[0].its {
		var bm *roaring.Bitmap
		absent, unknown := false, false
		for j, p := range ps {
			if p.its[i] == nil {
				absent = true
				break
			}
			o, ok := p.its[i].(segment.OptimizablePostingsIterator)
			if !ok || o.ActualBitmap() == nil {
				unknown = true
				break
			}
			switch j {
			case 0:
				bm = o.ActualBitmap() // the iterator's own: never changed
			case 1:
				bm = roaring.And(bm, o.ActualBitmap())
			default:
				bm.And(o.ActualBitmap())
			}
		}
		switch {
		case absent:
		case unknown:
			known = false
		default:
			all[i] = bm
		}
	}
	return all, known
}

// bitmapCands is the candidates of a phrase whose every offset has one
// term, read from the intersections of the terms' postings bitmaps
// (intersectPostings) in place of a conjunction of the terms' searchers,
// which walked the same postings again, document match by document match.
// Unscored.
type bitmapCands struct {
	offsets []uint64
	bms     []*roaring.Bitmap // per segment; nil for none
	seg     int
	it      roaring.IntPeekable
}

// Next implements bsearch.Searcher.
func (c *bitmapCands) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for c.seg < len(c.bms) {
		if c.it == nil {
			if c.bms[c.seg] == nil {
				c.seg++
				continue
			}
			c.it = c.bms[c.seg].Iterator()
		}
		if c.it.HasNext() {
			d := ctx.DocumentMatchPool.Get()
			d.IndexInternalID = index.NewIndexInternalID(d.IndexInternalID, c.offsets[c.seg]+uint64(c.it.Next()))
			return d, nil
		}
		c.seg, c.it = c.seg+1, nil
	}
	return nil, nil
}

// Advance implements bsearch.Searcher.
func (c *bitmapCands) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	n := id.Value()
	seg := sort.Search(len(c.offsets), func(i int) bool { return c.offsets[i] > n }) - 1
	if seg > c.seg {
		c.seg, c.it = seg, nil
	}
	if seg == c.seg && seg >= 0 && c.seg < len(c.bms) && c.bms[c.seg] != nil {
		if c.it == nil {
			c.it = c.bms[c.seg].Iterator()
		}
		c.it.AdvanceIfNeeded(uint32(min(n-c.offsets[seg], math.MaxUint32)))
	}
	return c.Next(ctx)
}

// Close implements bsearch.Searcher.
func (c *bitmapCands) Close() error { return nil }

// Weight implements bsearch.Searcher: the candidates are not scored.
func (c *bitmapCands) Weight() float64 { return 0 }

// SetQueryNorm implements bsearch.Searcher.
func (c *bitmapCands) SetQueryNorm(float64) {}

// Count implements bsearch.Searcher.
func (c *bitmapCands) Count() uint64 {
	var n uint64
	for _, bm := range c.bms {
		if bm != nil {
			n += bm.GetCardinality()
		}
	}
	return n
}

// Min implements bsearch.Searcher.
func (c *bitmapCands) Min() int { return 0 }

// Size implements bsearch.Searcher.
func (c *bitmapCands) Size() int { return 64 + 16*len(c.bms) }

// DocumentMatchPoolSize implements bsearch.Searcher.
func (c *bitmapCands) DocumentMatchPoolSize() int { return 1 }

// release gives the readers' memory back for reuse (zap's ReleaseDocs);
// p is not used after.
func (p *termPostings) release() {
	for _, it := range p.its {
		if r, ok := it.(interface{ ReleaseDocs() }); ok {
			r.ReleaseDocs()
		}
	}
}

// advance moves to the first posting at or after document number n; it
// reports false at the end.
func (p *termPostings) advance(n uint64) (bool, error) {
	offs := p.span.offsets
	i := max(p.seg, sort.Search(len(offs), func(i int) bool { return offs[i] > n })-1)
	for ; i < len(p.its); i++ {
		it := p.its[i]
		if it == nil {
			continue
		}
		local := uint64(0)
		if n > offs[i] {
			local = n - offs[i]
		}
		if pi, ok := it.(positionsIterator); ok {
			d, freq, bits, pos, ok, err := pi.AdvancePositions(local, p.pos)
			p.pos = pos
			if err != nil {
				return false, err
			}
			if ok {
				p.seg, p.on, p.atN, p.freq, p.bits, p.normBits = i, true, offs[i]+d, freq, true, bits
				return true, nil
			}
			continue
		}
		post, err := it.Advance(local)
		if err != nil {
			return false, err
		}
		if post != nil {
			p.seg, p.on, p.atN, p.freq, p.bits, p.norm = i, true, offs[i]+post.Number(), post.Frequency(), false, post.Norm()
			p.pos = p.pos[:0]
			for _, l := range post.Locations() {
				p.pos = append(p.pos, l.Pos())
			}
			return true, nil
		}
	}
	p.seg, p.on = len(p.its), false
	return false, nil
}
