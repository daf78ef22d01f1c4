package tag

import (
	"math"
	"slices"
	"testing"
	"time"
)

// mustPage builds a page of sections (heading, text) under one title.
func mustPage(tb testing.TB, title string, sections ...[2]string) Page {
	tb.Helper()
	p := Page{URL: "https://example.gov/page", Title: title, Published: time.Date(2012, 5, 3, 0, 0, 0, 0, time.UTC)}
	for _, s := range sections {
		p.Passages = append(p.Passages, PagePassage{Headings: []string{title, s[0]}, Text: s[1]})
	}
	return p
}

// passagesWith returns the indexes of the passages tagged with topic.
func passagesWith(tags []Tags, topic string) []int {
	var out []int
	for i, tg := range tags {
		if slices.Contains(tg.Topics, topic) {
			out = append(out, i)
		}
	}
	return out
}

func TestTagPageTopics(t *testing.T) {
	t.Parallel()
	tg := mustRules(t)
	tests := []struct {
		name  string
		page  Page
		topic string
		want  []int // passages given the topic; nil: none
	}{
		{"three short sections each name the topic once",
			mustPage(t, "Ruritania Summary",
				[2]string{"Challenges", "Poachers kill dozens of elephants every year in the northern parks."},
				[2]string{"Goals", "INL aims to reduce the trade in ivory through the country's airports."},
				[2]string{"Accomplishments", "Prosecutors won the first conviction for illegal logging in the south."},
				[2]string{"Budget", "The program received $2 million in FY 2012."}),
			"wildlife trafficking", []int{0, 1, 2}},
		{"the passage with most evidence gets it, not one with a weak word",
			mustPage(t, "Ruritania Summary",
				[2]string{"Challenges", "Banks in the capital move the proceeds; money laundering is rarely prosecuted."},
				[2]string{"Goals", "The government wants remittances to flow through regulated channels."},
				[2]string{"Accomplishments", "A new financial intelligence unit opened in March."}),
			"money laundering", []int{0, 2}},
		{"one weak word on the page",
			mustPage(t, "Ruritania Summary",
				[2]string{"Challenges", "The police lack vehicles and radios in rural districts."},
				[2]string{"Goals", "Officers will get training in patrol methods."},
				[2]string{"Accomplishments", "New rules require banks to keep records of their clients."}),
			"money laundering", nil},
		{"one strong word on the page",
			mustPage(t, "Ruritania Summary",
				[2]string{"Challenges", "The police lack vehicles and radios in rural districts."},
				[2]string{"Goals", "Officers will get training in patrol methods, including on money laundering."},
				[2]string{"Accomplishments", "Two new stations opened in the east."}),
			"money laundering", nil},
		{"a strong word only as an item of lists",
			mustPage(t, "About the Bureau",
				[2]string{"Mission", "The bureau funds advisors for police, prosecutors, and corrections in partner countries."},
				[2]string{"Working with us", "Police departments, prosecutors, courts and corrections agencies may lend staff."},
				[2]string{"Careers", "We hire staff with backgrounds in law, corrections, aviation or finance."}),
			"corrections", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for i, ps := range tc.page.Passages {
				in := Input{URL: tc.page.URL, Title: tc.page.Title, Headings: ps.Headings, Text: ps.Text}
				if slices.Contains(tg.Tag(in).Topics, tc.topic) {
					t.Fatalf("passage %d alone is tagged %q; the case tests page-level evidence", i, tc.topic)
				}
			}
			got := tg.TagPage(tc.page)
			if len(got) != len(tc.page.Passages) {
				t.Fatalf("TagPage returned %d Tags, want %d", len(got), len(tc.page.Passages))
			}
			if w := passagesWith(got, tc.topic); !slices.Equal(w, tc.want) {
				t.Errorf("passages tagged %q = %v, want %v", tc.topic, w, tc.want)
			}
			for _, i := range tc.want {
				if len(got[i].Provenance["topic:"+tc.topic]) == 0 {
					t.Errorf("passage %d: no provenance for %q", i, tc.topic)
				}
			}
		})
	}
}

// TestTagPageKeepsPassageTags checks that TagPage gives every passage the
// organizations, places and years Tag gives it, in order, and keeps on the
// page the topics its passages treat. (A topic a passage would take alone
// from a passing clause, "drug trafficking fuels gangs", may not hold on
// the page: the page model weighs the whole page's words, pagelex.go.)
func TestTagPageKeepsPassageTags(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	p := mustPage(t, "Haiti Summary",
		[2]string{"Challenges", "Drug traffickers move cocaine through the south coast; drug trafficking fuels gangs."},
		[2]string{"Accomplishments", "The UNODC trained 300 officers of the national police in 2010."})
	p.Site = "U.S. Department of State"
	got := tg.TagPage(p)
	for i, ps := range p.Passages {
		want := tg.Tag(Input{URL: p.URL, Title: p.Title, Headings: ps.Headings, Text: ps.Text, Published: p.Published, Site: p.Site})
		for _, f := range []struct {
			name      string
			got, want []string
		}{
			{"organizations", got[i].Organizations, want.Organizations},
			{"countries", got[i].Countries, want.Countries},
			{"regions", got[i].Regions, want.Regions},
		} {
			if !slices.Equal(f.got, f.want) {
				t.Errorf("passage %d %s = %q, want %q", i, f.name, f.got, f.want)
			}
		}
		// the topic the passage treats stays on the page; it may go to
		// another passage, the page's most probable one (Decide)
		for _, x := range []string{[]string{"counternarcotics", "police training"}[i]} {
			if !slices.Contains(want.Topics, x) {
				t.Errorf("passage %d alone: topics %q, want %q", i, want.Topics, x)
			}
			if !slices.ContainsFunc(got, func(g Tags) bool { return slices.Contains(g.Topics, x) }) {
				t.Errorf("passage %d alone has topic %q, the page has it on no passage", i, x)
			}
		}
		if !slices.Equal(got[i].Years, want.Years) {
			t.Errorf("passage %d years = %v, want %v", i, got[i].Years, want.Years)
		}
		if !slices.Contains(got[i].Countries, "Haiti") {
			t.Errorf("passage %d countries = %q, want Haiti from the title", i, got[i].Countries)
		}
	}
	if len(tg.TagPage(Page{Title: "Empty"})) != 0 {
		t.Error("TagPage of a page without passages returned Tags")
	}
}

func TestPageThreshold(t *testing.T) {
	t.Parallel()
	prev := 0.0
	for _, words := range []int{0, 100, 250, 300, 400, 600, 1000, 5000} {
		th := pageThreshold(words)
		if th < topicThreshold(words) {
			t.Errorf("pageThreshold(%d) = %.2f, below the passage threshold %.2f", words, th, topicThreshold(words))
		}
		if th < prev {
			t.Errorf("pageThreshold(%d) = %.2f, below pageThreshold of fewer words %.2f", words, th, prev)
		}
		if th <= weakCap {
			t.Errorf("pageThreshold(%d) = %.2f lets weak words alone tag", words, th)
		}
		prev = th
	}
	if got := pageThreshold(1 << 20); got != maxThreshold {
		t.Errorf("pageThreshold(long page) = %.2f, want the cap %.2f", got, maxThreshold)
	}
}

// TestDecide checks the passage rule of the model: the page's most probable
// passage of a topic takes it when it reaches the topic threshold, another
// passage only when it reaches the passage threshold too.
func TestDecide(t *testing.T) {
	t.Parallel()
	probs := [][]float64{
		{0.30, 0.9, 0.10}, // names topic 0 in passing
		{0.45, 0.2, 0.10}, // treats topic 0
		{0.70, 0.2, 0.05}, // treats topic 0 most
	}
	th := []float64{0.25, 0.5, 0.2}
	tests := []struct {
		passage float64
		want    [][]bool
	}{
		{0, [][]bool{{true, true, false}, {true, false, false}, {true, false, false}}},
		{0.4, [][]bool{{false, true, false}, {true, false, false}, {true, false, false}}},
		{0.8, [][]bool{{false, true, false}, {false, false, false}, {true, false, false}}},
	}
	for _, tc := range tests {
		got := Decide(probs, th, tc.passage)
		for i := range got {
			if !slices.Equal(got[i], tc.want[i]) {
				t.Errorf("Decide(passage %v) passage %d = %v, want %v", tc.passage, i, got[i], tc.want[i])
			}
		}
	}
	if got := Decide(nil, th, 0.5); len(got) != 0 {
		t.Errorf("Decide of no passages = %v, want none", got)
	}
}

// TestDecidePage checks that with the page model's probabilities the page
// takes a topic when its page probability reaches the threshold, whatever
// its passages' own, and gives it to the most probable passage and to those
// that reach the passage threshold.
func TestDecidePage(t *testing.T) {
	t.Parallel()
	probs := [][]float64{
		{0.30, 0.9},
		{0.45, 0.2},
	}
	th := []float64{0.5, 0.5}
	got := DecidePage(probs, []float64{0.6, 0.4}, th, 0.4)
	want := [][]bool{{false, false}, {true, false}}
	for i := range got {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("DecidePage passage %d = %v, want %v", i, got[i], want[i])
		}
	}
	for _, p := range []float64{0.1, 0.5, 0.9} {
		x, best := PageInputs([][]float64{{p}, {0.01}}, [][]Feature{nil, nil}, nil, 0)
		if best != 0 || len(x) != len(PageInputNames) || x[len(x)-1] != 0 {
			t.Errorf("PageInputs(%v) = %v, %d, want %d inputs from passage 0, no lex", p, x, best, len(PageInputNames))
		}
		x, _ = PageInputs([][]float64{{p}, {0.01}}, [][]Feature{nil, nil}, []float64{0.9}, 0)
		if lex := x[len(x)-1]; math.Abs(lex-math.Log(9)) > 1e-9 {
			t.Errorf("PageInputs(%v) lex input = %v, want the logit of 0.9", p, lex)
		}
	}
	// below the passage floor, the topic is a candidate only where the
	// page-level lexical model makes it one (minLexCandidate)
	for _, lex := range [][]float64{nil, {minLexCandidate / 2}} {
		if x, best := PageInputs([][]float64{{0.01}, {0.02}}, [][]Feature{nil, nil}, lex, 0); x != nil || best != -1 {
			t.Errorf("PageInputs below the candidate floor, lex %v = %v, %d, want nil, -1", lex, x, best)
		}
	}
	x, best := PageInputs([][]float64{{0.01}, {0.02}}, [][]Feature{nil, nil}, []float64{0.99}, 0)
	if best != 1 || len(x) != len(PageInputNames) || math.Abs(x[len(x)-1]-math.Log(99)) > 1e-9 {
		t.Errorf("PageInputs below the passage floor, lex 0.99 = %v, %d, want the inputs of passage 1 with the lexical logit", x, best)
	}
}

// TestListedOnly checks that a passage naming a topic only as an item of a
// list of threats does not take it, and that one treating it in sentences
// of its own does.
func TestListedOnly(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	p := mustPage(t, "Honduras Summary",
		[2]string{"Investigations", "Investigative priorities include homicides, kidnapping, vehicle theft, arms trafficking, extortion and money laundering. The unit's detectives work with prosecutors on each case."},
		[2]string{"Financial Crimes", "INL helps the financial intelligence unit trace illicit proceeds through banks and money remitters. Prosecutors brought the first money laundering cases under the 2014 law, and banks filed twice as many suspicious transaction reports."})
	_, listed, _ := tg.PageFeatures(p)
	ml := tg.topicIdx["money laundering"]
	if !listed[0][ml] {
		t.Errorf("passage 0 names money laundering only in a list: listed only = false, want true")
	}
	if listed[1][ml] {
		t.Errorf("passage 1 treats money laundering: listed only = true, want false")
	}
	got := tg.TagPage(p)
	if slices.Contains(got[0].Topics, "money laundering") {
		t.Errorf("passage 0 topics = %q: a list item took the topic", got[0].Topics)
	}
	if !slices.Contains(got[1].Topics, "money laundering") {
		t.Errorf("passage 1 topics = %q, want money laundering", got[1].Topics)
	}
}
