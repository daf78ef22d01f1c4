package search

import "time"

// Document is the unit of the index: one passage of a crawled page (a partner's
// block, a country chapter, a "Challenges" section), with the tags of what it is about.
type Document struct {
	// ID is stable across crawls: derived from the page URL and the passage anchor.
	ID string `json:"id"`
	// URL is the page URL with the #fragment of the passage (a heading id or a
	// text fragment "#:~:text=").
	URL string `json:"url"`
	// PageURL is the page URL without fragment.
	PageURL string `json:"page_url"`
	// Title is the title of the page the passage belongs to.
	Title string `json:"title"`
	// Section is the heading path of the passage, outermost first, joined by " › ".
	Section string `json:"section"`
	// Text is the plain text of the passage.
	Text string `json:"text"`

	Organizations []string `json:"organizations"` // canonical full names
	Countries     []string `json:"countries"`     // common English short names
	Regions       []string `json:"regions"`       // names of domain-facts (b)
	Topics        []string `json:"topics"`        // the contract's topic names
	Type          string   `json:"type"`          // document kind, e.g. "fact sheet"
	Years         []int    `json:"years"`
	// Amounts are the money amounts mentioned, normalised to US dollars.
	Amounts []float64 `json:"amounts,omitempty"`
	// Provenance keeps, per tag, the words that matched: "topic:money laundering" → ["AML", "financial intelligence unit"].
	Provenance map[string][]string `json:"provenance,omitempty"`
	// Evidence keeps, per tag ("facet:value"), the sentence or heading that
	// decided it. The index stores it apart from the rest of the document
	// and only Get reads it back, so that search does not pay for it.
	Evidence map[string]string `json:"evidence,omitempty"`
	// FoundOrganizations are the values of Organizations that are not in the
	// taxonomy: organizations the page defines itself ("Civilian Police
	// Training Team (CPTT)"), by acronym.
	FoundOrganizations []string `json:"found_organizations,omitempty"`

	// Published is the page's date when it states one; zero otherwise.
	Published time.Time `json:"published"`
	// FirstSeen, LastSeen and ChangedAt record the passage's crawl history.
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	ChangedAt time.Time `json:"changed_at"`
	// StaleSince is set while the passage's page cannot be fetched (5xx,
	// 429, timeout, host unreachable) and the passage is carried over from
	// an earlier crawl.
	StaleSince time.Time `json:"stale_since,omitzero"`
	// Truncated is set when the page body was cut at the size limit.
	Truncated bool `json:"truncated,omitempty"`
}

// Facet names, as in the contract.
const (
	FacetOrganization = "organization"
	FacetCountry      = "country"
	FacetRegion       = "region"
	FacetTopic        = "topic"
	FacetType         = "type"
	FacetYear         = "year"
	// FacetPublishedYear is the year of the page's publication date
	// (Document.Published), read from the date field when an index
	// snapshot is opened; the year facet is the years a passage mentions.
	FacetPublishedYear = "published_year"
)

// Facets lists the facet names in display order.
var Facets = []string{FacetOrganization, FacetCountry, FacetRegion, FacetTopic, FacetType, FacetYear, FacetPublishedYear}

// indexedFacets are the facets indexed as keyword fields; published_year
// is derived from the publication date.
var indexedFacets = Facets[:6]

// Vocabulary is what the index knows of the taxonomy that tagged it, stored with
// the index so that a search needs nothing else: synonym groups for query
// expansion and, per facet, the aliases a filter may use.
type Vocabulary struct {
	// Synonyms are groups of equivalent words or phrases; a query word or phrase
	// that appears in a group also matches the others. The first entry is the
	// canonical form. Example: {"money laundering", "AML", "anti-money laundering"}.
	Synonyms [][]string `json:"synonyms"`
	// Aliases maps a facet to lower-cased alias → canonical value, e.g.
	// "organization" → {"unodc": "United Nations Office on Drugs and Crime"}.
	Aliases map[string]map[string]string `json:"aliases"`
	// Regions maps a region to the countries it holds (display names), the
	// hierarchy of ../shared/domain-facts.md (b): selecting a region selects
	// the passages of its countries too, and a region's facet value lists
	// its countries among the hits. Indexes built before it have none.
	Regions map[string][]string `json:"regions,omitempty"`
}
