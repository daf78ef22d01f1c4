package search

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// maxDepth bounds the nesting of parentheses.
const maxDepth = 32

// minPrefix is the number of letters a prefix* needs.
const minPrefix = 3

// node is one element of a parsed query.
type node interface{ String() string }

type (
	andNode struct{ kids []node }
	orNode  struct{ kids []node }
	notNode struct{ kid node }
	// termNode matches any of its phrases in any of its fields. bare marks a
	// plain word of the query (a candidate for multi-word synonym spans).
	termNode struct {
		fields []string
		alts   []phrase
		raw    string
		bare   bool
		// tags are facet values the words name: passages tagged with one
		// match too; tagRef is the words, whose weight a tag match takes.
		tags   []tagValue
		tagRef phrase
	}
	prefixNode struct {
		fields []string
		prefix string
	}
	// filterNode is field:value on a facet field; value is resolved later.
	filterNode struct{ facet, value string }
)

func (n *andNode) String() string { return "(and " + joinNodes(n.kids) + ")" }
func (n *orNode) String() string  { return "(or " + joinNodes(n.kids) + ")" }
func (n *notNode) String() string { return "(not " + n.kid.String() + ")" }
func (n *termNode) String() string {
	parts := make([]string, len(n.alts))
	for i, a := range n.alts {
		parts[i] = a.String()
	}
	s := strings.Join(parts, " | ")
	if len(parts) > 1 {
		s = "{" + s + "}"
	}
	return fieldLabel(n.fields) + s
}
func (n *prefixNode) String() string { return fieldLabel(n.fields) + n.prefix + "*" }
func (n *filterNode) String() string { return n.facet + "=" + strconv.Quote(n.value) }

func fieldLabel(fields []string) string {
	if len(fields) == 1 {
		return fields[0] + ":"
	}
	return ""
}

func joinNodes(ns []node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return strings.Join(parts, " ")
}

// Expr is a parsed query. Its String form is a compact S-expression of
// analysed terms, meant for tests and debugging.
type Expr struct {
	root  node // nil: the empty query, which browses everything
	terms int  // terms counted before prefix expansion
	// bonus is the whole query as one phrase, for a query of several plain
	// words: an optional clause that ranks passages holding it intact higher.
	bonus phrase
}

// Empty reports whether the query has nothing to search for (browse all).
func (e *Expr) Empty() bool { return e == nil || e.root == nil }

func (e *Expr) String() string {
	if e.Empty() {
		return "(all)"
	}
	return e.root.String()
}

// Parse parses a query of the query language (see doc.go) with the
// vocabulary's synonyms. Every error wraps ErrBadQuery and says what is wrong.
func Parse(q string, voc Vocabulary, lim Limits) (*Expr, error) {
	th, err := compile(voc)
	if err != nil {
		return nil, err
	}
	return parse(q, th, lim.withDefaults(), false)
}

// ParseLiteral parses q taking every word literally: operators, quotes,
// parentheses, fields and stars are plain characters.
func ParseLiteral(q string, voc Vocabulary, lim Limits) (*Expr, error) {
	th, err := compile(voc)
	if err != nil {
		return nil, err
	}
	return parse(q, th, lim.withDefaults(), true)
}

func parse(q string, th *thesaurus, lim Limits, literal bool) (*Expr, error) {
	if len(q) > lim.MaxQueryBytes {
		return nil, badQuery(fmt.Sprintf("query too long (max %d bytes)", lim.MaxQueryBytes))
	}
	if !utf8.ValidString(q) {
		return nil, badQuery("invalid UTF-8")
	}
	toks, err := lex(q, literal)
	if err != nil {
		return nil, err
	}
	a, err := textAnalyzer()
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, a: a, literal: literal}
	root, err := p.parseAnd(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) { // a stray ')'
		return nil, badQuery("unbalanced parenthesis")
	}
	e := &Expr{root: expand(root, th)}
	if e.root != nil {
		e.bonus = bonusPhrase(a, toks)
	}
	e.terms = countTerms(e.root) + e.bonus.size()*2
	if e.terms > lim.MaxTerms {
		return nil, tooManyTerms(lim)
	}
	return e, nil
}

// maxBonusWords bounds the whole-query phrase.
const maxBonusWords = 10

// bonusPhrase is the whole query as a phrase when it is made of 2 to
// maxBonusWords plain words (no operators, quotes, fields or prefixes).
func bonusPhrase(a analysis.Analyzer, toks []token) phrase {
	if len(toks) < 2 || len(toks) > maxBonusWords {
		return nil
	}
	words := make([]string, len(toks))
	for i, t := range toks {
		if t.kind != tokWord || t.field != "" || strings.HasSuffix(t.text, "*") {
			return nil
		}
		words[i] = t.text
	}
	ph := analyze(a, strings.Join(words, " "))
	if len(ph) < 2 {
		return nil
	}
	return ph
}

func tooManyTerms(lim Limits) error {
	return &tooManyTermsError{max: lim.MaxTerms}
}

type parser struct {
	toks    []token
	pos     int
	a       analysis.Analyzer
	literal bool // stars are plain characters
}

func (p *parser) peek() (token, bool) {
	if p.pos >= len(p.toks) {
		return token{}, false
	}
	return p.toks[p.pos], true
}

// parseAnd: and := or ( ["AND"] or )* — adjacency means AND.
func (p *parser) parseAnd(depth int) (node, error) {
	var kids []node
	for {
		t, ok := p.peek()
		if !ok || t.kind == tokRParen {
			break
		}
		if t.kind == tokAnd || t.kind == tokOr { // dangling operator
			p.pos++
			continue
		}
		n, err := p.parseOr(depth)
		if err != nil {
			return nil, err
		}
		if n != nil {
			kids = append(kids, n)
		}
	}
	return simplify(&andNode{kids: kids}), nil
}

// parseOr: or := unary ( "OR" unary )* — OR binds tighter than AND.
func (p *parser) parseOr(depth int) (node, error) {
	first, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for {
		t, ok := p.peek()
		if !ok || t.kind != tokOr {
			break
		}
		p.pos++
		if t, ok := p.peek(); !ok || t.kind == tokRParen || t.kind == tokOr || t.kind == tokAnd {
			continue // "a OR" / "a OR OR b": the dangling OR is ignored
		}
		n, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	return simplify(&orNode{kids: kids}), nil
}

// parseUnary: unary := ("NOT" | "-") unary | primary.
func (p *parser) parseUnary(depth int) (node, error) {
	t, ok := p.peek()
	if ok && t.kind == tokNot {
		p.pos++
		if next, ok := p.peek(); !ok || next.kind == tokRParen || next.kind == tokAnd || next.kind == tokOr {
			return nil, nil
		}
		kid, err := p.parseUnary(depth)
		if err != nil || kid == nil {
			return nil, err
		}
		if inner, ok := kid.(*notNode); ok { // NOT NOT a
			return inner.kid, nil
		}
		return &notNode{kid: kid}, nil
	}
	return p.parsePrimary(depth)
}

// parsePrimary: "(" and ")" | field:value | "phrase" | prefix* | word.
func (p *parser) parsePrimary(depth int) (node, error) {
	t, ok := p.peek()
	if !ok {
		return nil, nil
	}
	p.pos++
	switch t.kind {
	case tokLParen:
		if depth+1 > maxDepth {
			return nil, badQuery(fmt.Sprintf("too many nested parentheses (max %d)", maxDepth))
		}
		n, err := p.parseAnd(depth + 1)
		if err != nil {
			return nil, err
		}
		if c, ok := p.peek(); !ok || c.kind != tokRParen {
			return nil, badQuery("unbalanced parenthesis")
		}
		p.pos++
		return n, nil
	case tokRParen:
		return nil, badQuery("unbalanced parenthesis")
	case tokWord, tokPhrase:
		return p.leaf(t)
	}
	return nil, nil // AND/OR where an operand was expected
}

// leaf makes the node of a word or phrase, with its field if any.
func (p *parser) leaf(t token) (node, error) {
	if t.field != "" && !fieldKinds[t.field] {
		return filterLeaf(t.field, t.text)
	}
	fields := []string{fieldTitle, fieldSection, fieldText}
	if t.field != "" {
		fields = []string{t.field}
	}
	text := t.text
	if t.kind == tokWord && !p.literal {
		if base := strings.TrimRight(text, "*"); base != text {
			if base == "" {
				return nil, nil // a lone * is ignored
			}
			if isWordChars(base) {
				if utf8.RuneCountInString(base) < minPrefix {
					return nil, badQuery(fmt.Sprintf("prefix needs at least %d letters", minPrefix))
				}
				return &prefixNode{fields: fields, prefix: strings.ToLower(base)}, nil
			}
			text = base
		}
	}
	ph := analyze(p.a, text)
	if ph.size() == 0 {
		return nil, nil // stop words and punctuation only
	}
	return &termNode{fields: fields, alts: []phrase{ph}, raw: text, bare: t.kind == tokWord && t.field == ""}, nil
}

func filterLeaf(facet, value string) (node, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, badQuery(fmt.Sprintf("missing value after %q", facet+":"))
	}
	if facet == FacetYear {
		y, err := parseYear(value)
		if err != nil {
			return nil, badQuery(err.Error())
		}
		value = yearTerm(y)
	}
	return &filterNode{facet: facet, value: value}, nil
}

// parseYear accepts a year of one to four digits.
func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 0 || y > 9999 {
		return 0, fmt.Errorf("year must be a number from 0 to 9999, not %q", s)
	}
	return y, nil
}

func isWordChars(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// simplify collapses an AND or OR node of zero or one operand.
func simplify(n node) node {
	var kids []node
	switch n := n.(type) {
	case *andNode:
		kids = n.kids
	case *orNode:
		kids = n.kids
	default:
		return n
	}
	var keep []node
	for _, k := range kids {
		if k != nil {
			keep = append(keep, k)
		}
	}
	switch len(keep) {
	case 0:
		return nil
	case 1:
		return keep[0]
	}
	switch n.(type) {
	case *andNode:
		return &andNode{kids: keep}
	default:
		return &orNode{kids: keep}
	}
}
