package tag

import (
	"slices"
	"testing"
	"time"
)

func yearsOf(text string) []int {
	var out []int
	for _, y := range extractYears(text) {
		if !slices.Contains(out, y.year) {
			out = append(out, y.year)
		}
	}
	slices.Sort(out)
	return out
}

func TestArchiveNoticeYears(t *testing.T) {
	t.Parallel()
	text := "This web site is a permanent electronic archive of material posted online between January 1, 1997 and January 20, 2001. " +
		"Current information is on www.state.gov; material from 2001 to 2009 is kept at 2001-2009.state.gov.\n" +
		"In 1998 the government seized 12 tons of cocaine."
	var got []int
	for _, y := range extractYears(blankArchiveNotices(text)) {
		got = append(got, y.year)
	}
	if !slices.Equal(got, []int{1998}) {
		t.Errorf("years of an archive page = %v, want [1998] (the notice's years are chrome)", got)
	}
	if s := "The archive of court records was digitized in 2012."; blankArchiveNotices(s) != s {
		t.Errorf("blankArchiveNotices(%q) blanked a sentence of substance", s)
	}
}

func TestExtractYears(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []int
	}{
		{"dateline", "Washington, DC, May 3, 2010", []int{2010}},
		{"day first", "Posted 09 May 2013 by the embassy", []int{2013}},
		{"narrative", "Since 2008 the unit has grown; in 2013 it doubled.", []int{2008, 2013}},
		{"range", "the 2012-2016 strategy", []int{2012, 2016}},
		{"range with en dash and two digits", "during 2014–15", []int{2014, 2015}},
		{"fiscal years", "FY 2012 Actual, FY2013 Request, fiscal year 2011 and FY 2008 Supp", []int{2008, 2011, 2012, 2013}},
		{"two-digit fiscal year", "The FY12 request", []int{2012}},
		{"fiscal year range in prose", "fiscal years 2010 through 2012", []int{2010, 2012}},
		{"photo caption", "Date: 02/10/2014 Description: graduates", []int{2014}},
		{"statute year", "under the Foreign Assistance Act of 1961", nil},
		{"statute year after a comma", "the Proceeds of Crime Act, 2000 covers all offenses", nil},
		{"numbered law", "Law 318 of 2001 made laundering a crime", nil},
		{"convention year", "parties to the 1988 UN Drug Convention and the 1988 Convention", nil},
		{"named law", "cases under the 2009 Elimination of Violence against Women law.", nil},
		{"year before a title that is no law", "the 2012 Annual Program Review", []int{2012}},
		{"resolutions", "UNSCR 1559 and UNSCRs 1373 and 2178 apply", nil},
		{"press release number", "PRN: 2012/1039", nil},
		{"public law and section", "P.L. 114-231 and Section 2012 and EO 13773", nil},
		{"report number", "GAO-13-367R and Audit Report 12-24", nil},
		{"quantities", "a 1,344 km border, 80,500 ha of coca and 2,012 officers", nil},
		{"quantity without comma", "they trained 2000 officers", nil},
		{"year before a plural after in", "In 2010 police made arrests", []int{2010}},
		{"phone number", "Call (202) 647-2012 or 202-647-2013.", nil},
		{"url", "See https://www.state.gov/j/inl/rls/nrcrpt/2013/vol2/204062.htm for details", nil},
		{"identifier glued to letters", "page md2012 and c2013", nil},
		{"decade", "since the 1990s", nil},
		{"out of range", "founded in 1958 and planned for 2040", nil},
		{"money", "a grant of $2012 was paid in 2012", []int{2012}},
		{"a date line before a name with Law in it", "Updated October 2018\nThe ABA Rule of Law Initiative has worked there since 1997.", []int{1997, 2018}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := yearsOf(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("extractYears(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestTagYearsAddsPublished(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tags := tg.Tag(Input{Title: "FY 2005 Budget Justification", Text: "Programs began in 2003.", Published: time.Date(2004, 5, 1, 0, 0, 0, 0, time.UTC)})
	if want := []int{2003, 2004, 2005}; !slices.Equal(tags.Years, want) {
		t.Errorf("Tag().Years = %v, want %v", tags.Years, want)
	}
	if len(tags.Provenance["year:2004"]) == 0 {
		t.Errorf("Provenance[year:2004] is empty")
	}
}

func TestExtractAmounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		text    string
		headers []string
		want    []float64
	}{
		{"millions", "providing over $2 million and nearly $8.53 million", nil, []float64{2e6, 8.53e6}},
		{"billions", "the $1.4 billion package", nil, []float64{1.4e9}},
		{"abbreviated", "$395M, $0.1M and $18.65M", nil, []float64{395e6, 0.1e6, 18.65e6}},
		{"full digits", "FY 2007 – $60,000,000 (INCLE*)", nil, []float64{60e6}},
		{"appropriations wording", "not less than $37,000,000", nil, []float64{37e6}},
		{"range both ends", "$94-150 million", nil, []float64{94e6, 150e6}},
		{"range with US$ and to", "US$12 to 15 billion", nil, []float64{12e9, 15e9}},
		{"dollars in words", "about 5 million dollars", nil, []float64{5e6}},
		{"table in thousands", "Budget Summary ($000)\nAccount | FY 2005 Actual | FY 2006 Estimate\nINCLE | 6,746 | 672,417", nil, []float64{6746e3, 672417e3}},
		{"tab-separated table", "$ in thousands\nINCLE\t1,200\t950", nil, []float64{1200e3, 950e3}},
		{"header in a heading", "Total | 4,500 | 5,000", []string{"Budget Summary ($000)"}, []float64{4500e3, 5000e3}},
		{"no header no thousands", "Total | 4,500 | 5,000", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []float64
			for _, a := range extractAmounts(tc.text, tc.headers) {
				got = append(got, a.value)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("extractAmounts(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
