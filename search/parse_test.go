package search

import (
	"errors"
	"strings"
	"testing"
)

var testVocabulary = Vocabulary{
	Synonyms: [][]string{
		{"money laundering", "AML", "anti-money laundering"},
		{"United Nations Office on Drugs and Crime", "UNODC"},
	},
	Aliases: map[string]map[string]string{
		FacetOrganization: {"unodc": "United Nations Office on Drugs and Crime"},
	},
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct{ q, want string }{
		{"", "(all)"},
		{"   ", "(all)"},
		{"police", "polic"},
		{"police training", "(and polic train)"},
		{"police AND training", "(and polic train)"},
		{"police OR courts training", "(and (or polic court) train)"},
		{"(police OR courts) training", "(and (or polic court) train)"},
		{"police -training", "(and polic (not train))"},
		{"police NOT training", "(and polic (not train))"},
		{"NOT NOT police", "polic"},
		{"-(police OR courts)", "(not (or polic court))"},
		{`"border police"`, `"border polic"`},
		{`"office on drugs"`, `"offic _ drug"`},
		{"anti-gang", `"anti gang"`},
		{"traffick*", "traffick*"},
		{"Traffick**", "traffick*"},
		{"title:Mexico", "title:mexico"},
		{`section:"border security"`, `section:"border secur"`},
		{"title:traff*", "title:traff*"},
		{"COUNTRY:mexico", `country="mexico"`},
		{`organization:"Egmont Group"`, `organization="Egmont Group"`},
		{"year:2013", `year="2013"`},
		{"AML", `{aml | "monei launder" | "anti monei launder"}`},
		{"UNODC", `{unodc | "unit nation offic _ drug _ crime"}`},
		{"money laundering Haiti", `(and (or (and monei launder) {aml | "anti monei launder"}) haiti)`},
		{`"anti-money laundering"`, `{"anti monei launder" | "monei launder" | aml}`},
		{"AML OR fraud", `(or {aml | "monei launder" | "anti monei launder"} fraud)`},
		{"the of and", "(all)"},
		{"*", "(all)"},
		{"coca~2 /erad.*/ ?", `(and "coca 2" erad)`},
		{"+Haiti", "haiti"},
		{"a OR", "(all)"},
		{"OR police", "polic"},
		{"police NOT", "polic"},
		{"()", "(all)"},
		{"anti-mon*", `"anti mon"`},
		{"“smart quotes”", `"smart quot"`},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			t.Parallel()
			e, err := Parse(tt.q, testVocabulary, Limits{})
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.q, err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.q, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ q, want string }{
		{`"foo`, "unterminated quote"},
		{`police "border`, "unterminated quote"},
		{`title:"border`, "unterminated quote"},
		{"(((", "unbalanced parenthesis"},
		{"(police", "unbalanced parenthesis"},
		{"police)", "unbalanced parenthesis"},
		{")", "unbalanced parenthesis"},
		{"foo:bar", `unknown field "foo"`},
		{"a:b:c", `unknown field "a"`},
		{"http://example.org", `unknown field "http"`},
		{"title:", `missing value after "title:"`},
		{"country:", `missing value after "country:"`},
		{"title:(police)", `missing value after "title:"`},
		{"ab*", "prefix needs at least 3 letters"},
		{"title:x*", "prefix needs at least 3 letters"},
		{"year:abc", "year must be a number"},
		{"year:12345", "year must be a number"},
		{"\xff\xfe", "invalid UTF-8"},
		{strings.Repeat("a", 1025), "query too long (max 1024 bytes)"},
		{strings.Repeat("(", 40) + "x" + strings.Repeat(")", 40), "too many nested parentheses"},
		{strings.Repeat("AML ", 60), "too many terms after expansion (max 1024)"},
	}
	for _, tt := range tests {
		name := tt.q
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.q, testVocabulary, Limits{})
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Parse(%q) error = %v, want ErrBadQuery", tt.q, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.q, err, tt.want)
			}
		})
	}
}

func TestParseLiteral(t *testing.T) {
	t.Parallel()
	tests := []struct{ q, want string }{
		{`"foo`, "foo"},
		{"(police OR courts", "(and polic court)"},
		{"foo:bar", "foo:bar"}, // one token for the unicode tokenizer
		{"ab* -x", "(and ab x)"},
		{"AML", `{aml | "monei launder" | "anti monei launder"}`},
	}
	for _, tt := range tests {
		e, err := ParseLiteral(tt.q, testVocabulary, Limits{})
		if err != nil {
			t.Fatalf("ParseLiteral(%q): %v", tt.q, err)
		}
		if got := e.String(); got != tt.want {
			t.Errorf("ParseLiteral(%q) = %s, want %s", tt.q, got, tt.want)
		}
	}
	if _, err := ParseLiteral("\xff", testVocabulary, Limits{}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("ParseLiteral(invalid UTF-8) error = %v, want ErrBadQuery", err)
	}
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	// Two words: 2 terms × 3 fields, plus the whole-query phrase in 2 fields.
	lim := Limits{MaxQueryBytes: 20, MaxTerms: 10}
	if _, err := Parse("police courts", testVocabulary, lim); err != nil {
		t.Errorf("Parse(2 words, MaxTerms 10): %v", err)
	}
	if _, err := Parse("police courts judges", testVocabulary, lim); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Parse(3 words, MaxTerms 10) error = %v, want ErrBadQuery", err)
	}
	if _, err := Parse(strings.Repeat("x", 21), testVocabulary, lim); err == nil || !strings.Contains(err.Error(), "max 20 bytes") {
		t.Errorf("Parse(21 bytes) error = %v, want query too long", err)
	}
}
