package tag

import (
	"strings"
)

// caseMode says how strictly a phrase's letter case must match the text.
type caseMode uint8

const (
	caseAny   caseMode = iota // full names and topic phrases
	caseCap                   // capitalised words of the phrase must be capitalised (places, one-word aliases)
	caseExact                 // acronyms: as written ("ICE", not "Ice"; "CoE")
)

// entry is what a phrase stands for.
type entry struct {
	kind   entryKind
	id     int // index into the tagger's organizations, places or topics
	mode   caseMode
	words  []string // the phrase's tokens as written, for the case check
	form   formKind
	weight float64 // topics: 2 strong, 1 weak
	text   string  // the phrase as written in the data
	// commas: the phrase may span commas of the text (names holding a list:
	// "Development, Assistance, and Training").
	commas bool
}

type entryKind uint8

const (
	kindOrg entryKind = iota
	kindNotOrg
	kindCountry
	kindRegion
	kindNotPlace
	kindTopic
	kindNotTopic
)

type formKind uint8

const (
	formName formKind = iota
	formAlias
	formAcronym
	formDemonym
	// formCity is a city that stands for its country ("ILEA Bangkok").
	formCity
)

type node struct {
	next    map[string]*node
	entries []*entry
}

// matcher finds the longest phrases of a dictionary in a token stream.
type matcher struct {
	root node
}

func newMatcher() *matcher { return &matcher{root: node{next: map[string]*node{}}} }

// add registers phrase (tokenised like the text; "the" dropped) for e.
func (m *matcher) add(phrase string, e entry) {
	toks := tokenize(phrase)
	words := make([]string, 0, len(toks))
	keys := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.key == "the" && len(toks) > 1 {
			continue
		}
		words = append(words, t.orig)
		keys = append(keys, t.key)
	}
	if len(keys) == 0 {
		return
	}
	e.words = words
	e.commas = strings.Contains(phrase, ",") || (e.kind == kindOrg && strings.Contains(phrase, " and "))
	if e.text == "" {
		e.text = phrase
	}
	n := &m.root
	for _, k := range keys {
		c := n.next[k]
		if c == nil {
			c = &node{next: map[string]*node{}}
			n.next[k] = c
		}
		n = c
	}
	for _, old := range n.entries {
		if old.kind == e.kind && old.id == e.id && old.mode == e.mode && old.weight == e.weight {
			return
		}
	}
	ec := e
	n.entries = append(n.entries, &ec)
}

// hit is one phrase found in a text.
type hit struct {
	e           *entry
	first, end  int // token indexes [first, end)
	start, stop int // byte span in the text
	matched     string
}

// find returns the longest non-overlapping phrases, scanning left to right.
// A phrase never spans a sentence break; "the" inside a phrase is optional.
func (m *matcher) find(text string, toks []token) []hit {
	var hits []hit
	for i := 0; i < len(toks); {
		best := -1
		var bestEntries []*entry
		n := &m.root
		idx := make([]int, 0, 8)
		comma := false
		for j := i; j < len(toks); j++ {
			if j > i && toks[j].brk {
				break
			}
			if j > i && toks[j].comma {
				comma = true
			}
			c := n.next[toks[j].key]
			if c == nil && j > i && toks[j].key == "the" {
				continue // optional article inside a phrase
			}
			if c == nil {
				break
			}
			idx = append(idx, j)
			n = c
			if len(n.entries) > 0 {
				var ok []*entry
				for _, e := range n.entries {
					if (!comma || e.commas) && caseOK(e, toks, idx) {
						ok = append(ok, e)
					}
				}
				if len(ok) > 0 {
					best = j
					bestEntries = ok
				}
			}
		}
		if best < 0 {
			i++
			continue
		}
		for _, e := range bestEntries {
			hits = append(hits, hit{e: e, first: i, end: best + 1, start: toks[i].start, stop: toks[best].end, matched: text[toks[i].start:toks[best].end]})
		}
		i = best + 1
	}
	return hits
}

func caseOK(e *entry, toks []token, idx []int) bool {
	if len(idx) != len(e.words) {
		return false
	}
	switch e.mode {
	case caseExact:
		for k, j := range idx {
			if toks[j].orig != e.words[k] {
				// accept an all-caps rendering of a mixed-case acronym only when it has no lower-case letter to lose
				return false
			}
		}
	case caseCap:
		// the first word must keep its capital; later words may be lower case
		// ("Palestinian territories"); acronyms inside stay upper case.
		for k, j := range idx {
			w := e.words[k]
			if k == 0 && isCapitalized(w) && !isCapitalized(toks[j].orig) {
				return false
			}
			if isAllUpper(w) && len(w) > 1 && !isAllUpper(toks[j].orig) {
				return false
			}
		}
	}
	return true
}

// plural returns the plural of the last word of phrase (gang → gangs, agency → agencies).
func plural(phrase string) string {
	if phrase == "" {
		return ""
	}
	lw := strings.ToLower(phrase)
	switch {
	case strings.HasSuffix(lw, "s"), strings.HasSuffix(lw, "x"), strings.HasSuffix(lw, "z"), strings.HasSuffix(lw, "ch"), strings.HasSuffix(lw, "sh"):
		return phrase + "es"
	case strings.HasSuffix(lw, "y") && len(lw) > 1 && !strings.ContainsRune("aeiou", rune(lw[len(lw)-2])):
		return phrase[:len(phrase)-1] + "ies"
	}
	return phrase + "s"
}
