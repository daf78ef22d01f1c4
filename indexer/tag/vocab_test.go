package tag

import (
	"slices"
	"testing"

	"github.com/inlsearch/inlsearch/search"
)

func groupWith(v search.Vocabulary, first string) []string {
	for _, g := range v.Synonyms {
		if g[0] == first {
			return g
		}
	}
	return nil
}

func TestVocabulary(t *testing.T) {
	t.Parallel()
	v := mustTagger(t).Vocabulary()
	groups := []struct {
		canonical string
		members   []string
	}{
		{"money laundering", []string{"AML", "anti-money laundering"}},
		{"violence against women", []string{"GBV", "gender-based violence"}},
		{"human trafficking", []string{"trafficking in persons", "TIP"}},
		{"United Nations Office on Drugs and Crime", []string{"UNODC", "UN Office on Drugs and Crime"}},
		{"Burma", []string{"Myanmar"}},
	}
	for _, g := range groups {
		got := groupWith(v, g.canonical)
		for _, m := range g.members {
			if !slices.Contains(got, m) {
				t.Errorf("Vocabulary().Synonyms group %q = %q, want %q in it", g.canonical, got, m)
			}
		}
	}
	aliases := []struct{ facet, alias, want string }{
		{search.FacetOrganization, "unodc", "United Nations Office on Drugs and Crime"},
		{search.FacetOrganization, "drug enforcement agency", "Drug Enforcement Administration"},
		{search.FacetCountry, "myanmar", "Burma"},
		{search.FacetCountry, "kyrgyz republic", "Kyrgyzstan"},
		{search.FacetCountry, "west bank", "Palestinian Territories"},
		{search.FacetRegion, "middle east", "Near East"},
		{search.FacetTopic, "trafficking in persons", "human trafficking"},
		{search.FacetTopic, "anti-corruption", "corruption"},
		{search.FacetType, "fact sheet", "fact sheet"},
	}
	for _, a := range aliases {
		if got := v.Aliases[a.facet][a.alias]; got != a.want {
			t.Errorf("Vocabulary().Aliases[%q][%q] = %q, want %q", a.facet, a.alias, got, a.want)
		}
	}
	if _, ok := v.Aliases[search.FacetCountry]["united states"]; ok {
		t.Errorf("Vocabulary().Aliases[country] holds the United States")
	}
	// the copy is the caller's
	v.Aliases[search.FacetCountry]["myanmar"] = "x"
	if got := mustTagger(t).Vocabulary().Aliases[search.FacetCountry]["myanmar"]; got != "Burma" {
		t.Errorf("Vocabulary() shares its maps: got %q after a change", got)
	}
}

// TestVocabularyRegions: the vocabulary carries the region hierarchy of
// domain-facts (b), each region with its countries.
func TestVocabularyRegions(t *testing.T) {
	tg := mustTagger(t)
	v := tg.Vocabulary()
	for region, country := range map[string]string{"Central America": "Guatemala", "Western Hemisphere": "Guatemala", "Caribbean": "Jamaica"} {
		if !slices.Contains(v.Regions[region], country) {
			t.Errorf("Regions[%q] = %v, want %s among them", region, v.Regions[region], country)
		}
	}
	if slices.Contains(v.Regions["Central America"], "Peru") {
		t.Errorf("Regions[Central America] holds Peru: %v", v.Regions["Central America"])
	}
}
