package tag

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Page is one page to tag at once: its context and its passages in page order.
type Page struct {
	URL   string
	Title string // the page title
	// Site is the name the page's site gives itself (see Input.Site).
	Site string
	// Published is the page date; its year is added to every passage's Years.
	Published time.Time
	Passages  []PagePassage
}

// PagePassage is one passage of a Page.
type PagePassage struct {
	Headings []string // the heading path, outermost first
	Text     string   // the passage text (see Input.Text)
}

// Page-level topic evidence. A page often treats a topic in several short
// sections (Challenges, Goals, Accomplishments) that each name it once: no
// passage passes, the page does. The page is scored as one text — its title
// and each distinct heading once, and the text of every passage (boilerplate
// removed, organization names masked) — with the weights, repeat cap and weak
// cap of a passage, and one difference: a strong signal that is an item of a
// comma-separated list counts at listFactor like a weak one (a word in a list,
// repeated in several sections, is still no substance: "police, courts and
// corrections"). The threshold follows the passage curve one weak signal
// higher — pageBaseThreshold up to thresholdWords words, growing with the
// square root of the length beyond — up to the passage cap maxThreshold: the
// page is longer than a passage, and evidence spread over sections is weaker
// than the same evidence in one paragraph; a page of any length needs what
// the longest passage needs. Weak signals add up to weakCap at most, below
// every threshold, so a page-level topic rests on two signals or more, one of
// them strong at least; a passing weak word never tags it. (Tuned on the demo
// gold and the holdout tuning pages: base 3.5–6, cap 6–uncapped, lists.)
//
// A topic that passes on the page and on none of its passages goes to the
// passages that carry the most evidence for it: each passage is scored on
// what is its own (its text, the organizations it names, and the headings of
// its path that not all passages share), and every passage whose own score
// reaches pageComparable times the best one gets the topic.
var (
	pageBaseThreshold = baseThreshold + weakWeight
	pageMaxThreshold  = maxThreshold
	pageListAll       = true
	pageComparable    = 2.0 / 3.0
)

// TagPage tags every passage of p as Tag does (each with the page's title,
// date and site as context). Topics come from the learned model when the
// package embeds one (model.go): each passage's features (features.go) read
// its own rule scores and cue co-occurrences and those of the whole page, so
// that a page about an academy makes its passages' "training" mean police
// training. Without a model, the rules tag the topics and add those that the
// page as a whole treats as substance but no single passage does, to the
// passages that carry the most evidence for them. It returns one Tags per
// passage, in order.
func (t *Tagger) TagPage(p Page) []Tags {
	out, feats, tis := t.tagPage(p, t.model != nil, t.model != nil && t.model.lexical)
	if t.model == nil {
		return out
	}
	probs := make([][]float64, len(out))
	for i := range out {
		z := t.model.topicLogits(feats[i], len(t.topics))
		for k := range z {
			z[k] = Sigmoid(z[k])
		}
		probs[i] = z
	}
	DropListed(probs, t.listedOnly(tis))
	var page []float64
	if t.model.page != nil {
		var lex []float64
		if t.model.lex != nil {
			lex = t.model.lex.lexProbs(t.pageTerms(tis), len(t.topics))
		}
		page = PageScores(probs, feats, lex, len(t.topics), t.model.page)
	}
	decided := DecidePage(probs, page, t.model.threshold, t.model.passage)
	for i := range out {
		t.applyModel(&out[i], decided[i], tis[i])
	}
	return out
}

// PageFeatures returns the trainer's input of every passage of p: its
// features, and which topics it names only in lists (listedOnly), which
// the tagger never gives it; and the page's word stems as the page-level
// lexical model reads them (pagelex.go).
func (t *Tagger) PageFeatures(p Page) ([][]Feature, [][]bool, map[string]int) {
	_, feats, tis := t.tagPage(p, true, true)
	return feats, t.listedOnly(tis), t.pageTerms(tis)
}

// listedOnly reports, per passage and topic, whether the passage names the
// topic nowhere but as items of comma-separated lists ("homicides,
// kidnapping, drug and arms trafficking, organized crime and money
// laundering") or not at all, with at most one sentence where its cue words
// meet and none in its headings or the page's title: a list item or a
// passing value is no topic (testdata/corpus/SPEC.md, and the readers of
// every blind set). Such a passage never takes the topic, however much the
// rest of its page or its words suggest it.
func (t *Tagger) listedOnly(tis []topicInput) [][]bool {
	out := make([][]bool, len(tis))
	for i, ti := range tis {
		out[i] = make([]bool, len(t.topics))
		named := make([]bool, len(t.topics)) // outside a list, or in a heading or the title
		for si, s := range ti.srcs {
			for _, h := range t.topicHitsOf(s) {
				if h.e.kind != kindTopic || overlaps(h, ti.spans[si]) {
					continue
				}
				if s.heading || !isListItem(s.text, h.start, h.stop) {
					named[h.e.id] = true
				}
			}
		}
		for k := range out[i] {
			out[i][k] = !named[k] && (ti.cues == nil || !ti.cues.head[k] && ti.cues.counts[k] <= 1)
		}
	}
	return out
}

// DropListed sets to 0 the probability of a topic a passage names only in
// lists (TagPage, and the trainer's held-out predictions).
func DropListed(probs [][]float64, listed [][]bool) {
	for i := range probs {
		for k := range probs[i] {
			if listed[i][k] {
				probs[i][k] = 0
			}
		}
	}
}

// TopicNames returns the taxonomy's topics in the order of the tagger.
func (t *Tagger) TopicNames() []string {
	out := make([]string, len(t.topics))
	for i, tp := range t.topics {
		out[i] = tp.Name
	}
	return out
}

// tagPage tags the passages of p with the rules and, with features, returns
// their features (the word features too with lexical).
func (t *Tagger) tagPage(p Page, features, lexical bool) ([]Tags, [][]Feature, []topicInput) {
	out := make([]Tags, len(p.Passages))
	tis := make([]topicInput, len(p.Passages))
	for i, ps := range p.Passages {
		out[i], tis[i] = t.tagPassage(Input{URL: p.URL, Title: p.Title, Headings: ps.Headings, Text: ps.Text,
			Published: p.Published, Site: p.Site})
	}
	if len(out) == 0 {
		return out, nil, tis
	}
	pc := t.addPageTopics(out, tis, len(out) > 1)
	t.addFoundOrgs(p, out)
	if !features {
		return out, nil, tis
	}
	cues := make([]passageCues, len(tis))
	pc.cues = make([]int, len(t.topics))
	pc.ruleTags = make([]bool, len(t.topics))
	for i, ti := range tis {
		cues[i] = t.cuesOf(ti)
		for k, n := range cues[i].counts {
			pc.cues[k] += n
		}
		for _, x := range out[i].Topics {
			pc.ruleTags[t.topicIdx[x]] = true
		}
	}
	feats := make([][]Feature, len(tis))
	for i, ti := range tis {
		feats[i] = t.passageFeatures(ti, out[i].Organizations, out[i].Topics, &cues[i], pc, lexical)
		tis[i].cues = &cues[i]
	}
	return out, feats, tis
}

// Decide returns which topics the passages of a page take, given per
// passage and topic the model's probability: the page has topic k when a
// passage reaches th[k]; the most probable passage takes it (the first of
// equals), and so does every other passage that reaches th[k] and passage
// too, so that a passage that names a topic of its page in passing (an item
// in a list of threats, a background sentence) does not take it. passage at
// 0 (or at most th[k]) gives k to every passage that reaches th[k].
func Decide(probs [][]float64, th []float64, passage float64) [][]bool {
	return DecidePage(probs, nil, th, passage)
}

// DecidePage is Decide with the page model's probabilities (PageScores):
// the page has topic k when page[k] reaches th[k], its most probable passage
// takes it, and so does every other passage that reaches passage. A nil
// page is Decide.
func DecidePage(probs [][]float64, page, th []float64, passage float64) [][]bool {
	out := make([][]bool, len(probs))
	for i := range out {
		out[i] = make([]bool, len(th))
	}
	for k := range th {
		best := -1 // the most probable passage, the first of equals
		for i, p := range probs {
			if best < 0 || p[k] > probs[best][k] {
				best = i
			}
		}
		if best < 0 {
			continue
		}
		// What the threshold applies to, and what the other passages need.
		gate, floor := probs[best][k], max(th[k], passage)
		if page != nil {
			gate, floor = page[k], passage
			if passage <= 0 {
				floor = math.Inf(1)
			}
		}
		if gate < th[k] {
			continue
		}
		for i, p := range probs {
			if p[k] >= floor {
				out[i][k] = true
			}
		}
		out[best][k] = true
	}
	return out
}

// applyModel replaces the rule topics of tags by the model's (take, per
// topic), with their provenance and evidence.
func (t *Tagger) applyModel(tags *Tags, take []bool, ti topicInput) {
	for _, x := range tags.Topics {
		delete(tags.Provenance, "topic:"+x)
	}
	tags.Topics = tags.Topics[:0]
	var hits [][]hit
	for k, ok := range take {
		if !ok {
			continue
		}
		name := t.topics[k].Name
		tags.Topics = append(tags.Topics, name)
		if hits == nil {
			hits = t.topicHits(ti)
		}
		ev, words := t.topicEvidence(ti, k, hits)
		if tags.Evidence == nil {
			tags.Evidence = map[string]string{}
		}
		tags.Evidence["topic:"+name] = ev
		tags.Provenance["topic:"+name] = words
	}
	sort.Strings(tags.Topics)
}

// addPageTopics scores the topics over the whole page and, with add, gives
// those that pass on the page and on no passage to the passages with most
// evidence. It returns the page's scores.
func (t *Tagger) addPageTopics(out []Tags, tis []topicInput, add bool) *pageContext {
	shared := sharedHeadings(tis)
	var srcs []*source
	var spans [][]hit
	seen := map[string]bool{}
	var orgs []string
	tagged := map[string]bool{}
	for i, ti := range tis {
		for si, s := range ti.srcs {
			if s.heading {
				k := headingKey(s.text)
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			srcs = append(srcs, s)
			spans = append(spans, ti.spans[si])
		}
		orgs = append(orgs, out[i].Organizations...)
		for _, x := range out[i].Topics {
			tagged[x] = true
		}
	}
	scores, words := t.topicScores(srcs, spans, t.orgHints(uniqueStrings(orgs)), pageListAll)
	threshold := pageThreshold(words)
	pc := &pageContext{scores: scores, threshold: threshold}
	if !add {
		return pc
	}
	var own [][]topicScore // each passage's own evidence, scored when first needed
	for i := range scores {
		sc := &scores[i]
		name := t.topics[i].Name
		if t.debugPage != nil && sc.total() > 0 {
			t.debugPage(name, sc.total(), threshold, sc.words)
		}
		if tagged[name] || !sc.passes(threshold) {
			continue
		}
		if own == nil {
			own = make([][]topicScore, len(tis))
			for j, ti := range tis {
				own[j] = t.ownScores(ti, shared)
			}
		}
		best := 0.0
		for j := range own {
			best = math.Max(best, own[j][i].total())
		}
		if best <= 0 {
			continue
		}
		for j := range own {
			if own[j][i].total() >= pageComparable*best {
				out[j].Topics = insertSorted(out[j].Topics, name)
				out[j].Provenance["topic:"+name] = sc.words
			}
		}
	}
	return pc
}

// ownScores scores the topics over what is a passage's own: its text and the
// headings of its path that are not shared by the whole page.
func (t *Tagger) ownScores(ti topicInput, shared map[string]bool) []topicScore {
	var srcs []*source
	var spans [][]hit
	for si, s := range ti.srcs {
		if s.heading && shared[headingKey(s.text)] {
			continue
		}
		srcs = append(srcs, s)
		spans = append(spans, ti.spans[si])
	}
	scores, _ := t.topicScores(srcs, spans, ti.hints, pageListAll)
	return scores
}

// sharedHeadings returns the keys of the headings (the title included) that
// every passage carries.
func sharedHeadings(tis []topicInput) map[string]bool {
	count := map[string]int{}
	for _, ti := range tis {
		mine := map[string]bool{}
		for _, s := range ti.srcs {
			if s.heading {
				mine[headingKey(s.text)] = true
			}
		}
		for k := range mine {
			count[k]++
		}
	}
	shared := map[string]bool{}
	for k, n := range count {
		if n == len(tis) {
			shared[k] = true
		}
	}
	return shared
}

func headingKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// pageThreshold is the topic threshold of a page of words words (never
// below the threshold of a passage of that length).
func pageThreshold(words int) float64 {
	th := pageBaseThreshold * math.Sqrt(math.Max(1, float64(words)/thresholdWords))
	return math.Max(topicThreshold(words), math.Min(pageMaxThreshold, th))
}

func insertSorted(list []string, v string) []string {
	k := sort.SearchStrings(list, v)
	if k < len(list) && list[k] == v {
		return list
	}
	list = append(list, "")
	copy(list[k+1:], list[k:])
	list[k] = v
	return list
}

func uniqueStrings(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
