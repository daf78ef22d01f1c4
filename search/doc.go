// Package search is the domain core of inlsearch: the Document type, the bleve
// mapping, index generations, queries, facets and snippets. It imports bleve
// (and its roaring bitmaps), xxhash (passage fingerprints), the standard
// library, internal/atomicfile and internal/zap (its segment format) only,
// never another inlsearch package,
// and never logs (imports_test.go checks it).
//
// # Plans
//
// A Query is compiled once into a Plan (Engine.Compile, Index.Compile,
// Live.Compile): validated, parsed, its cost class known (Plan.Expensive),
// its filters and year range resolved to values and bitmaps once per facet
// index, and keyed for the result cache by its normalised form. A Live's plan
// keeps its generation open until Release. Search, relaxation, Export and the
// feed run the same plan (SearchPlan, ExportPlan).
//
// # Hits as JSON and CSV
//
// Hit and Result marshal to the JSON of GET /api/v1/search; ExportJSON and
// CSVWriter write a hit of an export (with its text, amounts, page_url and
// generation). One table (encode.go) lists the fields for all of them.
//
// # Query language
//
//	query   = and
//	and     = or { ["AND"] or }          adjacency means AND
//	or      = unary { "OR" unary }       OR binds tighter: a b OR c = a AND (b OR c)
//	unary   = ("NOT" | "-") unary | primary
//	primary = "(" and ")" | field ":" value | '"' phrase '"' | prefix "*" | word
//	field   = title | section | text | organization | country | region | topic | type | year
//	value   = word | '"' phrase '"'
//
// Words are analysed like the text (English: lower case, stop words dropped,
// Porter stems) and must all match, each in title, section or text (title
// and section weigh more); results are ranked by BM25. A query of several
// plain words also ranks passages that hold it as one phrase (in title,
// section or text) higher. When fewer than RelaxBelow passages hold every
// word of an AND of several words, the search relaxes to all words but one
// (relax.go): the passages with every word come first, the others are
// marked Partial; Query.Match = MatchAll turns this off.
// title:, section: and text: restrict a word, phrase or prefix to that
// field; organization:, country:, region:, topic:, type: and year: are
// facet filters whose values resolve like Query.Filters (aliases, any case).
// A prefix needs 3 letters and stands for at most 50 index terms per field,
// the most frequent. Operators are upper case; "+word" is a word; a lone "-",
// "*" or operator is ignored; ~ / ? \ and other punctuation are plain
// characters (no regular expressions, wildcards or fuzziness). A query with
// nothing left to search for browses every passage, newest first.
//
// Synonyms: a word, a run of adjacent plain words (longest first) or a
// phrase equal to an entry of a Vocabulary synonym group also matches every
// other entry of the group as a phrase: "AML" finds "money laundering", and
// money laundering finds "AML". A plain word or run of plain words that
// names a country, region, organization or topic (a Vocabulary alias of
// that facet) also matches the passages tagged with that value, so
// "Caribbean" finds the Bahamas passages; such a tag match weighs half an
// occurrence of the words, below the passages that say them.
//
// # Ranking
//
// BM25 with the length normalisation lowered to b = 0.3 (passages run from
// a caption to a chapter). Each word is scored in title, section and text
// with the idf of the passage as a whole, so that the field boosts alone
// (title 2.5, section 1.5, text 1) say how much more a heading counts: a
// word rare in headings but common in text no longer weighs tens of times
// more in a heading. Synonyms, fields and tags of one word add up.
//
// Errors wrap ErrBadQuery: unterminated quote, unbalanced parenthesis,
// unknown field, missing value, prefix needs at least 3 letters, invalid
// year, invalid UTF-8, query too long, too many nested parentheses, too many
// terms after expansion (one per term and field, Limits.MaxTerms).
//
// # Facets and snippets
//
// Facet counts are disjunctive: values of one facet are OR'd, facets AND'd,
// and a facet's counts apply every filter but its own. They are counted
// from bitmaps of each facet value's passages, read once per index
// snapshot (for a served generation, when it is opened), over the set of
// passages the words match; filters are the same bitmaps. A snippet is the window of
// about 200 characters of the text holding the most distinct matched terms,
// matches in <mark>, everything else HTML-escaped.
//
// # Generations
//
// A Store keeps a data folder's index generations (store.go). BeginBuild
// starts one in full, or from the published one (incremental.go): its
// segment files are hard links to the previous generation's, never
// written, and only the passages whose fingerprint the previous
// generation's PASSAGES file lacks are written; the rest are deleted at Commit,
// which then runs scorch's merge plan, checks and publishes. BM25 takes
// its statistics from the live passages (bm25.go), so a generation scores
// the same however its passages fall into segments.
//
// # Exports
//
// Export (Live, Index, Engine) passes every hit of a query to a callback,
// in the order of Search's pages, from one snapshot: one pass over the
// matches keeps each hit's document number and sort keys, the hits are
// sorted with bleve's own comparison, then their passages are read in
// order. The result window (Limits.MaxWindow) does not apply; an export
// holds at most Limits.MaxExport hits (DefaultMaxExport, 1,000,000), and a
// query matching more is refused (ErrExportTooLarge). A Live keeps the
// generation an export started on open until it ends, and names it
// (ExportInfo.Generation).
//
// # Snapshots, changes, similar passages, coverage
//
// A data folder keeps several generations (KeepPolicy: the newest N, those
// built within a duration, and any cited in the last 30 days: Store.Prune).
// Query.Generation makes a Live compile a plan on a kept generation rather
// than the served one (snapshot.go); a pruned one is ErrGenerationGone.
// Live.Changes compares a search on two generations (changes.go),
// Live.Similar finds the passages most like one by its distinctive terms
// and tags (similar.go), Live.Coverage says what a generation holds per
// host and section, with the crawl's failing and removed pages
// (Generation.Crawl) (coverage.go).
package search
