package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tokWord tokKind = iota
	tokPhrase
	tokLParen
	tokRParen
	tokAnd
	tokOr
	tokNot
)

// token is one lexical item of a query. A word or phrase may carry a field
// ("title:money", `country:"South Sudan"`).
type token struct {
	kind  tokKind
	text  string
	field string
}

// isQuote reports whether r opens or closes a phrase; typographic quotes
// pasted from documents count too.
func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' }

func isSpace(r rune) bool { return unicode.IsSpace(r) }

// lex splits a query into tokens. In literal mode every run of non-space
// characters is a plain word: no operators, quotes, parentheses or fields.
func lex(q string, literal bool) ([]token, error) {
	var toks []token
	if literal {
		for _, w := range strings.FieldsFunc(q, isSpace) {
			toks = append(toks, token{kind: tokWord, text: w})
		}
		return toks, nil
	}
	i := 0
	for i < len(q) {
		r, n := utf8.DecodeRuneInString(q[i:])
		switch {
		case isSpace(r):
			i += n
		case r == '(':
			toks = append(toks, token{kind: tokLParen})
			i += n
		case r == ')':
			toks = append(toks, token{kind: tokRParen})
			i += n
		case isQuote(r):
			text, next, err := readPhrase(q, i+n)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokPhrase, text: text})
			i = next
		case r == '-' || r == '+':
			// "-word" negates, "+word" is a word (every word is required);
			// a lone sign is punctuation.
			next, m := utf8.DecodeRuneInString(q[i+n:])
			if i+n >= len(q) || m == 0 || isSpace(next) || next == ')' {
				i += n
				continue
			}
			if r == '-' {
				toks = append(toks, token{kind: tokNot})
			}
			i += n
		default:
			end := i
			for end < len(q) {
				c, m := utf8.DecodeRuneInString(q[end:])
				if isSpace(c) || c == '(' || c == ')' || isQuote(c) {
					break
				}
				end += m
			}
			word := q[i:end]
			i = end
			if name, rest, ok := fieldPrefix(word); ok {
				tok, next, err := fieldValue(q, name, rest, i)
				if err != nil {
					return nil, err
				}
				toks = append(toks, tok)
				i = next
				continue
			}
			switch word {
			case "AND", "&&":
				toks = append(toks, token{kind: tokAnd})
			case "OR", "||":
				toks = append(toks, token{kind: tokOr})
			case "NOT":
				toks = append(toks, token{kind: tokNot})
			default:
				toks = append(toks, token{kind: tokWord, text: word})
			}
		}
	}
	return toks, nil
}

// readPhrase reads up to the closing quote; start is just past the opening one.
func readPhrase(q string, start int) (text string, next int, err error) {
	for j := start; j < len(q); {
		c, m := utf8.DecodeRuneInString(q[j:])
		if isQuote(c) {
			return q[start:j], j + m, nil
		}
		j += m
	}
	return "", 0, badQuery("unterminated quote")
}

// fieldPrefix splits "name:rest" when name is made of ASCII letters.
func fieldPrefix(word string) (name, rest string, ok bool) {
	k := strings.IndexByte(word, ':')
	if k <= 0 {
		return "", "", false
	}
	for _, c := range word[:k] {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '_' {
			return "", "", false
		}
	}
	return strings.ToLower(word[:k]), word[k+1:], true
}

// fieldValue completes a field token: the rest of the word, or a quoted
// phrase that follows the colon. at is the index just past the word.
func fieldValue(q, name, rest string, at int) (token, int, error) {
	if _, known := fieldKinds[name]; !known {
		return token{}, 0, badQuery(fmt.Sprintf("unknown field %q", name))
	}
	if rest != "" {
		return token{kind: tokWord, text: rest, field: name}, at, nil
	}
	if at < len(q) {
		if c, m := utf8.DecodeRuneInString(q[at:]); isQuote(c) {
			text, next, err := readPhrase(q, at+m)
			if err != nil {
				return token{}, 0, err
			}
			return token{kind: tokPhrase, text: text, field: name}, next, nil
		}
	}
	return token{}, 0, badQuery(fmt.Sprintf("missing value after %q", name+":"))
}

// fieldKinds lists the query fields: text fields search analysed text, the
// others are facet filters.
var fieldKinds = map[string]bool{
	fieldTitle: true, fieldSection: true, fieldText: true,
	FacetOrganization: false, FacetCountry: false, FacetRegion: false,
	FacetTopic: false, FacetType: false, FacetYear: false,
}

func badQuery(msg string) error { return fmt.Errorf("%w: %s", ErrBadQuery, msg) }
