package tag

import (
	"math"
	"sort"
	"strings"
)

// Topic scoring. A passage's score for a topic adds up its signals:
//   - a strong signal weighs 2, a weak one 1; organization names are masked
//     (the words of "Drug Enforcement Administration" are no signal) and an
//     organization may give a weak hint ("Egmont Group" → money laundering);
//   - in the passage text a signal counts at full weight, and each further
//     occurrence (at most two more) as much again: a strong phrase repeated is
//     substance; a weak word that is an item of a comma-separated list (a list
//     of threats) counts half;
//   - weak signals add up to weakCap at most, below the threshold: weak words
//     alone never tag a topic;
//   - a strong signal in the title, the heading path or a run-in head
//     ("Corrections. INL …") weighs twice (4) and tags the topic by itself;
//     a weak one there counts as two weak words, except the few that the data
//     marks as heading signals ("Police" → police training);
//   - the stock INL mission sentences are removed first;
//   - the threshold is baseThreshold (3.5) up to thresholdWords words and grows with
//     the square root of the length beyond (capped at maxThreshold), so that a
//     long chapter needs more than a passing mention.
const (
	strongWeight     = 2.0
	weakWeight       = 1.0
	headingFactor    = 2.0
	headingAlone     = 4.0
	maxThreshold     = 6.0
	thresholdWords   = 250.0
	maxRepeats       = 2
	topicHintsWeight = weakWeight
	runInWords       = 6
)

// Tunable scoring parameters (variables so that tests can sweep them).
var (
	baseThreshold = 3.5
	listFactor    = 0.5
	weakCap       = 2.5
	repeatBonus   = 1.0
)

type topic struct {
	topicData
}

func (t *Tagger) buildTopics() error {
	var tf topicFile
	if err := loadJSON("topics.json", &tf); err != nil {
		return err
	}
	t.boilerplate = tf.Boilerplate
	for i, td := range tf.Topics {
		t.topics = append(t.topics, topic{td})
		t.topicIdx[td.Name] = i
		for _, group := range []struct {
			list []string
			w    float64
		}{{td.Strong, strongWeight}, {td.Weak, weakWeight}} {
			for _, p := range group.list {
				mode := caseAny
				if isAcronym(p) {
					mode = caseExact
				}
				t.topicM.add(p, entry{kind: kindTopic, id: i, mode: mode, weight: group.w, text: strings.ToLower(p)})
				if mode == caseAny && !strings.HasSuffix(strings.ToLower(p), "s") {
					t.topicM.add(plural(p), entry{kind: kindTopic, id: i, mode: mode, weight: group.w, text: strings.ToLower(p)})
				}
				if mode == caseAny && strings.Contains(p, "-") {
					j := strings.ReplaceAll(p, "-", "")
					t.topicM.add(j, entry{kind: kindTopic, id: i, mode: mode, weight: group.w, text: strings.ToLower(p)})
				}
			}
		}
	}
	for _, p := range tf.NotSignals {
		t.topicM.add(p, entry{kind: kindNotTopic, mode: caseAny, text: strings.ToLower(p)})
		t.topicM.add(plural(p), entry{kind: kindNotTopic, mode: caseAny, text: strings.ToLower(p)})
	}
	t.headingStrong = map[[2]string]bool{}
	for _, td := range tf.Topics {
		for _, w := range td.Heading {
			t.headingStrong[[2]string{td.Name, strings.ToLower(w)}] = true
		}
	}
	for _, name := range CanonicalTopics {
		if _, ok := t.topicIdx[name]; !ok {
			return errMissingTopic(name)
		}
	}
	return nil
}

// isAcronym reports whether a signal is written as an acronym (AML, J/TIP, MS-13).
func isAcronym(p string) bool {
	if strings.Contains(p, " ") {
		return false
	}
	return isAllUpper(p)
}

type topicScore struct {
	head, strong, weak float64
	words              []string
}

// body is the passage-text score: weak signals alone never tag a topic.
func (sc *topicScore) body() float64 { return sc.strong + math.Min(sc.weak, weakCap) }

// scoreTopics scores every topic over the sources (the last one is the
// passage text) and returns those that pass the passage threshold.
// The scores and the threshold are returned too (the model's features).
func (t *Tagger) scoreTopics(srcs []*source, orgSpans [][]hit, orgHints map[string]float64) (names []string, prov map[string][]string, scores []topicScore, threshold float64) {
	scores, words := t.topicScores(srcs, orgSpans, orgHints, false)
	threshold = topicThreshold(words)
	names, prov = t.passing(scores, threshold)
	return names, prov, scores, threshold
}

// topicScores scores every topic over the sources and counts the words of
// the non-heading ones.
// With listAll, a strong signal that is an item of a list counts at
// listFactor too (page-level scoring), not only a weak one.
func (t *Tagger) topicScores(srcs []*source, orgSpans [][]hit, orgHints map[string]float64, listAll bool) (scores []topicScore, words int) {
	scores = make([]topicScore, len(t.topics))
	type occ struct {
		factor float64
		count  int
	}
	body := map[[2]string]*occ{} // topic, signal → best factor and count
	for si, s := range srcs {
		hits := t.topicHitsOf(s)
		if !s.heading {
			words += len(s.toks)
		}
		for k, h := range hits {
			if h.e.kind != kindTopic || overlaps(h, orgSpans[si]) || outweighed(hits, k) {
				continue
			}
			sc := &scores[h.e.id]
			sc.words = appendUnique(sc.words, h.matched)
			if s.heading || isRunInHead(s.text, h.start, h.stop) {
				// a weak word in a heading ("Justice", "Training") weighs as two weak words
				if h.e.weight >= strongWeight || t.headingStrong[[2]string{t.topics[h.e.id].Name, h.e.text}] {
					sc.head += strongWeight * headingFactor
				} else {
					sc.weak += h.e.weight * headingFactor
				}
				continue
			}
			f := 1.0
			if (listAll || h.e.weight < strongWeight) && isListItem(s.text, h.start, h.stop) {
				f = listFactor // a weak word in a list of threats
			}
			add := 0.0
			k := [2]string{t.topics[h.e.id].Name, h.e.text}
			o := body[k]
			if o == nil {
				o = &occ{factor: f}
				body[k] = o
				add = h.e.weight * f
			} else {
				if f > o.factor {
					add += h.e.weight * (f - o.factor)
					o.factor = f
				}
				if o.count < maxRepeats {
					add += h.e.weight * repeatBonus * f
				}
				o.count++
			}
			if h.e.weight >= strongWeight {
				sc.strong += add
			} else {
				sc.weak += add
			}
		}
	}
	for name, w := range orgHints {
		if i, ok := t.topicIdx[name]; ok {
			scores[i].weak += w * topicHintsWeight
		}
	}
	return scores, words
}

// outweighed reports whether hits[k] is one of several entries of the same
// topic on the same words ("pilots": a strong signal, and the plural of a
// weak one) and not the first of the heaviest: the words count once.
// The matcher returns the entries of one span next to each other.
func outweighed(hits []hit, k int) bool {
	h := hits[k]
	for j := k - 1; j >= 0 && hits[j].start == h.start; j-- {
		if o := hits[j]; o.e.id == h.e.id && o.stop == h.stop && o.e.weight >= h.e.weight {
			return true
		}
	}
	for j := k + 1; j < len(hits) && hits[j].start == h.start; j++ {
		if o := hits[j]; o.e.id == h.e.id && o.stop == h.stop && o.e.weight > h.e.weight {
			return true
		}
	}
	return false
}

// passes reports whether a score tags its topic: a strong signal in a
// heading alone, or the whole score at the threshold.
func (sc *topicScore) passes(threshold float64) bool {
	return sc.head >= headingAlone || sc.head+sc.body() >= threshold
}

// total is the whole evidence of a score.
func (sc *topicScore) total() float64 { return sc.head + sc.body() }

// passing returns the topics whose score passes threshold, with their words.
func (t *Tagger) passing(scores []topicScore, threshold float64) (names []string, prov map[string][]string) {
	prov = map[string][]string{}
	if t.debugTopics != nil {
		for i := range scores {
			sc := &scores[i]
			if sc.total() > 0 {
				t.debugTopics(t.topics[i].Name, sc.head, sc.body(), threshold, sc.words)
			}
		}
	}
	for i := range scores {
		sc := &scores[i]
		if sc.passes(threshold) {
			name := t.topics[i].Name
			names = append(names, name)
			prov["topic:"+name] = sc.words
		}
	}
	sort.Strings(names)
	return names, prov
}

// isRunInHead reports whether [start, stop) lies in a run-in head: the first
// words of a line ending with a period or colon before the line goes on
// ("Counternarcotics. INL provided …", "Police reform: …").
func isRunInHead(text string, start, stop int) bool {
	ls, le := lineAround(text, start, stop)
	line := text[ls:le]
	k := strings.IndexAny(line, ".:")
	for k >= 0 && k+1 < len(line) && line[k+1] != ' ' { // "U.S." inside the head
		n := strings.IndexAny(line[k+1:], ".:")
		if n < 0 {
			k = -1
			break
		}
		k += 1 + n
	}
	if k < 0 || ls+k < stop || k+2 >= len(line) {
		return false
	}
	head := line[:k]
	return len(strings.Fields(head)) <= runInWords && isCapitalized(strings.TrimSpace(head))
}

// topicThreshold is baseThreshold up to thresholdWords words and grows with
// the square root of the length beyond, up to maxThreshold: a long chapter
// needs more than a passing mention. (Lowering it for short passages was
// tried: it costs more precision than it gains recall on the gold.)
func topicThreshold(words int) float64 {
	if float64(words) <= thresholdWords {
		return baseThreshold
	}
	return math.Min(maxThreshold, baseThreshold*math.Sqrt(float64(words)/thresholdWords))
}

func overlaps(h hit, spans []hit) bool {
	for _, s := range spans {
		if h.start < s.stop && s.start < h.stop {
			return true
		}
	}
	return false
}

// isListItem reports whether the span [start, stop) is an item of a
// comma-separated enumeration: the sentence holds two commas or more and the
// span is bordered by a comma or by "and"/"or" on one side.
func isListItem(text string, start, stop int) bool {
	ss, se := sentenceBounds(text, start)
	se = max(se, stop)
	sent := text[ss:se]
	if strings.Count(sent, ",") < 2 {
		return false
	}
	after := strings.TrimLeft(text[stop:se], " ")
	before := strings.TrimRight(text[ss:start], " ")
	if strings.HasPrefix(after, ",") || strings.HasPrefix(after, "and ") || strings.HasPrefix(after, "or ") {
		return true
	}
	lb := strings.ToLower(before)
	return strings.HasSuffix(lb, ",") || strings.HasSuffix(lb, ", and") || strings.HasSuffix(lb, ", or") ||
		strings.HasSuffix(lb, " and") && strings.Contains(lb[max(0, len(lb)-60):], ",")
}

// stripBoilerplate removes the sentences that hold a stock mission phrase.
func (t *Tagger) stripBoilerplate(text string) string {
	lower := strings.ToLower(text)
	for _, b := range t.boilerplate {
		for {
			k := strings.Index(lower, b)
			if k < 0 {
				break
			}
			ss, se := sentenceBounds(text, k)
			if se < len(text) {
				se++
			}
			text = text[:ss] + text[se:]
			lower = lower[:ss] + lower[se:]
		}
	}
	return text
}
