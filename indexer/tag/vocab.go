package tag

import (
	"slices"
	"strings"

	"github.com/inlsearch/inlsearch/search"
)

// Vocabulary returns the synonym groups and facet aliases of the taxonomy, to
// be stored with the index. The caller may modify the result.
func (t *Tagger) Vocabulary() search.Vocabulary {
	v := search.Vocabulary{Aliases: map[string]map[string]string{}}
	for _, g := range t.vocab.Synonyms {
		v.Synonyms = append(v.Synonyms, append([]string(nil), g...))
	}
	for f, m := range t.vocab.Aliases {
		c := make(map[string]string, len(m))
		for k, x := range m {
			c[k] = x
		}
		v.Aliases[f] = c
	}
	if len(t.vocab.Regions) > 0 {
		v.Regions = make(map[string][]string, len(t.vocab.Regions))
		for r, cs := range t.vocab.Regions {
			v.Regions[r] = append([]string(nil), cs...)
		}
	}
	return v
}

func (t *Tagger) buildVocabulary() search.Vocabulary {
	v := search.Vocabulary{Aliases: map[string]map[string]string{
		search.FacetOrganization: {}, search.FacetCountry: {}, search.FacetRegion: {},
		search.FacetTopic: {}, search.FacetType: {},
	}}
	alias := func(facet, a, canonical string) {
		k := strings.ToLower(strings.TrimSpace(a))
		if k == "" {
			return
		}
		if _, ok := v.Aliases[facet][k]; !ok {
			v.Aliases[facet][k] = canonical
		}
	}
	group := func(canonical string, others ...[]string) {
		g := []string{canonical}
		seen := map[string]bool{strings.ToLower(canonical): true}
		for _, list := range others {
			for _, s := range list {
				if !seen[strings.ToLower(s)] {
					seen[strings.ToLower(s)] = true
					g = append(g, s)
				}
			}
		}
		if len(g) > 1 {
			v.Synonyms = append(v.Synonyms, g)
		}
	}

	for _, td := range t.topics {
		group(td.Name, td.Synonyms)
		alias(search.FacetTopic, td.Name, td.Name)
		for _, a := range append(append([]string(nil), td.Also...), td.Synonyms...) {
			alias(search.FacetTopic, a, td.Name)
		}
	}
	for _, o := range t.orgs {
		var acr []string
		for _, a := range o.Acronyms {
			// two-letter acronyms of State bureaus (CA, DS, PM) would expand ordinary words
			if o.Publisher && o.Ambiguous && len(a) <= 2 {
				continue
			}
			acr = append(acr, a)
		}
		group(o.Name, acr, o.Aliases)
		alias(search.FacetOrganization, o.Name, o.Name)
		for _, a := range acr {
			alias(search.FacetOrganization, a, o.Name)
		}
		for _, a := range o.Aliases {
			alias(search.FacetOrganization, a, o.Name)
		}
	}
	for _, c := range t.countries {
		group(c.name, c.aliases)
		alias(search.FacetCountry, c.name, c.name)
		for _, a := range c.aliases {
			alias(search.FacetCountry, a, c.name)
		}
	}
	// The region hierarchy: each region's countries.
	for _, c := range t.countries {
		for _, r := range c.regions {
			if v.Regions == nil {
				v.Regions = map[string][]string{}
			}
			if !slices.Contains(v.Regions[r], c.name) {
				v.Regions[r] = append(v.Regions[r], c.name)
			}
		}
	}
	for r := range v.Regions {
		slices.Sort(v.Regions[r])
	}
	for _, r := range t.regions {
		group(r.name, r.aliases)
		alias(search.FacetRegion, r.name, r.name)
		for _, a := range r.aliases {
			alias(search.FacetRegion, a, r.name)
		}
	}
	for _, d := range DocumentTypes {
		alias(search.FacetType, d, d)
	}
	return v
}
