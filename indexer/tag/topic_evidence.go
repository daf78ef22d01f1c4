package tag

import (
	"strconv"
	"strings"
)

// topicEvidence returns the sentence (or heading) of a passage that contributes
// most to topic k, and the words that carry it: each sentence of the text and
// each of the passage's headings (the page title excepted) is scored by the
// positive model weights of its words, word pairs and cue co-occurrences for
// the topic and by the rule signals of the topic it holds. The first best
// sentence wins; a passage with no evidence of its own (a topic from the
// page's context) gets its innermost heading.
func (t *Tagger) topicEvidence(ti topicInput, k int, hits [][]hit) (string, []string) {
	weight := func(f string) float64 { return max(0, t.model.topicWeight(f, k, false)) }
	best, bestScore := "", 0.0
	var bestWords []string
	last := len(ti.srcs) - 1
	for si, s := range ti.srcs {
		if si == 0 && ti.hasTitle && last > 0 {
			continue
		}
		heading := si < last
		var mask []bool
		if !heading {
			mask = ti.cues.mask
		}
		signals := map[int][]string{} // sentence start token → signal words
		for _, h := range hits[si] {
			if h.e.kind == kindTopic && h.e.id == k && !overlaps(h, ti.spans[si]) {
				signals[h.first] = append(signals[h.first], h.matched)
			}
		}
		spans := []span{{0, len(s.toks)}}
		if !heading {
			spans = ti.cues.sents
		}
		for j, sp := range spans {
			score := 0.0
			var words []string
			prefix := "w:"
			if heading {
				prefix = "h:"
			}
			prev := ""
			for i := sp.from; i < sp.to; i++ {
				if mask != nil && mask[i] {
					prev = ""
					continue
				}
				if ws := signals[i]; len(ws) > 0 {
					score += 1
					words = append(words, ws...)
				}
				if !t.model.lexical {
					continue
				}
				w := wordKey(s.toks[i])
				if s.toks[i].brk {
					prev = ""
				}
				if w == "" {
					continue
				}
				if x := weight(prefix + w); x > 0 {
					score += x
					words = append(words, s.toks[i].orig)
				}
				if prev != "" && !heading {
					score += weight("b:" + prev + "_" + w)
				}
				prev = w
			}
			if !heading {
				for _, tf := range ti.cues.bySent[j] {
					if tf[0] == k {
						score += max(0, t.model.topicWeight("c:"+strconv.Itoa(tf[1]), k, true)) + 0.5
					}
				}
			}
			if score > bestScore {
				best, bestScore, bestWords = sentenceText(s, sp), score, words
			}
		}
	}
	if best == "" {
		for si := last - 1; si >= 0; si-- {
			if !(si == 0 && ti.hasTitle) {
				return ti.srcs[si].text, nil
			}
		}
		if ti.hasTitle && last > 0 {
			return ti.srcs[0].text, nil
		}
	}
	return best, topWords(bestWords)
}

// topicHits finds the topic signals of every source of a passage.
func (t *Tagger) topicHits(ti topicInput) [][]hit {
	out := make([][]hit, len(ti.srcs))
	for si, s := range ti.srcs {
		out[si] = t.topicHitsOf(s)
	}
	return out
}

// sentenceText returns the text of a sentence span of s (see sentenceAt).
func sentenceText(s *source, sp span) string {
	if sp.from >= sp.to {
		return ""
	}
	return sentenceAt(s.text, s.toks[sp.from].start, s.toks[sp.to-1].end)
}

// topWords returns the distinct words, lower-cased, in order of appearance.
func topWords(words []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range words {
		lw := strings.ToLower(w)
		if !seen[lw] {
			seen[lw] = true
			out = append(out, lw)
		}
	}
	return out
}
