package search

import (
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/inlsearch/inlsearch/internal/zap"
)

// compactText is a text field of the text analyzer (textAnalyzerName)
// analysed straight into its distinct terms and their positions
// (zap.CompactField), for the segment builder of internal/zap. bleve's
// TextField makes a token stream and then a map from term to a
// TokenFreq with a pointer per occurrence, which the builder walks twice
// and the batch measures once (Document.Size): about a quarter of a
// build's CPU went there. Plain-ASCII values are tokenized, lowercased,
// stopped and stemmed in one pass, token for token as the analyzer does
// (TestCompactTextMatchesAnalyzer); other values go through the analyzer.
type compactText struct {
	name     string
	options  index.FieldIndexingOptions
	value    []byte
	analyzer analysis.Analyzer

	length    int
	terms     []string
	offsets   []uint32
	positions []uint32

	freqsOnce sync.Once
	freqs     index.TokenFrequencies
}

var _ zap.CompactField = (*compactText)(nil)

var compactTextSize = int(reflect.TypeOf(compactText{}).Size())

// compactDocument builds the bleve document of the fields m with the
// index mapping im, its text analyzer's fields as compactText.
func compactDocument(im mapping.IndexMapping, id string, m map[string]any) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := im.MapDocument(doc, m); err != nil {
		return nil, err
	}
	an := im.AnalyzerNamed(textAnalyzerName)
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok || an == nil || tf.Analyzer() != an || len(tf.ArrayPositions()) > 0 {
			continue
		}
		doc.Fields[i] = &compactText{name: tf.Name(), options: tf.Options(), value: tf.Value(), analyzer: an}
	}
	return doc, nil
}

func (f *compactText) Name() string                        { return f.name }
func (f *compactText) ArrayPositions() []uint64            { return nil }
func (f *compactText) Options() index.FieldIndexingOptions { return f.options }
func (f *compactText) Value() []byte                       { return f.value }
func (f *compactText) NumPlainTextBytes() uint64           { return uint64(len(f.value)) }
func (f *compactText) EncodedFieldType() byte              { return 't' }
func (f *compactText) AnalyzedLength() int                 { return f.length }

// Size is an estimate of the field's memory, as bleve's fields give.
func (f *compactText) Size() int {
	return compactTextSize + len(f.name) + len(f.value) + 16*len(f.terms) + 4*(len(f.offsets)+len(f.positions))
}

// CompactTerms implements zap.CompactField.
func (f *compactText) CompactTerms() ([]string, []uint32, []uint32) {
	return f.terms, f.offsets, f.positions
}

// Analyze implements document.Field.
func (f *compactText) Analyze() {
	s := getScratch()
	defer putScratch(s)
	if isASCII(f.value) {
		s.ascii(f.value)
	} else {
		// The analyzer's filters may change the bytes they are given.
		tokens := f.analyzer.Analyze(append([]byte(nil), f.value...))
		for _, tok := range tokens {
			s.add(s.number(tok.Term), uint32(tok.Position))
		}
	}
	f.length = len(s.termOf)
	f.terms, f.offsets, f.positions = s.finish()
}

// AnalyzedTokenFrequencies implements document.Field with bleve's
// representation of the same analysis (analysis.TokenFrequency), for a
// reader other than internal/zap's segment builder.
func (f *compactText) AnalyzedTokenFrequencies() index.TokenFrequencies {
	f.freqsOnce.Do(func() {
		withLocs, withFreq := f.options.IncludeTermVectors(), !f.options.SkipFreqNorm()
		f.freqs = make(index.TokenFrequencies, len(f.terms))
		for k, term := range f.terms {
			tf := &index.TokenFreq{Term: []byte(term)}
			ps := f.positions[f.offsets[k]:f.offsets[k+1]]
			if withLocs {
				locs := make([]index.TokenLocation, len(ps))
				tf.Locations = make([]*index.TokenLocation, len(ps))
				for j, p := range ps {
					locs[j] = index.TokenLocation{Position: int(p)}
					tf.Locations[j] = &locs[j]
				}
			}
			if withFreq {
				tf.SetFrequency(len(ps))
			}
			f.freqs[term] = tf
		}
	})
	return f.freqs
}

// analysisScratch is the working memory of compactText analyses, one at
// a time. Its terms are numbered once (slots) and remembered across
// fields, so that a token costs one map look-up: the word to its term's
// number; a slot tells whether and where the term is already among the
// current field's terms.
type analysisScratch struct {
	lower []byte
	// words holds the analysis of lower-cased ASCII words: the number of
	// their stem, or -1 for a stop word.
	words  map[string]int32
	termNo map[string]int32 // a term (a stem, or a non-ASCII token) → its number
	slots  []termSlot       // by number
	field  uint32           // the number of the field analysed

	terms  []string // the field's distinct terms, in order of first occurrence
	termOf []int32  // the index in terms of each token kept, in order
	posOf  []uint32 // the position of each token kept
	next   []uint32 // finish's cursor per term
}

// termSlot is a numbered term: the term and, when field is the current
// field's number, its index in the field's terms.
type termSlot struct {
	term  string
	field uint32
	k     int32
}

// maxScratchTerms bounds the words and terms a scratch remembers (tests
// lower it).
var maxScratchTerms = func() *atomic.Int64 {
	var n atomic.Int64
	n.Store(1 << 16)
	return &n
}()

// scratches keeps analysis scratches between fields; a channel rather
// than a sync.Pool so that what they remember outlives garbage collections.
var scratches = make(chan *analysisScratch, 16)

func getScratch() *analysisScratch {
	var s *analysisScratch
	select {
	case s = <-scratches:
	default:
		s = &analysisScratch{words: map[string]int32{}, termNo: map[string]int32{}}
	}
	s.begin()
	return s
}

func putScratch(s *analysisScratch) {
	s.terms, s.termOf, s.posOf = s.terms[:0], s.termOf[:0], s.posOf[:0]
	select {
	case scratches <- s:
	default:
	}
}

// begin starts the analysis of a field.
func (s *analysisScratch) begin() {
	if limit := int(maxScratchTerms.Load()); len(s.words) >= limit || len(s.slots) >= limit {
		clear(s.words)
		clear(s.termNo)
		s.slots = s.slots[:0]
	}
	if s.field++; s.field == 0 { // wrapped: no slot may look current
		for i := range s.slots {
			s.slots[i].field = 0
		}
		s.field = 1
	}
}

// stopWords is the stop list of the text analyzer (en.StopName).
var stopWords = func() analysis.TokenMap {
	tm, err := registry.NewCache().TokenMapNamed(en.StopName)
	if err != nil {
		panic(err)
	}
	return tm
}()

// ascii analyses plain-ASCII text as the text analyzer does: asciiWords'
// tokens numbered from 1, the possessive 's dropped, lower-cased, stop
// words dropped (their positions kept), Porter stems.
func (s *analysisScratch) ascii(text []byte) {
	var pos uint32
	asciiWords(text, func(start, end int, _ bool) {
		pos++
		w := text[start:end]
		if n := len(w); n >= 2 && (w[n-1] == 's' || w[n-1] == 'S') && w[n-2] == '\'' {
			w = w[:n-2]
		}
		lw := s.lower[:0]
		for _, c := range w {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lw = append(lw, c)
		}
		s.lower = lw
		no, ok := s.words[string(lw)]
		if !ok {
			no = -1
			if !stopWords[string(lw)] {
				no = s.number(stemOf(lw))
			}
			s.words[string(lw)] = no
		}
		if no >= 0 {
			s.add(no, pos)
		}
	})
}

// number returns the number of a term, numbering it if it is new.
func (s *analysisScratch) number(term []byte) int32 {
	no, ok := s.termNo[string(term)]
	if !ok {
		no = int32(len(s.slots))
		t := string(term)
		s.slots = append(s.slots, termSlot{term: t})
		s.termNo[t] = no
	}
	return no
}

// add records a kept token: the term numbered no at position pos.
func (s *analysisScratch) add(no int32, pos uint32) {
	sl := &s.slots[no]
	if sl.field != s.field {
		sl.field, sl.k = s.field, int32(len(s.terms))
		s.terms = append(s.terms, sl.term)
	}
	s.termOf = append(s.termOf, sl.k)
	s.posOf = append(s.posOf, pos)
}

// finish returns the distinct terms recorded and their positions grouped
// by term (CompactTerms), in memory of their own.
func (s *analysisScratch) finish() (terms []string, offsets, positions []uint32) {
	terms = append([]string(nil), s.terms...)
	buf := make([]uint32, len(terms)+1+len(s.posOf))
	offsets, positions = buf[:len(terms)+1], buf[len(terms)+1:]
	for _, k := range s.termOf {
		offsets[k+1]++
	}
	for k := range terms {
		offsets[k+1] += offsets[k]
	}
	next := append(s.next[:0], offsets[:len(terms)]...)
	s.next = next
	for i, k := range s.termOf {
		positions[next[k]] = s.posOf[i]
		next[k]++
	}
	return terms, offsets, positions
}
