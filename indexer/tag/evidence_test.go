package tag

import (
	"strings"
	"testing"
	"time"
)

func TestEvidence(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	got := tg.Tag(Input{URL: statePage, Title: "Mexico Program Overview", Headings: []string{"Courts"},
		Text:      "Judges met in Oaxaca. In 2012 the UN Office on Drugs and Crime trained prosecutors in Guatemala and Mexico.",
		Published: time.Date(2013, 5, 3, 0, 0, 0, 0, time.UTC)})
	want := map[string]string{
		"organization:United Nations Office on Drugs and Crime": "In 2012 the UN Office on Drugs and Crime trained prosecutors in Guatemala and Mexico.",
		"country:Guatemala":      "In 2012 the UN Office on Drugs and Crime trained prosecutors in Guatemala and Mexico.",
		"country:Mexico":         "In 2012 the UN Office on Drugs and Crime trained prosecutors in Guatemala and Mexico.",
		"region:Central America": "In 2012 the UN Office on Drugs and Crime trained prosecutors in Guatemala and Mexico.",
		"year:2012":              "In 2012 the UN Office on Drugs and Crime trained prosecutors in Guatemala and Mexico.",
		"year:2013":              "Published 3 May 2013",
	}
	for k, w := range want {
		if got.Evidence[k] != w {
			t.Errorf("Evidence[%q] = %q, want %q", k, got.Evidence[k], w)
		}
	}
	// every organization, country, region and year has its evidence
	for facet, vals := range map[string][]string{"organization": got.Organizations, "country": got.Countries, "region": got.Regions} {
		for _, v := range vals {
			if got.Evidence[facet+":"+v] == "" {
				t.Errorf("no evidence for %s:%s (evidence %q)", facet, v, got.Evidence)
			}
		}
	}
}

func TestEvidenceHeadingOnly(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	got := tg.Tag(Input{URL: statePage, Title: "Peru", Text: "Coca cultivation fell by a fifth."})
	if got.Evidence["country:Peru"] != "Peru" {
		t.Errorf("Evidence[country:Peru] = %q, want the title %q", got.Evidence["country:Peru"], "Peru")
	}
}

func TestSentenceAtCaps(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 200) + "Guatemala " + strings.Repeat("word ", 200)
	k := strings.Index(long, "Guatemala")
	s := sentenceAt(long, k, k+len("Guatemala"))
	if !strings.Contains(s, "Guatemala") || len([]rune(s)) > maxEvidence+2 || !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("sentenceAt(long) = %q (%d runes), want a cut around Guatemala", s, len([]rune(s)))
	}
}
