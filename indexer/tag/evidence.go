package tag

import (
	"strings"
	"unicode/utf8"
)

// maxEvidence caps the length of an evidence sentence, in runes: a table
// row or a run-on list item is cut around the words that matched.
const maxEvidence = 320

// sentenceAt returns the sentence of text around the byte span [start,
// stop), with its final punctuation, spaces collapsed; a sentence longer than
// maxEvidence is cut around the span and marked with "…".
func sentenceAt(text string, start, stop int) string {
	if start < 0 || start > len(text) {
		return ""
	}
	ss, se := sentenceBounds(text, start)
	if se < len(text) && strings.IndexByte(".!?", text[se]) >= 0 {
		se++
	}
	if stop > se {
		stop = se
	}
	s := text[ss:se]
	if utf8.RuneCountInString(s) > maxEvidence {
		// keep the matched words with some context on each side
		from := max(ss, start-maxEvidence/2)
		to := min(se, max(stop, from+maxEvidence-2))
		for from > ss && !utf8.RuneStart(text[from]) {
			from--
		}
		for to < se && !utf8.RuneStart(text[to]) {
			to++
		}
		s = text[from:to]
		if from > ss {
			s = "…" + s
		}
		if to < se {
			s += "…"
		}
	}
	return strings.Join(strings.Fields(s), " ")
}

// addEvidence records sentence as the evidence of key unless one is kept.
func addEvidence(ev map[string]string, key, sentence string) {
	if sentence == "" {
		return
	}
	if _, ok := ev[key]; !ok {
		ev[key] = sentence
	}
}

// evidence collects the evidence of the tags of one passage while its
// sources are read: per "facet:value", the sentence of the passage's own text
// that names it, else the heading (or title) that does. A passage's own
// sentence says more to a researcher than the page title every passage shares.
type evidence map[string]evItem

type evItem struct {
	text    string
	heading bool // the title or a heading (weaker than a sentence of the text)
}

// add records the evidence of key found at text[start:stop] of s.
func (ev evidence) add(key string, s *source, start, stop int) {
	if s.heading {
		ev.addText(key, strings.Join(strings.Fields(s.text), " "), true)
		return
	}
	ev.addText(key, sentenceAt(s.text, start, stop), false)
}

// addText records text as the evidence of key unless a better one is kept.
func (ev evidence) addText(key, text string, heading bool) {
	if text == "" {
		return
	}
	if old, ok := ev[key]; ok && (!old.heading || heading) {
		return
	}
	ev[key] = evItem{text: text, heading: heading}
}

// into copies the evidence into m, keeping what m holds.
func (ev evidence) into(m map[string]string) {
	for k, v := range ev {
		addEvidence(m, k, v.text)
	}
}

// copy gives key the evidence of from, where from has one.
func (ev evidence) copy(key, from string) {
	if v, ok := ev[from]; ok {
		ev.addText(key, v.text, v.heading)
	}
}
