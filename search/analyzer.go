package search

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/go-porterstemmer"
)

// textAnalyzerName is the analyzer of the text fields: bleve's English
// analyzer ("en": Unicode word tokens, possessive 's dropped, lower case,
// English stop words, Porter stems) made faster but token for token the
// same, without the tokens' byte offsets (noOffsets). Plain-ASCII text,
// most of the corpus, is cut into words by a direct implementation of the
// Unicode word-break rules for ASCII, and stems are remembered. Indexes
// built with "en" stay compatible.
const textAnalyzerName = "inl_en"

func init() {
	if err := registry.RegisterAnalyzer(textAnalyzerName, newTextAnalyzer); err != nil {
		panic(err)
	}
}

func newTextAnalyzer(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
	var filters []analysis.TokenFilter
	for _, name := range []string{en.PossessiveName, lowercase.Name, en.StopName} {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, fmt.Errorf("analyzer %s: %w", textAnalyzerName, err)
		}
		filters = append(filters, f)
	}
	return &analysis.DefaultAnalyzer{
		Tokenizer:    asciiTokenizer{slow: unicode.NewUnicodeTokenizer()},
		TokenFilters: append(filters, stemCache{}, noOffsets{}),
	}, nil
}

// asciiTokenizer is bleve's Unicode tokenizer with a fast path for input
// that is all ASCII, where the word-break rules (UAX #29) reduce to: letters,
// digits and "_" join; a letter, "." or "'" or ":", a letter join; a digit,
// "." or "'" or "," or ";", a digit join; everything else separates, and
// only runs of letters, digits and "_" become tokens.
type asciiTokenizer struct{ slow analysis.Tokenizer }

// ASCII word-break classes.
const (
	wbOther = iota
	wbLetter
	wbDigit
	wbUnderscore
	wbMidLetter    // ':'
	wbMidNumLetter // '.', '\''
	wbMidNum       // ',', ';'
)

var wbClass = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = wbLetter
		t[c-'a'+'A'] = wbLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wbDigit
	}
	t['_'] = wbUnderscore
	t[':'] = wbMidLetter
	t['.'], t['\''] = wbMidNumLetter, wbMidNumLetter
	t[','], t[';'] = wbMidNum, wbMidNum
	return t
}()

func isASCII[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Tokenize implements analysis.Tokenizer.
func (t asciiTokenizer) Tokenize(input []byte) analysis.TokenStream {
	if !isASCII(input) {
		return t.slow.Tokenize(input)
	}
	// Counting the tokens first costs a pass over the input, less than
	// growing the slice (and the garbage collector's work for it): the
	// tokens of a text are the largest allocation of a build.
	n := 0
	asciiWords(input, func(int, int, bool) { n++ })
	tokens := make([]analysis.Token, 0, n)
	asciiWords(input, func(start, end int, numeric bool) {
		typ := analysis.AlphaNumeric
		if numeric {
			typ = analysis.Numeric
		}
		tokens = append(tokens, analysis.Token{
			Term: input[start:end], Start: start, End: end, Position: len(tokens) + 1, Type: typ,
		})
	})
	out := make(analysis.TokenStream, len(tokens))
	for k := range tokens {
		out[k] = &tokens[k]
	}
	return out
}

// asciiWords calls yield with the byte range of every token of the ASCII
// input, in order (the n-th call is the token at position n), and whether
// it is all digits.
func asciiWords[T string | []byte](input T, yield func(start, end int, numeric bool)) {
	n := len(input)
	for i := 0; i < n; {
		c := wbClass[input[i]]
		if c != wbLetter && c != wbDigit && c != wbUnderscore {
			i++
			continue
		}
		start := i
		letters, digits := c == wbLetter, c == wbDigit
		for i+1 < n {
			cur, next := wbClass[input[i]], wbClass[input[i+1]]
			if next == wbLetter || next == wbDigit || next == wbUnderscore {
				i++
				letters = letters || next == wbLetter
				digits = digits || next == wbDigit
				continue
			}
			if i+2 < n {
				after := wbClass[input[i+2]]
				if cur == wbLetter && after == wbLetter && (next == wbMidLetter || next == wbMidNumLetter) ||
					cur == wbDigit && after == wbDigit && (next == wbMidNum || next == wbMidNumLetter) {
					i += 2
					continue
				}
			}
			break
		}
		i++
		yield(start, i, digits && !letters)
	}
}

// tokenSpans returns the byte range in text of the token at each of the
// positions want (1-based, as the text analyzer numbers its tokens; bleve
// keeps a token's position through the filters that drop or change
// tokens), in a map from position to range. Positions past the text are
// left out.
func tokenSpans(text string, want map[uint64]bool) map[uint64][2]int {
	out := make(map[uint64][2]int, len(want))
	if len(want) == 0 {
		return out
	}
	var last uint64
	for p := range want {
		last = max(last, p)
	}
	if isASCII(text) {
		pos := uint64(0)
		asciiWords(text, func(start, end int, _ bool) {
			if pos++; want[pos] {
				out[pos] = [2]int{start, end}
			}
		})
		return out
	}
	for _, tok := range unicode.NewUnicodeTokenizer().Tokenize([]byte(text)) {
		if p := uint64(tok.Position); want[p] {
			out[p] = [2]int{tok.Start, tok.End}
		}
		if uint64(tok.Position) >= last {
			break
		}
	}
	return out
}

// noOffsets is the last filter of the text analyzer: it drops each token's
// byte offsets, which the index would otherwise keep beside its position
// in every term vector (two varints of up to three bytes an occurrence,
// about a tenth of the index). Phrases need the positions only, and a
// snippet finds a matched token's bytes again from its position
// (tokenSpans), in the stored text.
type noOffsets struct{}

// Filter implements analysis.TokenFilter.
func (noOffsets) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Start, tok.End = 0, 0
	}
	return input
}

// stemCache is bleve's Porter stemmer filter ("stemmer_porter") with the
// stems of frequent words remembered: text follows Zipf's law, so nearly
// every word has been stemmed before.
type stemCache struct{}

const (
	stemShards   = 64
	stemPerShard = 4096 // words remembered per shard
)

var stems [stemShards]struct {
	sync.RWMutex
	m map[string][]byte
}

var stemSeed = maphash.MakeSeed()

// Filter implements analysis.TokenFilter.
func (stemCache) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord {
			continue
		}
		tok.Term = stemOf(tok.Term)
	}
	return input
}

// stemOf returns the Porter stem of term, remembered; the stem is shared
// (an append to it copies).
func stemOf(term []byte) []byte {
	sh := &stems[maphash.Bytes(stemSeed, term)%stemShards]
	sh.RLock()
	s, ok := sh.m[string(term)]
	sh.RUnlock()
	if ok {
		return s
	}
	s = analysis.BuildTermFromRunes(porterstemmer.StemWithoutLowerCasing(bytes.Runes(term)))
	s = s[:len(s):len(s)] // shared: an append must copy
	sh.Lock()
	if sh.m == nil {
		sh.m = make(map[string][]byte, stemPerShard)
	}
	if len(sh.m) < stemPerShard {
		sh.m[string(term)] = s
	}
	sh.Unlock()
	return s
}
