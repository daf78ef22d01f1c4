package tag

import (
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed data/*.json
var dataFS embed.FS

// orgData is one organization of data/organizations.json.
type orgData struct {
	Name      string             `json:"name"`
	Type      string             `json:"type"`
	Acronyms  []string           `json:"acronyms"`
	Aliases   []string           `json:"aliases"`
	Ambiguous bool               `json:"ambiguous"`
	Context   []string           `json:"context"`
	Publisher bool               `json:"publisher"`
	Hints     map[string]float64 `json:"hints"`
	// Implies are the organizations a mention of this one names too where
	// they may be tagged (an embassy's Narcotics Affairs Section is INL's).
	Implies []string `json:"implies"`
}

type orgFile struct {
	NonStateHosts []string `json:"non_state_hosts"`
	// PublisherHosts maps a host to the taxonomy organization that publishes
	// its pages ("" for a publisher outside the taxonomy); PublisherNames maps
	// a site name to one (publisher.go).
	PublisherHosts   map[string]string `json:"publisher_hosts"`
	PublisherNames   map[string]string `json:"publisher_names"`
	NotOrganizations []string          `json:"not_organizations"`
	InstrumentWords  []string          `json:"instrument_words"`
	Organizations    []orgData         `json:"organizations"`
	// Discovery says which names a page defines make organizations (discover.go).
	Discovery discoveryData `json:"discovery"`
}

type countryFile struct {
	Display    map[string]string   `json:"display"`
	Exclude    []string            `json:"exclude"`
	Aliases    map[string][]string `json:"aliases"`
	Demonyms   map[string][]string `json:"demonyms"`
	Cities     map[string][]string `json:"cities"`
	NotPlaces  []string            `json:"not_places"`
	PersonRisk []string            `json:"person_risk"`
}

type regionData struct {
	Name    string   `json:"name"`
	Bureau  bool     `json:"bureau"`
	Parent  string   `json:"parent"`
	Aliases []string `json:"aliases"`
	Members []string `json:"members"`
}

type regionFile struct {
	ContinentBureau map[string]string `json:"continent_bureau"`
	Regions         []regionData      `json:"regions"`
	FeatureWords    []string          `json:"feature_words"`
	FeatureNouns    []string          `json:"feature_nouns"`
}

type topicData struct {
	Name     string   `json:"name"`
	Also     []string `json:"also"`
	Synonyms []string `json:"synonyms"`
	Strong   []string `json:"strong"`
	Weak     []string `json:"weak"`
	Heading  []string `json:"heading"`
}

type topicFile struct {
	Boilerplate []string `json:"boilerplate"`
	// NotSignals are phrases that hold a signal word in another sense
	// ("Ministry of Internal Affairs", "pilot project"): they mask it.
	NotSignals []string    `json:"not_signals"`
	Topics     []topicData `json:"topics"`
}

func loadJSON(name string, v any) error {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	return nil
}

// CanonicalTopics are the 25 topic names of the contract, in its order.
var CanonicalTopics = []string{
	"counternarcotics", "eradication and alternative development", "interdiction and border security", "aviation",
	"precursor chemicals", "demand reduction and treatment", "money laundering", "asset forfeiture", "corruption",
	"organized crime", "gangs and violence prevention", "terrorism", "arms trafficking", "human trafficking",
	"migrant smuggling", "wildlife trafficking", "cybercrime and intellectual property", "police training",
	"justice sector reform", "corrections", "rule of law", "maritime security", "container and port control",
	"violence against women", "extradition and legal cooperation",
}

// DocumentTypes are the values of the type facet.
var DocumentTypes = []string{
	TypePartnerships, TypeCountryProgram, TypeStrategyReport, TypeFactSheet, TypeFocusPage,
	TypePressRelease, TypeRemarks, TypeBudget, TypeOther,
}

// Document types (TAXONOMY.md).
const (
	TypePartnerships   = "partnerships"
	TypeCountryProgram = "country program"
	TypeStrategyReport = "strategy report"
	TypeFactSheet      = "fact sheet"
	TypeFocusPage      = "focus page"
	TypePressRelease   = "press release"
	TypeRemarks        = "remarks and testimony"
	TypeBudget         = "budget justification"
	TypeOther          = "other"
)
