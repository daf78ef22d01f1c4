// Package tag holds the taxonomy of inlsearch (organizations, countries,
// regions, topics; embedded JSON data files under data/) and the tagger that
// applies it to passages: organizations, countries, regions, topics, years,
// money amounts, the document type, and the vocabulary (synonyms and facet
// aliases) stored with the index.
//
// Matching works on word tokens with word boundaries everywhere: acronyms are
// case-sensitive ("ICE", not "ice"), full names are not, and tolerate
// "U.S."/"United States", an optional "the", "&"/"and", hyphens and commas.
// Place names need a capital; a city where programmes stand stands for its
// country ("ILEA Bangkok"), except before an instrument word ("Budapest
// Convention") or as an institution's seat ("the Academy in Budapest"), and
// a country in a list of funders ("with funding from Canada and Japan"), a
// seat city's ("Vienna, Austria"), the ends of an extent ("coastal states
// from Senegal to Angola") and a nationality of a person or community ("a
// Liberian national") are no places the page is about. The longest phrase wins ("Guinea-Bissau" over
// "Guinea", "New Mexico" — not a country — over "Mexico").
//
// Conventions (../../shared/domain-facts.md §0): the publisher (INL, the
// Department of State and its bureaus) is tagged only on pages of other
// publishers, known by their host or by the site name the page declares
// (Input.Site: "United States Department of Justice", a newspaper; a site
// name of the State family or of an embassy is the Department's, and so are
// a page that declares none and a page on a State host whose site name names
// no other publisher); the United States is
// never a country; host-government bodies tag their country, not an
// organization; initiatives and treaties are not
// organizations. Regions come from their names and from tagged countries.
// Topics are scored from strong and weak signals (see topics.go), per passage
// and over the whole page (see page.go); those scores, with the co-occurrence
// of each topic's cue families (data/cues.json) and the passage's words,
// word pairs, heading and title words and organizations, are the features
// of a logistic regression per topic (features.go, model.go) whose weights and
// thresholds the trainer (./learn, ./train) fits on the labelled corpus of
// testdata/corpus (thresholds by genre-grouped cross-validation) and writes
// to data/model.json. A page has a topic when the page model (pagemodel.go:
// the most probable passage's probability weighed with the page's own rule
// score, cue sentences and shape) reaches the topic's threshold; the topic
// goes to its most probable passage, and
// to its other passages only at the model's passage threshold (Decide): a
// passage that names a topic of its page in passing does not take it, and a
// passage that names a topic only as items of lists, with at most one
// sentence of its cue words, never does (listedOnly). The
// document type is a multinomial regression over URL, title and text cues, the first-match rules among them, and the
// publisher's family (doctype.go). Every topic a passage gets carries its
// evidence: the sentence or heading that contributed most (evidence.go).
//
// It imports the standard library, github.com/biter777/countries and search.
package tag

//go:generate go run ./train
