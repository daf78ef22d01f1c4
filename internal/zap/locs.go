// Copyright (c) 2026 the inlsearch authors. Licensed under the Apache
// License, Version 2.0, as the rest of this package.

package zap

import (
	"fmt"
	"math"
	"slices"
	"sync"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// This file is the one format change of this copy of zapx v17 (see
// README.md): how one posting's locations are written in the loc chunks.
//
// zapx writes, for every posting with locations, the byte length of its
// locations and then five varints per occurrence: field, position, start,
// end and the number of array positions. For a text field indexed with
// positions only (term vectors without byte offsets, not an array, not part
// of a composite field) three of those are always zero and the field is the
// posting's own, so most of the bytes carry nothing.
//
// Here a posting's locations are one of two forms, told apart by the low bit
// of their first varint:
//
//   - compact (bit 0): the posting's field, no offsets, no array positions,
//     one location per occurrence (as many as the posting's frequency), and
//     positions in increasing order. The first varint is the first
//     position << 1; then one varint per further occurrence, the gap to the
//     previous position.
//   - full (bit 1): anything else. The first varint is the byte length of
//     the rest << 1 | 1; then zapx's own five varints (and the array
//     positions) per location.
//
// Both forms are lossless: a reader gets back exactly the locations zapx
// would have given. Which form a posting takes is decided per posting, so a
// segment may hold both.

// locEncoding turns a posting's locations into the integers of the loc
// chunk, reusing its buffer.
type locEncoding struct {
	buf  []uint64
	locs []interimLoc // the merge's locations, converted
}

// encode returns the integers for the locations of a posting of field
// whose frequency is freq. The returned slice is valid until the next call.
func (e *locEncoding) encode(field uint16, freq uint64, locs []interimLoc) []uint64 {
	e.buf = e.buf[:0]
	if compactable(field, freq, locs) {
		prev := uint64(0)
		for k, l := range locs {
			if k == 0 {
				e.buf = append(e.buf, l.pos<<1)
			} else {
				e.buf = append(e.buf, l.pos-prev)
			}
			prev = l.pos
		}
		return e.buf
	}
	n := 0
	for _, l := range locs {
		n += totalUvarintBytes(uint64(l.fieldID), l.pos, l.start, l.end, uint64(len(l.arrayposs)), l.arrayposs)
	}
	e.buf = append(e.buf, uint64(n)<<1|1)
	for _, l := range locs {
		e.buf = append(e.buf, uint64(l.fieldID), l.pos, l.start, l.end, uint64(len(l.arrayposs)))
		e.buf = append(e.buf, l.arrayposs...)
	}
	return e.buf
}

// compactable reports whether locs can take the compact form.
func compactable(field uint16, freq uint64, locs []interimLoc) bool {
	if uint64(len(locs)) != freq || len(locs) == 0 {
		return false
	}
	for k, l := range locs {
		if l.fieldID != field || l.start != 0 || l.end != 0 || len(l.arrayposs) != 0 {
			return false
		}
		if k > 0 && l.pos < locs[k-1].pos {
			return false
		}
	}
	return true
}

// encodeMerged is encode for the locations of a posting read from another
// segment, whose fields are renumbered by fieldsMap (field name → new ID + 1).
func (e *locEncoding) encodeMerged(field uint16, freq uint64, locs []segment.Location, fieldsMap map[string]uint16) []uint64 {
	e.locs = e.locs[:0]
	for _, l := range locs {
		e.locs = append(e.locs, interimLoc{
			fieldID: fieldsMap[l.Field()] - 1, pos: l.Pos(), start: l.Start(), end: l.End(), arrayposs: l.ArrayPositions(),
		})
	}
	return e.encode(field, freq, e.locs)
}

// readLocs reads the locations of the current posting, whose frequency is
// freq, into locs (grown as needed) and returns them.
func (i *PostingsIterator) readLocs(freq uint64, locs []Location) ([]Location, error) {
	head, err := i.locReader.readUvarint()
	if err != nil {
		return nil, err
	}
	if head&1 == 1 {
		return i.fullLocations(head, locs[:0])
	}
	i.posScratch, err = i.compactPositions(head, freq, i.posScratch[:0])
	if err != nil {
		return nil, err
	}
	locs = locs[:0]
	field := i.postings.field()
	for _, p := range i.posScratch {
		locs = append(locs, Location{field: field, pos: p})
	}
	return locs, nil
}

// compactPositions appends to pos the positions of a posting of frequency
// freq in the compact form, whose first varint was head.
func (i *PostingsIterator) compactPositions(head, freq uint64, pos []uint64) ([]uint64, error) {
	p := head >> 1
	pos = append(pos, p)
	if freq <= 1 {
		return pos, nil
	}
	return i.locReader.r.AppendGaps(pos, p, int(freq-1))
}

// fullLocations appends to locs the locations of a posting in zapx's own
// form, whose first varint was head.
func (i *PostingsIterator) fullLocations(head uint64, locs []Location) ([]Location, error) {
	size := int(head >> 1)
	start := i.locReader.Len()
	for start-i.locReader.Len() < size {
		locs = append(locs, Location{})
		if err := i.readLocation(&locs[len(locs)-1]); err != nil {
			return nil, err
		}
	}
	return locs, nil
}

// skipLocs moves past the locations of the current posting, whose
// frequency is freq.
func (i *PostingsIterator) skipLocs(freq uint64) error {
	head, err := i.locReader.readUvarint()
	if err != nil {
		return err
	}
	if head&1 == 1 {
		i.locReader.SkipBytes(int(head >> 1))
		return nil
	}
	if freq > 1 {
		i.locReader.SkipUvarints(int(freq - 1))
	}
	return nil
}

// AdvancePositions moves to the posting at or after docNum (a document
// number of the segment) and returns it as its document number, frequency,
// norm's bits (NormOf gives Posting.Norm) and positions, appended to
// buf[:0]; ok is false when no posting is left. It is Advance without the Location values and
// their interfaces, for readers that need positions only (phrases); the
// iterator must include locations.
//
// It finds its postings in an array of the term's documents rather than by
// walking the postings bitmap (a binary search, and the count of postings
// to skip in the chunk by subtraction), so an iterator it has moved must
// not be moved by Next or Advance.
func (i *PostingsIterator) AdvancePositions(docNum uint64, buf []uint64) (n, freq, normBits uint64, pos []uint64, ok bool, err error) {
	if !i.includeFreqNorm || !i.includeLocs {
		return 0, 0, 0, buf[:0], false, fmt.Errorf("AdvancePositions needs an iterator with locations")
	}
	if i.normBits1Hit != 0 || i.postings == nil || i.postings.postings == nil {
		n, ok, err = i.nextDocNumAtOrAfter(docNum)
	} else {
		n, ok, err = i.advanceArray(docNum)
	}
	if err != nil || !ok {
		return 0, 0, 0, buf[:0], false, err
	}
	freq, normBits, hasLocs, err := i.readFreqNormHasLocs()
	if err != nil {
		return 0, 0, 0, buf[:0], false, err
	}
	pos = buf[:0]
	if !hasLocs {
		return n, freq, normBits, pos, true, nil
	}
	head, err := i.locReader.readUvarint()
	if err != nil {
		return 0, 0, 0, pos, false, err
	}
	if head&1 == 0 {
		if pos, err = i.compactPositions(head, freq, pos); err != nil {
			return 0, 0, 0, pos, false, err
		}
		return n, freq, normBits, pos, true, nil
	}
	if i.nextLocs, err = i.fullLocations(head, i.nextLocs[:0]); err != nil {
		return 0, 0, 0, pos, false, err
	}
	for _, l := range i.nextLocs {
		pos = append(pos, l.pos)
	}
	return n, freq, normBits, pos, true, nil
}

// NormOf is the norm (Posting.Norm) of a posting whose norm's bits are
// bits (AdvancePositions).
func NormOf(bits uint64) float64 {
	return (&Posting{norm: math.Float32frombits(uint32(bits))}).Norm()
}

// advanceArray moves to the posting at or after docNum, AdvancePositions'
// nextDocNumAtOrAfter: the decoders are left on that posting.
func (i *PostingsIterator) advanceArray(docNum uint64) (uint64, bool, error) {
	if i.postings.chunkSize == 0 {
		return 0, false, ErrChunkSizeZero
	}
	if i.docs == nil {
		n := int(i.postings.postings.GetCardinality())
		docs := i.docsSpare[:0]
		i.docsSpare = nil
		if cap(docs) < n {
			i.docsBuf = docsPool.Get().(*[]uint32)
			if docs = (*i.docsBuf)[:0]; cap(docs) < n {
				docs = make([]uint32, n)
			}
		}
		docs = docs[:n]
		i.docs = *i.postings.postings.ToExistingArray(&docs)
		i.decAt = -1
	}
	docs := i.docs
	var j int
	if i.ActualBM == i.postings.postings {
		j = lowerBound(docs, i.docsNext, docNum)
		if j == len(docs) {
			i.docsNext = j
			return 0, false, nil
		}
	} else {
		// Some postings are left out (deleted documents, or a
		// conjunction's intersection): the next one kept, in docs.
		i.Actual.AdvanceIfNeeded(uint32(min(docNum, math.MaxUint32)))
		if !i.Actual.HasNext() {
			i.docsNext = len(docs)
			return 0, false, nil
		}
		j = lowerBound(docs, i.docsNext, uint64(i.Actual.Next()))
		if j == len(docs) {
			return 0, false, fmt.Errorf("posting %d is not in the term's postings", docNum)
		}
	}
	n := docs[j]
	chunk := n / uint32(i.postings.chunkSize)
	if i.decAt < 0 || i.currChunk != chunk || i.freqNormReader.isNil() || i.decAt > j {
		if err := i.loadChunk(int(chunk)); err != nil {
			return 0, false, fmt.Errorf("error loading chunk: %v", err)
		}
		// Every posting passed is in an earlier chunk, or in this one
		// when its decoders were lost.
		from := i.docsNext
		if i.decAt >= 0 && i.currChunk == chunk {
			from = 0
		}
		i.decAt = lowerBound(docs, from, uint64(chunk)*i.postings.chunkSize)
	}
	for ; i.decAt < j; i.decAt++ {
		freq, hasLocs, err := i.skipFreqNormReadHasLocs()
		if err != nil {
			return 0, false, err
		}
		if hasLocs {
			if err := i.skipLocs(freq); err != nil {
				return 0, false, fmt.Errorf("error skipping locations: %v", err)
			}
		}
	}
	// The caller reads posting j.
	i.decAt, i.docsNext = j+1, j+1
	return uint64(n), true, nil
}

// lowerBound is the index of the first of docs[from:] at or after n,
// len(docs) if none: a galloping search, since the next posting a phrase
// wants is most often a few postings on.
func lowerBound(docs []uint32, from int, n uint64) int {
	if n > math.MaxUint32 {
		return len(docs)
	}
	x := uint32(n)
	lo, step := from, 1
	for {
		hi := lo + step
		if hi >= len(docs) {
			k, _ := slices.BinarySearch(docs[lo:], x)
			return lo + k
		}
		if docs[hi] >= x {
			k, _ := slices.BinarySearch(docs[lo:hi], x)
			return lo + k
		}
		lo, step = hi+1, step*2
	}
}

// docsPool keeps the arrays of AdvancePositions (a phrase's terms' postings,
// tens of kilobytes each, every search) for later iterators.
var docsPool = sync.Pool{New: func() any { return new([]uint32) }}

// ReleaseDocs gives the array AdvancePositions made back for reuse; the
// iterator must not be used after.
func (i *PostingsIterator) ReleaseDocs() {
	if i.docsBuf != nil {
		*i.docsBuf = i.docs[:0]
		docsPool.Put(i.docsBuf)
	}
	i.docs, i.docsBuf, i.docsNext = nil, nil, 0
}
