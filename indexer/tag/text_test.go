package tag

import (
	"slices"
	"testing"
)

func TestTokenize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		keys []string
		brks []bool
	}{
		{"initials", "U.S. Department", []string{"u.s.", "department"}, []bool{true, false}},
		{"US upper case", "US Coast Guard", []string{"u.s.", "coast", "guard"}, []bool{true, false, false}},
		{"us pronoun", "help us", []string{"help", "us"}, []bool{true, false}},
		{"possessive", "Afghanistan’s police", []string{"afghanistan", "police"}, []bool{true, false}},
		{"inner apostrophe and accent", "Côte d'Ivoire", []string{"cote", "d'ivoire"}, []bool{true, false}},
		{"sentence break", "Peru. Bolivia", []string{"peru", "bolivia"}, []bool{true, true}},
		{"abbreviation", "St. Lucia", []string{"st", "lucia"}, []bool{true, false}},
		{"hyphen and ampersand", "Guinea-Bissau & Togo", []string{"guinea", "bissau", "and", "togo"}, []bool{true, false, false, false}},
		{"table cells break", "INCLE | 6,746", []string{"incle", "6", "746"}, []bool{true, true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var keys []string
			var brks []bool
			for _, tk := range tokenize(tc.in) {
				keys = append(keys, tk.key)
				brks = append(brks, tk.brk)
			}
			if !slices.Equal(keys, tc.keys) || !slices.Equal(brks, tc.brks) {
				t.Errorf("tokenize(%q) = %q %v, want %q %v", tc.in, keys, brks, tc.keys, tc.brks)
			}
		})
	}
}

func TestTagEmptyInput(t *testing.T) {
	t.Parallel()
	tags := mustTagger(t).Tag(Input{})
	if len(tags.Organizations)+len(tags.Countries)+len(tags.Regions)+len(tags.Topics)+len(tags.Years)+len(tags.Amounts) != 0 {
		t.Errorf("Tag(empty) = %+v, want no tags", tags)
	}
}

func BenchmarkTag(b *testing.B) {
	tg := mustTagger(b)
	in := Input{
		URL:      "https://2009-2017.state.gov/j/inl/regions/westernhemisphere/c28014.htm",
		Title:    "Colombia Program Overview",
		Headings: []string{"Colombia Program Overview", "Accomplishments"},
		Text: "Since 2000, INL has supported aerial and manual eradication of coca and alternative development in Colombia, " +
			"and the U.S. Coast Guard and the Colombian Navy interdicted go-fast boats carrying cocaine toward Central America. " +
			"In FY 2012 INL provided $203 million; the Department of Justice's OPDAT trained prosecutors under the accusatory system, " +
			"and asset forfeiture and anti-money laundering units seized $12 million from drug trafficking organizations.\n" +
			"Budget Summary ($000)\nAccount | FY 2012 Actual | FY 2013 Estimate\nINCLE | 203,000 | 187,000",
	}
	for b.Loop() {
		tg.Tag(in)
	}
}

func FuzzTag(f *testing.F) {
	for _, s := range []string{
		"U.S. Coast Guard and the UNODC in 2013 gave $2 million to Côte d'Ivoire.",
		"Budget Summary ($000)\nINCLE | 6,746 | 672,417\nFY 2012–13",
		"St. Lucia. Corrections. INL/AP, PRN: 2012/1039 (202) 647-2012",
		"\xff\xfe A.B.C. d'' ’s 1,2,3 -- —",
	} {
		f.Add(s)
	}
	tg := mustTagger(f)
	f.Fuzz(func(t *testing.T, s string) {
		tags := tg.Tag(Input{Title: s, Headings: []string{s}, Text: s})
		for i, y := range tags.Years {
			if y < minYear || y > maxYear || (i > 0 && tags.Years[i-1] >= y) {
				t.Fatalf("Tag(%q).Years = %v: out of range or unsorted", s, tags.Years)
			}
		}
		_ = tg.Type("http://example.org/"+s, s, s)
	})
}
