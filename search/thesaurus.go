package search

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// phrase is an analysed word sequence: one slot per token position, a nil
// slot for a position whose token was dropped (a stop word inside a phrase).
// A phrase of one slot is a single term.
type phrase [][]string

// key is the phrase's terms joined by spaces, gaps left out: the form in
// which query spans and synonym entries are compared.
func (p phrase) key() string {
	var b strings.Builder
	for _, slot := range p {
		for _, t := range slot {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// size is the number of terms in the phrase.
func (p phrase) size() int {
	n := 0
	for _, slot := range p {
		n += len(slot)
	}
	return n
}

func (p phrase) String() string {
	if len(p) == 1 && len(p[0]) == 1 {
		return p[0][0]
	}
	parts := make([]string, len(p))
	for i, slot := range p {
		switch len(slot) {
		case 0:
			parts[i] = "_"
		default:
			parts[i] = strings.Join(slot, "|")
		}
	}
	return `"` + strings.Join(parts, " ") + `"`
}

var (
	analyzerOnce sync.Once
	enAnalyzer   analysis.Analyzer
	analyzerErr  error
)

// textAnalyzer is the analyzer of the text fields ("en": unicode tokenizer,
// possessive, lower case, English stop words, Porter stemmer).
func textAnalyzer() (analysis.Analyzer, error) {
	analyzerOnce.Do(func() {
		enAnalyzer, analyzerErr = registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	})
	return enAnalyzer, analyzerErr
}

// analyze turns text into a phrase with the text fields' analyzer.
func analyze(a analysis.Analyzer, text string) phrase {
	tokens := a.Analyze([]byte(text))
	if len(tokens) == 0 {
		return nil
	}
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		first = min(first, t.Position)
		last = max(last, t.Position)
	}
	p := make(phrase, last-first+1)
	for _, t := range tokens {
		i := t.Position - first
		p[i] = append(p[i], string(t.Term))
	}
	return p
}

// concat joins phrases as if their texts followed each other.
func concat(ps ...phrase) phrase {
	var out phrase
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

// thesaurus is a Vocabulary compiled for query expansion and filter resolution.
type thesaurus struct {
	groups  [][]phrase     // analysed synonym groups
	byKey   map[string]int // phrase key → group index
	maxLen  int            // longest entry or tag name, in terms
	aliases map[string]map[string]string
	tags    map[string][]tagValue // phrase key → the facet values it names
}

// tagValue is a facet value that a query word or run of words names.
type tagValue struct{ facet, value string }

// tagFacets are the facets whose values a plain query word may name: a
// word or run of words equal to one of their values or aliases also
// matches the passages tagged with that value.
var tagFacets = []string{FacetCountry, FacetRegion, FacetOrganization, FacetTopic}

// compile analyses the vocabulary's synonym groups and lower-cases its
// aliases; every canonical value is also an alias of itself.
func compile(voc Vocabulary) (*thesaurus, error) {
	a, err := textAnalyzer()
	if err != nil {
		return nil, err
	}
	th := &thesaurus{byKey: map[string]int{}, aliases: map[string]map[string]string{}, tags: map[string][]tagValue{}}
	for _, g := range voc.Synonyms {
		var group []phrase
		seen := map[string]bool{}
		for _, entry := range g {
			p := analyze(a, entry)
			k := p.key()
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			group = append(group, p)
		}
		if len(group) < 2 {
			continue
		}
		gi := len(th.groups)
		th.groups = append(th.groups, group)
		for _, p := range group {
			if _, dup := th.byKey[p.key()]; !dup {
				th.byKey[p.key()] = gi
			}
			th.maxLen = max(th.maxLen, p.size())
		}
	}
	for facet, m := range voc.Aliases {
		facet = strings.ToLower(facet)
		dst := th.aliases[facet]
		if dst == nil {
			dst = map[string]string{}
			th.aliases[facet] = dst
		}
		for alias, canonical := range m {
			dst[strings.ToLower(strings.TrimSpace(alias))] = canonical
			dst[strings.ToLower(strings.TrimSpace(canonical))] = canonical
		}
	}
	for _, facet := range tagFacets {
		for alias, canonical := range th.aliases[facet] {
			p := analyze(a, alias)
			k := p.key()
			if k == "" {
				continue
			}
			tv := tagValue{facet, canonical}
			if !slices.Contains(th.tags[k], tv) {
				th.tags[k] = append(th.tags[k], tv)
			}
			th.maxLen = max(th.maxLen, p.size())
		}
	}
	for _, tvs := range th.tags { // map order must not show in queries
		slices.SortFunc(tvs, func(x, y tagValue) int {
			return cmp.Or(strings.Compare(x.facet, y.facet), strings.Compare(x.value, y.value))
		})
	}
	return th, nil
}

// tagsOf returns the facet values that p names, if any.
func (th *thesaurus) tagsOf(p phrase) []tagValue {
	if th == nil {
		return nil
	}
	return th.tags[p.key()]
}

// lookup returns the synonym group whose entry equals p, if any.
func (th *thesaurus) lookup(p phrase) ([]phrase, bool) {
	if th == nil || len(th.byKey) == 0 {
		return nil, false
	}
	gi, ok := th.byKey[p.key()]
	if !ok {
		return nil, false
	}
	return th.groups[gi], true
}

// alias resolves a filter value through the vocabulary's aliases.
func (th *thesaurus) alias(facet, value string) (string, bool) {
	if th == nil {
		return "", false
	}
	v, ok := th.aliases[facet][strings.ToLower(strings.TrimSpace(value))]
	return v, ok
}
