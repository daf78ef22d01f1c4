package tag

import (
	"slices"
	"testing"
)

func TestTopics(t *testing.T) {
	t.Parallel()
	tg := mustRules(t)
	tests := []struct {
		name     string
		title    string
		headings []string
		text     string
		want     []string
		not      []string
	}{
		{"several signals", "", nil,
			"INL trains financial intelligence units to trace illicit proceeds, and supports anti-money laundering laws.",
			[]string{"money laundering"}, nil},
		{"strong signal in the title", "Money Laundering and Financial Crimes", nil, "The country is a regional financial hub.",
			[]string{"money laundering"}, nil},
		{"strong signal in a heading", "", []string{"Page", "Wildlife Trafficking"}, "Rangers received radios.",
			[]string{"wildlife trafficking"}, nil},
		{"run-in head", "", nil, "Corrections. INL advisors helped the ministry.", []string{"corrections"}, nil},
		{"weak word in a list of threats", "", nil,
			"Partners face drugs, crime, weapons, and instability.", nil,
			[]string{"counternarcotics", "organized crime", "arms trafficking", "terrorism"}},
		{"weak words alone never tag", "", nil,
			"The police officers received training, equipment and mentoring.", nil, []string{"police training"}},
		{"acronyms are case-sensitive", "", nil, "A tip from a reader: the gbv figures; the aml tip line.", nil,
			[]string{"human trafficking", "violence against women", "money laundering"}},
		{"acronyms", "", nil, "The TIP office funds shelters for victims of trafficking; a TIP report was issued.",
			[]string{"human trafficking"}, nil},
		{"organization names do not count", "", nil,
			"The Drug Enforcement Administration and the Inter-American Drug Abuse Control Commission attended.", nil,
			[]string{"counternarcotics", "demand reduction and treatment"}},
		{"stock mission paragraph is ignored", "", nil,
			"INL helps keep Americans safe at home by countering crime, illegal drugs, and instability abroad through police, courts, and corrections.", nil,
			[]string{"counternarcotics", "corrections", "rule of law", "organized crime"}},
		{"substance", "", nil,
			"INL supports aerial eradication of coca, manual eradication teams and alternative development programs for farmers.",
			[]string{"eradication and alternative development"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tg.Tag(Input{Title: tc.title, Headings: tc.headings, Text: tc.text}).Topics
			checkTags(t, "Topics", tc.text, got, tc.want, tc.not)
		})
	}
}

func TestTopicProvenance(t *testing.T) {
	t.Parallel()
	tg := mustRules(t)
	tags := tg.Tag(Input{Text: "Money laundering cases rose; the FIU received suspicious transaction reports on money laundering."})
	got := tags.Provenance["topic:money laundering"]
	for _, w := range []string{"Money laundering", "FIU"} {
		if !slices.Contains(got, w) {
			t.Errorf("Provenance[topic:money laundering] = %q, want %q in it", got, w)
		}
	}
}

func TestCanonicalTopicsLoaded(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	if len(tg.topics) != len(CanonicalTopics) {
		t.Errorf("topics.json has %d topics, want %d", len(tg.topics), len(CanonicalTopics))
	}
}

func TestStripTitleRuns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"listing removed", "Intro sentence here.\nHaiti Summary\nPeru Summary\nMexico Summary\nClosing words.", "Intro sentence here.\nClosing words."},
		{"two titles kept", "Funding\nTotal\nThe rest follows.", "Funding\nTotal\nThe rest follows."},
		{"money lines kept", "Funding\nFY 2009 – $1,000,000 (INCLE)\nFY 2010 – $3,800,000 (INCLE)\nFY 2011 – $4,500,000", "Funding\nFY 2009 – $1,000,000 (INCLE)\nFY 2010 – $3,800,000 (INCLE)\nFY 2011 – $4,500,000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := stripTitleRuns(tc.in); got != tc.want {
				t.Errorf("stripTitleRuns(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// checkTags reports each value of want missing from got, and each value of
// not found in it: got is the field (Topics, Countries…) of the tags of text.
func checkTags(t *testing.T, field, text string, got, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("Tag(%q).%s = %q, want %q in it", text, field, got, w)
		}
	}
	for _, n := range not {
		if slices.Contains(got, n) {
			t.Errorf("Tag(%q).%s = %q, want no %q", text, field, got, n)
		}
	}
}
