package tag

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Feature is one named value that the learned models read. Names are
// prefixed by their kind:
//
//	w:stem          a word of the passage text (organization names masked)
//	b:stem_stem     two adjacent words of the passage text
//	h:stem          a word of the passage's own headings (title excluded)
//	T:stem          a word of the page title
//	o:name          an organization the passage names
//	len:n           the passage length band
//	r:…             the rule score of the topic on the passage (see topics.go)
//	rx:topic        the rule score of a topic on the passage, weighed per topic:
//	                what the evidence of one topic says of the others (readers
//	                who see a maritime interdiction tag maritime security or
//	                interdiction, seldom both)
//	p:…             the rule score of the topic on the whole page (see page.go)
//	c:i             the topic's cue family i co-occurs in a sentence; c: their sentences
//	ch:             a cue family of the topic co-occurring in a heading
//	pc:             the topic's cue co-occurrences over the whole page
//
// Words and pairs weigh 1/√n, n the number of them in the passage.
//
// Topic features (r:, p:, c:, ch:, pc: and bias) belong to one topic: their
// Name leaves the topic out ("r:score") and Topic holds its index, so that
// the model weighs them once for all topics and once more per topic. Other
// features have Topic -1 and a weight per topic.
type Feature struct {
	Name  string
	Topic int
	Value float64
}

// stopwords are left out of word and pair features.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or of to in on for with by at from as is are was were be been being
		that this these those it its their his her they them we our us he she which who whom whose what when where
		while also has have had not but than then there such into over under about after before between through
		during each other more most some any all both can could may might will would should shall do does did
		so if per via upon within without including include includes new two three one s`) {
		stopwords[w] = true
	}
}

// stem reduces a lower-case word to a crude stem: enough for "trained",
// "training" and "trainings" to meet, never a dictionary form.
func stem(w string) string {
	if len(w) <= 4 {
		return w
	}
	for _, suf := range []string{"ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "ed", "er", "es", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			base := w[:len(w)-len(suf)]
			switch {
			case suf == "ies":
				return base + "y"
			case suf == "es" && (strings.HasSuffix(base, "s") || strings.HasSuffix(base, "x") ||
				strings.HasSuffix(base, "ch") || strings.HasSuffix(base, "sh")):
				return base
			}
			return strings.TrimSuffix(base, "e")
		}
	}
	if len(w) > 4 {
		return strings.TrimSuffix(w, "e")
	}
	return w
}

// wordKey is the feature form of a token: its stem, "#" for numbers, or ""
// for a stopword.
func wordKey(tk token) string {
	k := tk.key
	if k == "" || stopwords[k] {
		return ""
	}
	if k[0] >= '0' && k[0] <= '9' {
		return "#"
	}
	return stem(k)
}

// cueFamily is one co-occurrence cue of a topic: a word of a and a word of b
// in one sentence. Entries are stem sequences joined by spaces.
type cueFamily struct {
	a, b map[string]bool
}

type cueFile struct {
	Topics map[string][]struct {
		A []string `json:"a"`
		B []string `json:"b"`
	} `json:"topics"`
}

// maxCueWords is the longest phrase a cue family may hold.
const maxCueWords = 3

func (t *Tagger) buildCues() error {
	var cf cueFile
	if err := loadJSON("cues.json", &cf); err != nil {
		return err
	}
	t.cues = make([][]cueFamily, len(t.topics))
	for name, fams := range cf.Topics {
		i, ok := t.topicIdx[name]
		if !ok {
			return fmt.Errorf("cues.json: unknown topic %q", name)
		}
		for _, f := range fams {
			fam := cueFamily{a: map[string]bool{}, b: map[string]bool{}}
			for _, side := range []struct {
				words []string
				set   map[string]bool
			}{{f.A, fam.a}, {f.B, fam.b}} {
				for _, w := range side.words {
					key := cueKey(tokenize(w))
					if key == "" || strings.Count(key, " ") >= maxCueWords {
						return fmt.Errorf("cues.json: %s: bad cue %q", name, w)
					}
					side.set[key] = true
				}
			}
			t.cues[i] = append(t.cues[i], fam)
		}
	}
	t.indexCues()
	return nil
}

// cueKey joins the stems of toks (stopwords kept) with spaces.
func cueKey(toks []token) string {
	parts := make([]string, 0, len(toks))
	for _, tk := range toks {
		parts = append(parts, stem(tk.key))
	}
	return strings.Join(parts, " ")
}

// span is a token range [from, to) of a source.
type span struct{ from, to int }

// sentenceSpans splits toks into sentences: a new one starts after a
// period, question or exclamation mark, semicolon, line break or cell break.
func sentenceSpans(text string, toks []token) []span {
	var out []span
	from := 0
	for i := 1; i < len(toks); i++ {
		if !toks[i].brk {
			continue
		}
		gap := text[toks[i-1].end:toks[i].start]
		if strings.ContainsAny(gap, ".!?;\n|\t") {
			out = append(out, span{from, i})
			from = i
		}
	}
	if from < len(toks) {
		out = append(out, span{from, len(toks)})
	}
	return out
}

// cueRef is one side of one cue family that a stem sequence belongs to.
type cueRef struct {
	topic, fam int
	side       uint8 // 1: a, 2: b
}

// indexCues indexes the cue families by their entries, and marks the stems
// that open an entry of several words.
func (t *Tagger) indexCues() {
	t.cueIndex = map[string][]cueRef{}
	t.cueOpen = map[string]bool{}
	for ti, fams := range t.cues {
		for fi, f := range fams {
			for side, set := range []map[string]bool{f.a, f.b} {
				for k := range set {
					t.cueIndex[k] = append(t.cueIndex[k], cueRef{ti, fi, uint8(side + 1)})
					if sp := strings.IndexByte(k, ' '); sp > 0 {
						t.cueOpen[k[:sp]] = true
					}
				}
			}
		}
	}
	for k, refs := range t.cueIndex { // a fixed order for the callbacks
		sort.Slice(refs, func(i, j int) bool {
			if refs[i].topic != refs[j].topic {
				return refs[i].topic < refs[j].topic
			}
			if refs[i].fam != refs[j].fam {
				return refs[i].fam < refs[j].fam
			}
			return refs[i].side < refs[j].side
		})
		t.cueIndex[k] = refs
	}
}

// sentenceCues calls fn(topic, family), in topic and family order, for each
// cue family that co-occurs in one sentence (a word of each side); masked
// tokens (organization names) are skipped. stems holds the tokens' stems.
func (t *Tagger) sentenceCues(toks []token, sp span, masked []bool, fn func(topic, fam int)) {
	var found map[[2]int]uint8
	mark := func(k string) {
		for _, r := range t.cueIndex[k] {
			if found == nil {
				found = map[[2]int]uint8{}
			}
			found[[2]int{r.topic, r.fam}] |= r.side
		}
	}
	for i := sp.from; i < sp.to; i++ {
		if masked != nil && masked[i] {
			continue
		}
		k := stem(toks[i].key)
		mark(k)
		if t.cueOpen[k] && i+1 < sp.to && (masked == nil || !masked[i+1]) {
			k2 := k + " " + stem(toks[i+1].key)
			mark(k2)
			if i+2 < sp.to && (masked == nil || !masked[i+2]) {
				mark(k2 + " " + stem(toks[i+2].key))
			}
		}
	}
	if len(found) == 0 {
		return
	}
	hits := make([][2]int, 0, len(found))
	for tf, sides := range found {
		if sides == 3 {
			hits = append(hits, tf)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i][0] != hits[j][0] {
			return hits[i][0] < hits[j][0]
		}
		return hits[i][1] < hits[j][1]
	})
	for _, h := range hits {
		fn(h[0], h[1])
	}
}

// maskOf marks the tokens of a source that lie inside organization spans.
func maskOf(s *source, spans []hit) []bool {
	if len(spans) == 0 {
		return nil
	}
	m := make([]bool, len(s.toks))
	for i, tk := range s.toks {
		for _, h := range spans {
			if tk.start < h.stop && h.start < tk.end {
				m[i] = true
				break
			}
		}
	}
	return m
}

// passageCues are the cue co-occurrences of one passage.
type passageCues struct {
	fams   [][2]int // (topic, family) of every co-occurrence in the text
	counts []int    // per topic, sentences of the text with a co-occurrence
	head   []bool   // per topic, a co-occurrence in a heading of the passage (title excluded)
	// sents are the sentences of the text, and bySent their co-occurrences
	// (the evidence reads them).
	sents  []span
	bySent [][][2]int
	mask   []bool // the text's tokens inside organization names
}

// cuesOf finds the cue co-occurrences of a passage.
func (t *Tagger) cuesOf(ti topicInput) passageCues {
	pc := passageCues{counts: make([]int, len(t.topics)), head: make([]bool, len(t.topics))}
	body := ti.srcs[len(ti.srcs)-1]
	mask := maskOf(body, ti.spans[len(ti.srcs)-1])
	pc.mask = mask
	pc.sents = sentenceSpans(body.text, body.toks)
	pc.bySent = make([][][2]int, len(pc.sents))
	for j, sp := range pc.sents {
		last := -1
		t.sentenceCues(body.toks, sp, mask, func(topic, fam int) {
			pc.fams = append(pc.fams, [2]int{topic, fam})
			pc.bySent[j] = append(pc.bySent[j], [2]int{topic, fam})
			if topic != last {
				pc.counts[topic]++
				last = topic
			}
		})
	}
	for si, s := range ti.srcs[:len(ti.srcs)-1] {
		if si == 0 && ti.hasTitle {
			continue // the title is the page's
		}
		t.sentenceCues(s.toks, span{0, len(s.toks)}, nil, func(topic, _ int) { pc.head[topic] = true })
	}
	return pc
}

// pageContext is what the topic features read of the whole page.
type pageContext struct {
	scores    []topicScore
	threshold float64
	cues      []int  // per topic, sentences of the page with a cue co-occurrence
	ruleTags  []bool // per topic, whether the rules tag it on some passage
}

// passageFeatures returns the features of one passage: its words and word
// pairs, headings, title, organizations, length, and per topic the rule
// scores of the passage and of the page and the cue co-occurrences.
// ruleTopics are the topics the rules give the passage (page additions
// included).
func (t *Tagger) passageFeatures(ti topicInput, orgs []string, ruleTopics []string, pcues *passageCues, pc *pageContext, lexical bool) []Feature {
	fs := make([]Feature, 0, 256)
	seen := map[string]bool{}
	add := func(name string, v float64) {
		if v == 0 || seen[name] {
			return
		}
		seen[name] = true
		fs = append(fs, Feature{name, -1, v})
	}
	addT := func(topic int, name string, v float64) {
		if v != 0 {
			fs = append(fs, Feature{name, topic, v})
		}
	}
	if lexical {
		t.wordFeatures(ti, orgs, add)
	}
	add("len:"+strconv.Itoa(lengthBand(len(ti.srcs[len(ti.srcs)-1].toks))), 1)
	scores, th := ti.scores, ti.threshold
	tagged := map[string]bool{}
	for _, x := range ruleTopics {
		tagged[x] = true
	}
	for _, tf := range pcues.fams {
		addT(tf[0], "c:"+strconv.Itoa(tf[1]), 1)
	}
	cues, headCue := pcues.counts, pcues.head
	for i := range t.topics {
		sc := &scores[i]
		name := t.topics[i].Name
		addT(i, "bias", 1)
		if tot := sc.total(); tot > 0 {
			add("rx:"+name, math.Min(tot/th, 2))
			addT(i, "r:score", math.Min(tot/th, 2))
			if sc.head > 0 {
				addT(i, "r:head", math.Min(sc.head/headingAlone, 1))
			}
			if sc.strong > 0 {
				addT(i, "r:strong", math.Min(sc.strong/th, 2))
			}
			if sc.passes(th) {
				addT(i, "r:pass", 1)
			}
		}
		if tagged[name] {
			addT(i, "r:tag", 1)
		}
		if cues[i] > 0 {
			addT(i, "c:", math.Log1p(float64(cues[i])))
		}
		if headCue[i] {
			addT(i, "ch:", 1)
		}
		if pc != nil {
			ps := &pc.scores[i]
			if tot := ps.total(); tot > 0 {
				addT(i, "p:score", math.Min(tot/pc.threshold, 2))
				if ps.passes(pc.threshold) {
					addT(i, "p:pass", 1)
				}
			}
			if pc.ruleTags[i] {
				addT(i, "p:tag", 1)
			}
			if pc.cues[i] > 0 {
				addT(i, "pc:", math.Log1p(float64(pc.cues[i])))
			}
		}
	}
	return fs
}

// lengthBand buckets a passage length in words.
func lengthBand(n int) int {
	switch {
	case n < 20:
		return 0
	case n < 60:
		return 1
	case n < 150:
		return 2
	case n < 300:
		return 3
	}
	return 4
}

// wordFeatures adds the word features of a passage: its words and word pairs
// (1/√n each), the words of its headings and title and its organizations.
func (t *Tagger) wordFeatures(ti topicInput, orgs []string, add func(string, float64)) {
	body := ti.srcs[len(ti.srcs)-1]
	mask := maskOf(body, ti.spans[len(ti.srcs)-1])
	var words []string
	prev := ""
	seen := map[string]bool{}
	for i, tk := range body.toks {
		if mask != nil && mask[i] {
			prev = ""
			continue
		}
		k := wordKey(tk)
		if tk.brk {
			prev = ""
		}
		if k == "" {
			continue
		}
		words = appendNew(words, seen, "w:"+k)
		if prev != "" {
			words = appendNew(words, seen, "b:"+prev+"_"+k)
		}
		prev = k
	}
	for _, w := range words {
		add(w, 1/math.Sqrt(float64(len(words))))
	}
	for si, s := range ti.srcs[:len(ti.srcs)-1] {
		prefix := "h:"
		if si == 0 && ti.hasTitle {
			prefix = "T:"
		}
		for _, tk := range s.toks {
			if k := wordKey(tk); k != "" && k != "#" {
				add(prefix+k, 1)
			}
		}
	}
	for _, o := range orgs {
		add("o:"+o, 1)
	}
}

func appendNew(list []string, seen map[string]bool, s string) []string {
	if seen[s] {
		return list
	}
	seen[s] = true
	return append(list, s)
}
