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
// date and site as context) and adds the topics that the page as a whole
// treats as substance but no single passage does, to the passages that carry
// the most evidence for them. Their provenance lists the words matched over
// the whole page. It returns one Tags per passage, in order.
func (t *Tagger) TagPage(p Page) []Tags {
	out := make([]Tags, len(p.Passages))
	tis := make([]topicInput, len(p.Passages))
	for i, ps := range p.Passages {
		out[i], tis[i] = t.tagPassage(Input{URL: p.URL, Title: p.Title, Headings: ps.Headings, Text: ps.Text,
			Published: p.Published, Site: p.Site})
	}
	if len(out) > 1 {
		t.addPageTopics(out, tis)
	}
	t.addFoundOrgs(p, out)
	return out
}

// addPageTopics scores the topics over the whole page and gives those that
// pass on the page and on no passage to the passages with most evidence.
func (t *Tagger) addPageTopics(out []Tags, tis []topicInput) {
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
