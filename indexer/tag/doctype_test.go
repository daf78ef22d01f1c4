package tag

import (
	"slices"
	"strings"
	"testing"
)

// TestType pins the first-match rules (mustRules), which the type model reads
// as its strongest feature.
func TestType(t *testing.T) {
	t.Parallel()
	tg := mustRules(t)
	tests := []struct {
		name, url, title, text, want string
	}{
		{"fact sheet URL", "https://2009-2017.state.gov/j/inl/rls/fs/146370.htm", "Iraq: Police Development", "Text.", TypeFactSheet},
		{"strategy report URL", "https://2009-2017.state.gov/j/inl/rls/nrcrpt/2014/vol2/222701.htm", "Panama", "Text.", TypeStrategyReport},
		{"press release URL", "https://2009-2017.state.gov/r/pa/prs/ps/2013/04/207612.htm", "Agreement", "Text.", TypePressRelease},
		{"remarks URL", "https://2009-2017.state.gov/j/inl/rls/rm/245102.htm", "Graduation", "Text.", TypeRemarks},
		{"budget URL", "https://2001-2009.state.gov/p/inl/rls/rpt/cbj/fy2005/28982.htm", "Anticrime", "Text.", TypeBudget},
		{"program and budget guide URL", "https://2009-2017.state.gov/j/inl/rls/rpt/pbg/fy2010/1.htm", "Peru", "Text.", TypeBudget},
		{"country summary URL", "https://www.state.gov/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/peru-summary/", "Peru Summary", "Text.", TypeCountryProgram},
		{"region URL", "https://2009-2017.state.gov/j/inl/regions/westernhemisphere/c28014.htm", "Colombia", "Text.", TypeCountryProgram},
		{"partnerships URL", "https://2009-2017.state.gov/j/inl/focus/partnerships/index.htm", "Partnerships", "Text.", TypePartnerships},
		{"home page", "https://example.org/", "Welcome", "Text.", TypeOther},
		{"section landing", "https://example.org/j/inl/regions/index.htm", "Programs by Region", "Text.", TypeOther},
		{"fact sheet header on an unknown site", "https://example.org/x/maritime/", "Maritime Assistance", "Maritime Assistance\nFact Sheet | Bureau | May 9, 2013\nText.", TypeFactSheet},
		{"media note", "https://example.org/news/1", "Agreement Signed", "Media Note\nOffice of the Spokesperson\nWashington, DC\nText.\nPRN: 2013/0412", TypePressRelease},
		{"INCSR chapter", "https://example.org/a/1", "Countries/Jurisdictions of Primary Concern – Kenya", "Kenya is a hub.", TypeStrategyReport},
		{"budget summary", "https://example.org/a/2", "Peru", "Budget Summary ($000)\nINCLE | 1 | 2", TypeBudget},
		{"testimony", "https://example.org/a/3", "Statement", "Chairman Engel, Ranking Member Royce, thank you.", TypeRemarks},
		{"challenges and goals", "https://example.org/a/4", "Our Work", "Intro.\nChallenges\nText.\nGoals\nText.", TypeCountryProgram},
		{"embassy section", "https://iq.usembassy.gov/our-relationship/inl/", "INL Section", "The section helps.", TypeCountryProgram},
		{"embassy sections and offices", "https://co.usembassy.gov/embassy/bogota/sections-offices/inl/", "INL", "The section helps.", TypeCountryProgram},
		{"embassy post filed under press releases", "https://pe.usembassy.gov/u-s-delivers-helicopters/", "U.S. Delivers Helicopters to Peru",
			"By U.S. Embassy in Peru | August 21, 2018 | Topics: Counternarcotics, News, Press Releases\nThe ambassador handed over helicopters.", TypePressRelease},
		{"topical title", "https://example.org/wildlife/", "Combating Wildlife Trafficking", "Rangers.", TypeFocusPage},
		{"about page", "https://example.org/about-us/", "About the Bureau", "History.", TypeOther},
		{"INCSR chapter URL with the year first", "https://2017-2021.state.gov/2018-incsr-volume-ii-money-laundering/panama/index.html", "Panama", "Text.", TypeStrategyReport},
		{"a blog post on a blog's host", "https://blogs.state.gov/stories/2013/06/12/police-partners", "Police Partners in Peru", "Challenges\nText.", TypeOther},
		{"a funding notice", "https://example.gov/opp/344912", "Peru Corrections Program", "Notice of Funding Opportunity\nINL announces an open competition.", TypeOther},
		{"a vacancy notice", "https://example.gov/jobs/17", "Corrections Specialist, Peru", "Vacancy Announcement\nThe INL section seeks a specialist.", TypeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tg.Type(tc.url, tc.title, tc.text); got != tc.want {
				t.Errorf("Type(%q, %q) = %q, want %q", tc.url, tc.title, got, tc.want)
			}
		})
	}
}

func TestTypeTextCuesOfOtherSites(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct{ name, title, text, want string }{
		{"capitals dateline", "Embassy Hands Over Police Station in Peru", "Title\nGUATEMALA CITY — The Embassy today handed over a station.", TypePressRelease},
		// a dated dateline alone opens news articles ("other") as well as
		// releases on other publishers' sites; a release also announces
		{"dateline with date", "Boats for the Peruvian Police", "Boats\nLima, 09 May 2013 — The Narcotics Affairs Section today delivered boats.", TypePressRelease},
		{"no dateline", "Peru Program", "Peru Program\nPeru — a partner since 1981 — receives aid.\nChallenges\nCoca.", TypeCountryProgram},
		{"GAO highlights", "Mexico: State Should Track Aircraft", "Fast Facts\nWhat GAO Found\nState obligated funds for Mexico.", TypeOther},
		{"GAO number", "Colombia Aviation", "Report GAO-13-367R reviews aviation in Colombia.", TypeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tg.Type("https://example.gov/x.html", tt.title, tt.text); got != tt.want {
				t.Errorf("Type(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}

// TestTypeOfOtherPublishers checks the learned model: a page of another
// publisher about a country's programme (a DOJ ICITAP page) is no INL
// country program, while the same page on State's site is.
func TestTypeOfOtherPublishers(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	text := "ICITAP in Indonesia\nSince 2000 ICITAP has helped the Indonesian National Police build a marine police unit.\n" +
		"Marine Police\nAdvisors trained boat crews in patrol and interdiction.\nForensics\nThe program equipped a laboratory."
	if got := tg.TypeOf("https://www.justice.gov/criminal-icitap/indonesia", "ICITAP Indonesia", "U.S. Department of Justice", text); got != TypeOther {
		t.Errorf("TypeOf(a DOJ country page) = %q, want %q", got, TypeOther)
	}
	if got := tg.TypeOf("https://2009-2017.state.gov/j/inl/regions/eap/c1.htm", "Indonesia", "U.S. Department of State", text); got != TypeCountryProgram {
		t.Errorf("TypeOf(the State page) = %q, want %q", got, TypeCountryProgram)
	}
}

// TestTypeLedeCues checks the release-head cues the type model reads: a
// place and a date alone on a line, a date alone, a release's label or
// press contact — and that a sentence with a year is none of them.
func TestTypeLedeCues(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Operation Trigger IX\nLYON, France – 19 September 2023\nPolice in 15 countries arrested suspects.", []string{"lede:placedate"}},
		{"The Offload\nMIAMI — February 5, 2019\nThe crew offloaded cocaine.", []string{"lede:placedate"}},
		{"Surrender\nPristina, 13 January 2012\nOn Friday a suspect was extradited.", []string{"lede:placedate"}},
		{"(Quantico, VA) – On September 7, 2006, the agency graduated its first class.", []string{"lede:placedate"}},
		{"Units Expand\nOctober 8, 2013\nIn a plain office building, officers work.", []string{"lede:dateonly"}},
		{"Course ends\nFOR IMMEDIATE RELEASE\nContact: Public Affairs\nThe course ended.", []string{"lede:releasehead"}},
		{"The programme began in 2013 and trained 400 officers by March 2015.", nil},
	} {
		got := map[string]bool{}
		for _, f := range tg.TypeFeatures("https://example.org/a/b", "A title", "Example", c.text) {
			if strings.HasPrefix(f.Name, "lede:") {
				got[f.Name] = true
			}
		}
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("TypeFeatures(%q): no %s in %v", c.text, w, got)
			}
		}
		for _, n := range []string{"lede:placedate", "lede:dateonly", "lede:releasehead"} {
			if got[n] && !slices.Contains(c.want, n) {
				t.Errorf("TypeFeatures(%q): unwanted %s", c.text, n)
			}
		}
	}
}
