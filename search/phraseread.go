package search

import (
	"fmt"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
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

// intersectPostings makes each segment's iterators of ps stop only on the
// passages that hold every term (scorch's conjunction optimization), so
// that advancing to a candidate skips the others without decoding them.
func intersectPostings(ps []*termPostings) {
	if len(ps) < 2 {
		return
	}
	opts := make([]segment.OptimizablePostingsIterator, 0, len(ps))
	for i := range ps[0].its {
		var bm *roaring.Bitmap
		opts = opts[:0]
		for _, p := range ps {
			o, ok := p.its[i].(segment.OptimizablePostingsIterator)
			if !ok || o.ActualBitmap() == nil {
				bm = nil
				break
			}
			opts = append(opts, o)
			switch len(opts) {
			case 1:
			case 2:
				bm = roaring.And(opts[0].ActualBitmap(), o.ActualBitmap())
			default:
				bm.And(o.ActualBitmap())
			}
		}
		if bm == nil || len(opts) != len(ps) {
			continue
		}
		for _, o := range opts {
			o.ReplaceActual(bm)
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
