package search

import (
	"errors"
	"testing"
)

// FuzzParse checks that no query makes the parser panic and that every
// error it returns is an ErrBadQuery.
func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"", "police", `"border police"`, "a OR b -c", "(a (b OR c)) NOT d", "title:x", `country:"South Sudan"`,
		"traffick*", "ab*", `"open`, "(((", ")", `\`, "\xff\xfe", "\x00", "a:b:c", "+-", "year:2013",
		"AML money laundering", "coca~2 /re.*/ ?", "“curly”", "NOT NOT NOT", "-(-(-a))",
	} {
		f.Add(q, false)
		f.Add(q, true)
	}
	th, err := compile(testVocabulary)
	if err != nil {
		f.Fatal(err)
	}
	lim := DefaultLimits
	f.Fuzz(func(t *testing.T, q string, literal bool) {
		e, err := parse(q, th, lim, literal)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("parse(%q) error %v does not wrap ErrBadQuery", q, err)
			}
			return
		}
		if e.terms > lim.MaxTerms {
			t.Fatalf("parse(%q) counted %d terms, over the limit", q, e.terms)
		}
		_ = e.String()
	})
}
