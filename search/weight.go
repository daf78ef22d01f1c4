package search

import (
	"math"

	"github.com/blevesearch/bleve/v2/index/scorch"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// passageB is BM25's length normalisation (b) for our passages, lowered from
// bleve's 0.75. A passage is one section of a page, from a photo caption
// to a long "Accomplishments" chapter, and its length says little about
// its relevance: at 0.75 a list of goals that names a subject once
// outranked the chapter that describes the work. bleve keeps b in a
// package variable, so this sets it for the process (only this package
// uses bleve).
const passageB = 0.3

func init() { bsearch.BM25_b = passageB }

// tagShare is what a passage's tag counts, as a share of one occurrence of
// the words that name it.
const tagShare = 0.5

// docFreq is the number of passages holding term in field (cached).
func (b *builder) docFreq(field, term string) uint64 {
	key := field + "\x00" + term
	if n, ok := b.df[key]; ok {
		return n
	}
	// The postings of live passages only: a dictionary's count includes
	// deleted passages not yet merged away (see bm25.go).
	n, ok := b.liveDocFreq(field, term)
	if !ok { // an alias: its dictionary's count
		if d, err := b.bi.FieldDictPrefix(field, []byte(term)); err == nil {
			if e, err := d.Next(); err == nil && e != nil && e.Term == term {
				n = e.Count
			}
			_ = d.Close()
		}
	}
	if b.df == nil {
		b.df = map[string]uint64{}
	}
	b.df[key] = n
	return n
}

// liveDocFreq counts the live passages holding term in field; ok is false
// when bi gives no reader of its own (an alias).
func (b *builder) liveDocFreq(field, term string) (n uint64, ok bool) {
	adv, err := b.bi.Advanced()
	if err != nil {
		return 0, false
	}
	r, err := adv.Reader()
	if snap, isScorch := r.(*scorch.IndexSnapshot); err != nil || (isScorch && snap == nil) {
		return 0, false // closed: the search reports it
	}
	defer func() { _ = r.Close() }()
	tfr, err := r.TermFieldReader(b.ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, false
	}
	defer func() { _ = tfr.Close() }()
	return tfr.Count(), true
}

// docCount is the number of passages in the index (read once).
func (b *builder) docCount() uint64 {
	if b.docs == 0 {
		if n, err := b.bi.DocCount(); err == nil {
			b.docs = n
		}
	}
	return b.docs
}

// idf is BM25's inverse document frequency, as bleve computes it.
func idf(docs, df uint64) float64 {
	return math.Log(1 + (float64(docs)-float64(df)+0.5)/(float64(df)+0.5))
}

// fieldWeight makes a word weigh the same in every field it is searched in
// (fields), however rare it is in that field: it is the factor that turns
// the idf² a phrase gets in field into the idf² it has in the passage as a
// whole. bleve scores each field apart, with the field's own idf (squared,
// through the query weight), so a word common in passage text but rare in
// titles scored tens of times more in a title than in the text, and a title
// shared by every passage of a page outweighed the passages' own words.
// With the idf of the passage as a whole (the word's largest document
// frequency over the fields, as BM25F takes it), the field boosts alone say
// how much more a heading counts.
func (b *builder) fieldWeight(p phrase, field string, fields []string) float64 {
	if len(fields) < 2 {
		return 1
	}
	n := b.docCount()
	own, whole := 0.0, 0.0
	for _, slot := range p {
		for _, t := range slot {
			df := b.docFreq(field, t)
			if df == 0 {
				return 1 // the phrase cannot match in this field
			}
			most := df
			for _, f := range fields {
				most = max(most, b.docFreq(f, t))
			}
			x, y := idf(n, df), idf(n, most)
			own += x * x
			whole += y * y
		}
	}
	if own == 0 {
		return 1
	}
	return whole / own
}

// tagWeight is the boost of a match on a tag the words of n name: tagShare
// of what one occurrence of the words weighs in the text. The most common
// wording of n sets the weight ("AML" is rare, "money laundering" is not),
// so that a passage only tagged never outranks one that says it.
func (b *builder) tagWeight(n *termNode, tv tagValue) float64 {
	ref := -1.0
	for _, p := range append([]phrase{n.tagRef}, n.alts...) {
		if w := b.wholeIDF2(p); w > 0 && (ref < 0 || w < ref) {
			ref = w
		}
	}
	df := b.docFreq(tv.facet, tv.value)
	if ref < 0 || df == 0 {
		return tagShare
	}
	x := idf(b.docCount(), df)
	return tagShare * ref / (x * x)
}

// wholeIDF2 is the sum of the squared idf of p's terms in the passage as a
// whole (their largest document frequency over the text fields).
func (b *builder) wholeIDF2(p phrase) float64 {
	n := b.docCount()
	s := 0.0
	for _, slot := range p {
		for _, t := range slot {
			var most uint64
			for _, f := range textFields {
				most = max(most, b.docFreq(f.name, t))
			}
			x := idf(n, most)
			s += x * x
		}
	}
	return s
}
