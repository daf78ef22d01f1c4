package search

import "time"

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
	SortFirstSeen = "first_seen"
	SortChangedAt = "changed_at"
)

// Limits bound the cost of a search. Zero values take the defaults of DefaultLimits.
type Limits struct {
	MaxQueryBytes int           // 1024
	MaxTerms      int           // terms after expansion, 1024
	MaxPerPage    int           // 100
	MaxWindow     int           // page × per_page, 10000
	FacetSize     int           // top values per facet, 10
	MaxFacetSize  int           // 50
	Deadline      time.Duration // 2s
	// MaxExport caps the hits of one export (Export); a query matching
	// more is refused (ErrExportTooLarge). 0 means DefaultMaxExport
	// (1,000,000). The result window (MaxWindow) does not apply to exports.
	MaxExport int
}

// DefaultLimits are the limits of ../shared/RELIABILITY.md.
var DefaultLimits = Limits{
	MaxQueryBytes: 1024,
	MaxTerms:      1024,
	MaxPerPage:    100,
	MaxWindow:     10000,
	FacetSize:     10,
	MaxFacetSize:  50,
	Deadline:      2 * time.Second,
}

// Query is one search request, the same for the API, the HTML pages and the CLI.
type Query struct {
	// Q is the user's query in the query language (words, "phrases", OR, AND,
	// NOT/-word, parentheses, field:value, prefix*). Empty browses everything.
	Q string
	// Filters maps a facet name to selected values: OR'd within a facet, AND'd
	// across facets. Values may be display names or aliases, in any case.
	Filters  map[string][]string
	YearFrom int // 0: unbounded
	YearTo   int // 0: unbounded
	Sort     string
	Page     int // from 1
	PerPage  int
	// FacetSize overrides the number of top values per facet (0: default).
	FacetSize int
	// NoFacets skips facet counting (exports, feeds).
	NoFacets bool
	// Literal makes the parser take every word literally (used by the HTML page
	// after a parse error).
	Literal bool
	// Match is MatchAuto ("" too: every word, or all but one when fewer
	// than RelaxBelow passages hold them all) or MatchAll (every word).
	Match string
	// Group is GroupPassage ("" too: every matching passage is a hit) or
	// GroupPage: one hit per page, its best passage, ranked by it, with
	// the number and sections of its other matching passages; facet
	// counts are then in pages (a page counts once for a value any of its
	// matching passages carries).
	Group string
	// Generation names the generation to answer from (a Live's kept
	// generation, the gen= of a citation); empty: the one served.
	Generation string
}

// Group modes of Query.Group.
const (
	GroupPassage = "passage"
	GroupPage    = "page"
)

// moreSections is the number of a grouped hit's other passages whose
// sections it names (Hit.MoreSections).
const moreSections = 3

// Hit is one matching passage.
type Hit struct {
	Document
	// Snippet is HTML: the best fragment of the passage with matched words in
	// <mark>, everything else escaped.
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
	// Partial marks a hit of a relaxed search that lacks one of the words.
	Partial bool `json:"partial,omitempty"`
	// Grouped is set on the hits of a search grouped by page: the hit is
	// its page's best passage, MorePassages the number of its page's other
	// matching passages and MoreSections the sections of the next best
	// ones (at most 3), best first.
	Grouped      bool     `json:"-"`
	MorePassages int      `json:"more_passages,omitempty"`
	MoreSections []string `json:"more_sections,omitempty"`
}

// FacetValue is one value of a facet with its count.
type FacetValue struct {
	Value    string `json:"value"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
	// Countries are, for a value of the region facet, the countries of
	// that region among the hits (counted as the country facet counts
	// them), by count; never set on another facet's values.
	Countries []FacetValue `json:"countries,omitzero"`
}

// Result is the answer to a Query.
type Result struct {
	Query   string        `json:"query"`
	Total   int           `json:"total"`
	Took    time.Duration `json:"-"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
	Hits    []Hit         `json:"hits"`
	// Facets maps each facet name to its top values (selected values always
	// included), counted disjunctively.
	Facets map[string][]FacetValue `json:"facets"`
	// FacetOthers maps each facet name to the number of values not listed.
	FacetOthers map[string]int `json:"facets_other"`
	// Relaxed is set when fewer than RelaxBelow passages held every word
	// and the hits, total and facets are those of all words but one.
	// ExactTotal is the number of passages that held every word (they come
	// first); without relaxation it equals Total.
	Relaxed    bool `json:"relaxed"`
	ExactTotal int  `json:"exact_total"`
	// Group is the query's grouping: GroupPassage or GroupPage. When it is
	// GroupPage, TotalPages is the number of pages the Total passages
	// belong to, the number of hits of every results page together.
	Group      string `json:"group"`
	TotalPages int    `json:"total_pages,omitempty"`
	// YearsMentioned is every value of the year facet, in year order (the
	// timeline of years mentioned); the published_year facet is every
	// publication year, in year order, in Facets.
	YearsMentioned []FacetValue `json:"-"`
	// Generation is the id of the generation that answered (set by a Live).
	Generation string `json:"generation"`
}
