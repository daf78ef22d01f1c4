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
		to := min(se, max(stop, from)+maxEvidence/2)
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
