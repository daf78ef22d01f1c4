package zap

import index "github.com/blevesearch/bleve_index_api"

// CompactField is a text field that gives its analysis as its distinct
// terms and the positions of each, instead of bleve's token-frequency map
// (a map entry, a TokenFreq and a TokenLocation pointer for every
// occurrence, which the segment builder then walks twice). The segment
// builder reads a CompactField through CompactTerms when the field has no
// array positions; AnalyzedTokenFrequencies must still describe the same
// analysis, for any other reader.
type CompactField interface {
	index.Field
	// CompactTerms returns the field's distinct terms and their
	// positions: term i's positions, in increasing order, are
	// positions[offsets[i]:offsets[i+1]] (len(offsets) = len(terms)+1).
	CompactTerms() (terms []string, offsets, positions []uint32)
}

// compactOf returns field as a CompactField when the segment builder may
// read it so: a single value (no array positions).
func compactOf(field index.Field) (CompactField, bool) {
	cf, ok := field.(CompactField)
	if !ok || len(field.ArrayPositions()) > 0 {
		return nil, false
	}
	return cf, true
}
