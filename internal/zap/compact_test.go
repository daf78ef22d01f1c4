package zap_test

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/inlsearch/inlsearch/internal/zap"
)

// mapCompact gives an analysed field's token frequencies as a
// zap.CompactField.
type mapCompact struct {
	document.Field
	terms              []string
	offsets, positions []uint32
}

func (f *mapCompact) CompactTerms() ([]string, []uint32, []uint32) {
	return f.terms, f.offsets, f.positions
}

// asCompact returns f as a CompactField when its analysis has positions
// only (no byte offsets, no array positions), else f.
func asCompact(f document.Field) document.Field {
	if len(f.ArrayPositions()) > 0 {
		return f
	}
	c := &mapCompact{Field: f, offsets: []uint32{0}}
	for term, tf := range f.AnalyzedTokenFrequencies() {
		c.terms = append(c.terms, term)
		var ps []uint32
		for _, l := range tf.Locations {
			if l.Start != 0 || l.End != 0 || len(l.ArrayPositions) > 0 {
				return f
			}
			ps = append(ps, uint32(l.Position))
		}
		if !f.Options().IncludeTermVectors() {
			for range tf.Frequency() {
				ps = append(ps, 0)
			}
		}
		slices.Sort(ps)
		c.positions = append(c.positions, ps...)
		c.offsets = append(c.offsets, uint32(len(c.positions)))
	}
	return c
}

// compactDocsPlugin builds its segments from documents whose fields are
// given as CompactFields where they can be.
type compactDocsPlugin struct{ zap.ZapPlugin }

func (p *compactDocsPlugin) New(results []index.Document) (segment.Segment, uint64, error) {
	for _, d := range results {
		doc := d.(*document.Document)
		for i, f := range doc.Fields {
			doc.Fields[i] = asCompact(f)
		}
	}
	return p.ZapPlugin.New(results)
}

// TestCompactFieldsAsMaps checks that a segment built from CompactFields
// is the segment built from the same analysis as token-frequency maps: in
// memory, persisted, and merged.
func TestCompactFieldsAsMaps(t *testing.T) {
	mem, disk, merged := build(t, &compactDocsPlugin{}, t.TempDir())
	wantMem, wantDisk, wantMerged := build(t, &zap.ZapPlugin{}, t.TempDir())
	for _, c := range []struct{ name, got, want string }{
		{"in memory", mem, wantMem}, {"persisted", disk, wantDisk}, {"merged", merged, wantMerged},
	} {
		if c.got != c.want {
			t.Errorf("%s: the segment of compact fields differs from the segment of maps", c.name)
		}
	}
}
