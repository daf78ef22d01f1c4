package search

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// Field names in the bleve index. Facet fields carry the facet's name.
const (
	fieldTitle     = "title"
	fieldSection   = "section"
	fieldText      = "text"
	fieldTitleKey  = "title_key"
	fieldPageURL   = "page_url"
	fieldPublished = "published"
	fieldFirstSeen = "first_seen"
	fieldChangedAt = "changed_at"
	// fieldDoc holds the Document as JSON (without Text and Evidence),
	// stored and not indexed.
	fieldDoc = "doc_json"
	// fieldEvidence holds the Document's Evidence as JSON, stored and not
	// indexed; only Get asks for it, so search hits never decode it.
	fieldEvidence = "evidence_json"
)

// textFields are the analyzed fields a bare word searches, with their boosts.
var textFields = []struct {
	name  string
	boost float64
}{
	{fieldTitle, 2.5},
	{fieldSection, 1.5},
	{fieldText, 1},
}

// NewMapping returns the bleve mapping of a passage index: English-analyzed
// title, section and text (with term vectors, for phrases and snippets),
// keyword facet fields (postings only), datetime publication and crawl
// history with doc values for sorting, BM25 scoring and no _all field. An IndexAlias over
// generations uses the same mapping.
func NewMapping() *mapping.IndexMappingImpl {
	text := func(store bool) *mapping.FieldMapping {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = textAnalyzerName // "en", token for token, faster
		fm.Store = store
		fm.IncludeTermVectors = true // phrases need positions in every text field
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	kw := func(docValues bool) *mapping.FieldMapping {
		fm := bleve.NewKeywordFieldMapping()
		fm.Analyzer = keyword.Name
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = docValues
		return fm
	}
	date := func() *mapping.FieldMapping {
		fm := bleve.NewDateTimeFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		fm.DocValues = true // sorting
		return fm
	}
	stored := bleve.NewTextFieldMapping()
	stored.Analyzer = keyword.Name
	stored.Index = false
	stored.Store = true
	stored.IncludeTermVectors = false
	stored.IncludeInAll = false
	stored.DocValues = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldTitle, text(false))
	dm.AddFieldMappingsAt(fieldSection, text(false))
	dm.AddFieldMappingsAt(fieldText, text(true))
	// Facet fields have no doc values: counts and filters come from the
	// postings of each value (facetIndex), and nothing sorts on a facet.
	// The title key's doc values give the browse order (readOrders).
	for _, f := range indexedFacets {
		dm.AddFieldMappingsAt(f, kw(false))
	}
	dm.AddFieldMappingsAt(fieldTitleKey, kw(true))
	dm.AddFieldMappingsAt(fieldPageURL, kw(false))
	for _, f := range []string{fieldPublished, fieldFirstSeen, fieldChangedAt} {
		dm.AddFieldMappingsAt(f, date())
	}
	dm.AddFieldMappingsAt(fieldDoc, stored)
	dm.AddFieldMappingsAt(fieldEvidence, stored)
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = en.AnalyzerName
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.ScoringModel = index.BM25Scoring
	return im
}

// fields turns a Document into the field map bleve indexes. Zero times are
// left out so that sorting puts undated passages last. A LastSeen equal to
// seen, the time of the crawl that built the index, is left out of the
// stored document and read back as seen (decodeDocument), so that an
// unchanged passage is the same document crawl after crawl.
func fields(d *Document, seen time.Time) (map[string]any, error) {
	enc, err := encodeDoc(d, seen)
	if err != nil {
		return nil, err
	}
	return fieldsOf(d, enc), nil
}

// encodedDoc is what the index stores of a Document as JSON: the document
// without its text and evidence (fieldDoc), and the evidence
// (fieldEvidence, empty when there is none).
type encodedDoc struct{ doc, evidence string }

// encodeDoc encodes d as fields stores it (see fields for seen). A build
// encodes every passage to fingerprint it (incremental.go) and makes the
// rest of the fields only of those it writes.
func encodeDoc(d *Document, seen time.Time) (encodedDoc, error) {
	blob := *d
	blob.Text = ""
	blob.Evidence = nil
	if !seen.IsZero() && blob.LastSeen.Equal(seen) {
		blob.LastSeen = time.Time{}
	}
	raw, err := json.Marshal(&blob)
	if err != nil {
		return encodedDoc{}, fmt.Errorf("encode document %s: %w", d.ID, err)
	}
	enc := encodedDoc{doc: string(raw)}
	if len(d.Evidence) > 0 {
		ev, err := json.Marshal(d.Evidence)
		if err != nil {
			return encodedDoc{}, fmt.Errorf("encode evidence %s: %w", d.ID, err)
		}
		enc.evidence = string(ev) // json.Marshal writes valid UTF-8
	}
	return enc, nil
}

// fieldsOf is fields of d, encoded as enc.
func fieldsOf(d *Document, enc encodedDoc) map[string]any {
	m := map[string]any{
		fieldTitle:        d.Title,
		fieldSection:      d.Section,
		fieldText:         validUTF8(d.Text),
		FacetOrganization: nonEmpty(d.Organizations),
		FacetCountry:      nonEmpty(d.Countries),
		FacetRegion:       nonEmpty(d.Regions),
		FacetTopic:        nonEmpty(d.Topics),
		fieldTitleKey:     strings.ToLower(strings.TrimSpace(d.Title)),
		fieldPageURL:      d.PageURL,
		fieldDoc:          enc.doc,
	}
	if d.Type != "" {
		m[FacetType] = d.Type
	}
	if enc.evidence != "" {
		m[fieldEvidence] = enc.evidence
	}
	if len(d.Years) > 0 {
		ys := make([]string, 0, len(d.Years))
		for _, y := range d.Years {
			if t := yearTerm(y); !slices.Contains(ys, t) {
				ys = append(ys, t)
			}
		}
		m[FacetYear] = ys
	}
	// Amounts and last_seen are kept in the stored document only: no query
	// reads them, and a number costs 16 index terms (bleve's precision
	// steps). Year ranges are answered from the year facet.
	for name, t := range map[string]time.Time{
		fieldPublished: d.Published, fieldFirstSeen: d.FirstSeen, fieldChangedAt: d.ChangedAt,
	} {
		if !t.IsZero() {
			m[name] = t.UTC()
		}
	}
	return m
}

// validUTF8 is s with each run of invalid bytes replaced by U+FFFD. It
// checks first (utf8.ValidString reads ASCII eight bytes at a time), as
// strings.ToValidUTF8 decodes every rune of a valid string to find out:
// that alone was a fifth of the CPU of a re-index that wrote nothing.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// yearTerm is the keyword form of a year in the year facet.
func yearTerm(y int) string { return fmt.Sprintf("%04d", y) }

// nonEmpty trims the values and drops empty and repeated ones, so that a
// facet counts a passage once per value.
func nonEmpty(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// decodeDocument rebuilds a Document from its stored fields; seen is the
// time of the crawl that built the index (see fields).
func decodeDocument(id string, stored map[string]any, seen time.Time) (*Document, error) {
	raw, _ := stored[fieldDoc].(string)
	if raw == "" {
		return nil, fmt.Errorf("document %s: no stored data", id)
	}
	var d Document
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return nil, fmt.Errorf("decode document %s: %w", id, err)
	}
	if d.LastSeen.IsZero() {
		d.LastSeen = seen
	}
	d.Text, _ = stored[fieldText].(string)
	if ev, _ := stored[fieldEvidence].(string); ev != "" {
		if err := json.Unmarshal([]byte(ev), &d.Evidence); err != nil {
			return nil, fmt.Errorf("decode evidence %s: %w", id, err)
		}
	}
	return &d, nil
}
