package search

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Prefix expansion bounds: the number of index terms one prefix may stand
// for in one field (the most frequent are kept), and the number of
// dictionary entries scanned to find them.
const (
	maxPrefixTerms = 50
	maxPrefixScan  = 20000
)

// Boosts of the optional whole-query phrase.
const (
	bonusTitleBoost   = 4
	bonusSectionBoost = 4
	bonusTextBoost    = 2
)

// builder turns a parsed query into a bleve query against one bleve.Index
// (an index or an alias), counting term lookups as it goes.
type builder struct {
	ctx   context.Context
	bi    bleve.Index
	th    *thesaurus
	terms int
	max   int
	df    map[string]uint64 // field and term → document frequency
	docs  uint64
}

func (b *builder) add(n int) error {
	b.terms += n
	if b.terms > b.max {
		return tooManyTerms(Limits{MaxTerms: b.max})
	}
	return nil
}

// query builds the bleve query of an expression; nil for the empty query.
func (b *builder) query(e *Expr) (query.Query, error) {
	if e.Empty() {
		return nil, nil
	}
	if err := b.add(e.terms); err != nil {
		return nil, err
	}
	return b.node(e.root)
}

// bonus builds the optional whole-query phrase clause, or nil.
func (b *builder) bonus(e *Expr) query.Query {
	if e == nil || len(e.bonus) < 2 {
		return nil
	}
	all := []string{fieldTitle, fieldSection, fieldText}
	return disjunction([]query.Query{
		&phraseQuery2{terms: e.bonus, field: fieldTitle, boost: bonusTitleBoost * b.fieldWeight(e.bonus, fieldTitle, all)},
		&phraseQuery2{terms: e.bonus, field: fieldSection, boost: bonusSectionBoost * b.fieldWeight(e.bonus, fieldSection, all)},
		&phraseQuery2{terms: e.bonus, field: fieldText, boost: bonusTextBoost * b.fieldWeight(e.bonus, fieldText, all)},
	})
}

func (b *builder) node(n node) (query.Query, error) {
	switch n := n.(type) {
	case *andNode:
		var must, not []query.Query
		for _, k := range n.kids {
			if nn, ok := k.(*notNode); ok {
				q, err := b.node(nn.kid)
				if err != nil {
					return nil, err
				}
				not = append(not, q)
				continue
			}
			q, err := b.node(k)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		return boolean(must, not), nil
	case *orNode:
		qs, err := b.nodes(n.kids)
		if err != nil {
			return nil, err
		}
		return disjunction(qs), nil
	case *notNode:
		q, err := b.node(n.kid)
		if err != nil {
			return nil, err
		}
		return boolean(nil, []query.Query{q}), nil
	case *atLeastNode:
		qs, err := b.nodes(n.kids)
		if err != nil {
			return nil, err
		}
		sq := &sumQuery{kids: qs, min: n.min}
		if n.exact {
			sq.exact = exactBonus
		}
		return sq, nil
	case *termNode:
		var qs []query.Query
		for _, alt := range n.alts {
			for _, f := range n.fields {
				qs = append(qs, phraseQuery(alt, f, boostOf(f, len(n.fields))*b.fieldWeight(alt, f, n.fields)))
			}
		}
		for _, tv := range n.tags {
			qs = append(qs, termQuery(tv.value, tv.facet, b.tagWeight(n, tv)))
		}
		return disjunction(qs), nil
	case *prefixNode:
		return b.prefix(n)
	case *filterNode:
		return &facetTermQuery{th: b.th, facet: n.facet, value: n.value}, nil
	}
	return nothing(), nil
}

// nodes builds the queries of kids, in order.
func (b *builder) nodes(kids []node) ([]query.Query, error) {
	qs := make([]query.Query, 0, len(kids))
	for _, k := range kids {
		q, err := b.node(k)
		if err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// boolean is AND of must without any of not; with no must it starts from
// every document.
func boolean(must, not []query.Query) query.Query {
	if len(not) == 0 {
		if len(must) == 1 {
			return must[0]
		}
		return query.NewConjunctionQuery(must)
	}
	if len(must) == 0 {
		must = []query.Query{query.NewMatchAllQuery()}
	}
	return query.NewBooleanQuery(must, nil, not)
}

// disjunction matches any of qs, scored by the sum of those that match.
func disjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nothing()
	case 1:
		return qs[0]
	}
	return &sumQuery{kids: qs}
}

// nothing matches no document. Unlike bleve's MatchNone it stays a real
// searcher, so a boolean query never mistakes it for an absent clause and
// falls back to matching everything.
func nothing() query.Query { return termQuery("\x00", "_id", 1) }

func boostOf(field string, nfields int) float64 {
	if nfields == 1 {
		return 1
	}
	for _, f := range textFields {
		if f.name == field {
			return f.boost
		}
	}
	return 1
}

func termQuery(term, field string, boost float64) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func phraseQuery(p phrase, field string, boost float64) query.Query {
	if len(p) == 1 && len(p[0]) == 1 {
		return termQuery(p[0][0], field, boost)
	}
	return &phraseQuery2{terms: p, field: field, boost: boost}
}

// prefix expands prefix* against each field's term dictionary. The index
// holds stems ("organization" → "organ"), so the expansion also takes terms
// that start with the prefix's own stem, and stems the prefix extends by at
// most 3 letters ("organiz*" → "organ").
func (b *builder) prefix(n *prefixNode) (query.Query, error) {
	a, err := textAnalyzer()
	if err != nil {
		return nil, err
	}
	p := n.prefix
	var stem string
	if ph := analyze(a, p); ph.size() == 1 {
		if s := ph[0][0]; s != p && utf8.RuneCountInString(s) >= minPrefix {
			stem = s
		}
	}
	plen := utf8.RuneCountInString(p)
	scan := truncateRunes(p, max(minPrefix, plen-3))
	if stem != "" {
		scan = commonPrefix(scan, stem)
	}
	if utf8.RuneCountInString(scan) < minPrefix {
		scan = truncateRunes(p, minPrefix)
		stem = ""
	}
	accept := func(t string) bool {
		if strings.HasPrefix(t, p) || (stem != "" && strings.HasPrefix(t, stem)) {
			return true
		}
		tl := utf8.RuneCountInString(t)
		return strings.HasPrefix(p, t) && tl >= 4 && tl >= plen-3
	}
	var qs []query.Query
	for _, f := range n.fields {
		terms, err := b.dictPrefix(f, scan, accept)
		if err != nil {
			return nil, err
		}
		if err := b.add(len(terms)); err != nil {
			return nil, err
		}
		for _, t := range terms {
			qs = append(qs, termQuery(t, f, boostOf(f, len(n.fields))*b.fieldWeight(phrase{{t}}, f, n.fields)))
		}
	}
	return disjunction(qs), nil
}

// dictPrefix lists the accepted terms of field that start with scan, the
// most frequent maxPrefixTerms of them.
func (b *builder) dictPrefix(field, scan string, accept func(string) bool) ([]string, error) {
	dict, err := b.bi.FieldDictPrefix(field, []byte(scan))
	if err != nil {
		return nil, err
	}
	defer func() { _ = dict.Close() }()
	type tc struct {
		term  string
		count uint64
	}
	var found []tc
	for i := 0; i < maxPrefixScan; i++ {
		if i%1024 == 0 {
			if err := b.ctx.Err(); err != nil {
				return nil, err
			}
		}
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if accept(e.Term) {
			found = append(found, tc{e.Term, e.Count})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].count != found[j].count {
			return found[i].count > found[j].count
		}
		return found[i].term < found[j].term
	})
	if len(found) > maxPrefixTerms {
		found = found[:maxPrefixTerms]
	}
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.term
	}
	return out, nil
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func commonPrefix(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	for i > 0 && i < len(a) && !utf8.RuneStart(a[i]) {
		i--
	}
	return a[:i]
}

// resolveKnown resolves what needs no index: a year (to its term, or as
// given when it is not one) and an alias of the vocabulary (to its display
// name). known is false for any other value, returned trimmed.
func resolveKnown(th *thesaurus, facet, value string) (v string, known bool) {
	value = strings.TrimSpace(value)
	if facet == FacetYear || facet == FacetPublishedYear {
		if y, err := parseYear(value); err == nil {
			return yearTerm(y), true
		}
		return value, true
	}
	if v, ok := th.alias(facet, value); ok {
		return v, true
	}
	return value, false
}

// facetTermQuery is field:value on a facet field: the term the value
// resolves to in the facet index of the snapshot searched (as a filter
// value does: facetIndex.resolve), scored as a term.
type facetTermQuery struct {
	th           *thesaurus
	facet, value string
}

// Searcher implements query.Query.
func (q *facetTermQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	fx, err := facetIndexOf(r)
	if err != nil {
		return nil, err
	}
	return termQuery(fx.resolve(q.th, q.facet, q.value), q.facet, 1).Searcher(ctx, r, m, options)
}
