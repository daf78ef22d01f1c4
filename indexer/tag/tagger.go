package tag

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// Tagger tags passages with the organizations, countries, regions, topics,
// years and amounts they are about. It is safe for concurrent use: after New
// it is read-only.
type Tagger struct {
	orgs          []orgData
	nonStateHosts []string
	pub           publishers // the publisher organizations of other hosts and site names
	orgM, ctxM    *matcher
	// tailM holds the rest of the organization names that open with "U.S."
	// ("Coast Guard"), for coordinations: "U.S. Navy and Coast Guard".
	tailM *matcher
	// instrumentWords after an organization's name make it an instrument's name.
	instrumentWords map[string]bool
	// disc finds the organizations a page defines beyond the taxonomy.
	disc discovery

	countries  []country
	regions    []region
	personRisk map[string]bool
	// featureWords are region words that name a geographic feature before a
	// lower-case word ("Pacific coast").
	featureWords map[string]bool
	// featureNouns after a region word make it a feature ("Caribbean coasts").
	featureNouns map[string]bool
	placeM       *matcher

	topics      []topic
	topicIdx    map[string]int
	topicM      *matcher
	boilerplate []string
	// headingStrong holds (topic, weak signal) pairs that count as strong in a heading.
	headingStrong map[[2]string]bool

	vocab search.Vocabulary

	// cues are the co-occurrence cue families of each topic (data/cues.json).
	cues     [][]cueFamily
	cueIndex map[string][]cueRef // entry → the families it belongs to
	cueOpen  map[string]bool     // first stems of entries of several words
	// model is the learned topic and type model (data/model.json), or nil.
	model *compiledModel

	// debugTopics, set by tests only, receives every topic score.
	debugTopics func(topic string, head, body, threshold float64, words []string)
	// debugPage, set by tests only, receives every page-level topic score of TagPage.
	debugPage func(topic string, score, threshold float64, words []string)
}

// Input is one passage with its page's context.
type Input struct {
	URL      string
	Title    string   // the page title
	Headings []string // the heading path of the passage, outermost first
	Text     string   // the passage text; table rows keep cells separated by " | " or tabs
	// Published is the page date; its year is added to Years when set.
	Published time.Time
	// Site is the name the page's site gives itself (extract.Page.Site); with
	// the URL's host it tells whether the State Department is the publisher.
	Site string
}

// Tags are the facet values of one passage, with the words that produced them.
type Tags struct {
	Organizations []string // canonical full names, sorted
	Countries     []string // display names, sorted
	Regions       []string // region names, sorted
	Topics        []string // topic names, sorted
	Years         []int    // ascending, unique
	// Amounts are the money amounts in US dollars, in order of appearance,
	// unique; a range gives both ends ("$94-150 million" → 94e6, 150e6) and
	// table figures under a "($000)" header are multiplied by 1,000.
	Amounts []float64
	// FoundOrganizations are the organizations of Organizations that are
	// not in the taxonomy, found from the page's own definitions ("Civilian
	// Police Training Team (CPTT)"), by acronym, sorted.
	FoundOrganizations []string
	// Provenance maps "facet:value" ("topic:money laundering", "year:2013",
	// "region:Central America") to the words that matched.
	Provenance map[string][]string
	// Evidence maps "facet:value" to the sentence or heading that decided it.
	Evidence map[string]string
}

// errMissingTopic reports a canonical topic absent from topics.json.
func errMissingTopic(name string) error {
	return fmt.Errorf("topics.json: missing canonical topic %q", name)
}

// New loads the embedded taxonomy and builds the matchers.
func New() (*Tagger, error) {
	t := &Tagger{
		orgM: newMatcher(), ctxM: newMatcher(), tailM: newMatcher(), placeM: newMatcher(), topicM: newMatcher(),
		topicIdx: map[string]int{},
	}
	if err := t.buildOrgs(); err != nil {
		return nil, fmt.Errorf("load organizations: %w", err)
	}
	if err := t.buildPlaces(); err != nil {
		return nil, fmt.Errorf("load places: %w", err)
	}
	if err := t.buildTopics(); err != nil {
		return nil, fmt.Errorf("load topics: %w", err)
	}
	if err := t.buildCues(); err != nil {
		return nil, fmt.Errorf("load cues: %w", err)
	}
	if err := t.loadModel(); err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	if len(t.orgs) == 0 || len(t.countries) == 0 {
		return nil, errors.New("load taxonomy: empty data")
	}
	t.vocab = t.buildVocabulary()
	return t, nil
}

// MustNew is New for tests and program start-up; it panics on a broken taxonomy.
func MustNew() *Tagger {
	t, err := New()
	if err != nil {
		panic(err)
	}
	return t
}

// Tag tags one passage; the title and heading path count as context (a
// passage under "Mexico Program Overview" is about Mexico). TagPage tags all
// the passages of a page and adds the topics that only the page as a whole
// treats as substance.
func (t *Tagger) Tag(in Input) Tags {
	return t.TagPage(Page{URL: in.URL, Title: in.Title, Site: in.Site, Published: in.Published,
		Passages: []PagePassage{{Headings: in.Headings, Text: in.Text}}})[0]
}

// topicInput is what topic scoring read of one passage: its sources (the
// title, the heading path, and last the text without boilerplate), their
// organization spans, and the topic hints of the organizations it names.
type topicInput struct {
	// hasTitle is set when srcs[0] is the page title.
	hasTitle bool
	srcs     []*source
	spans    [][]hit
	hints    map[string]float64
	// scores and threshold are the rule scores of the passage's topics.
	scores    []topicScore
	threshold float64
	// cues are the passage's cue co-occurrences, once TagPage found them.
	cues *passageCues
}

// tagPassage tags one passage and returns what its topic scoring read.
func (t *Tagger) tagPassage(in Input) (Tags, topicInput) {
	tags := Tags{Provenance: map[string][]string{}, Evidence: map[string]string{}}
	var srcs []*source
	if strings.TrimSpace(in.Title) != "" {
		srcs = append(srcs, &source{text: in.Title, heading: true})
	}
	for _, h := range in.Headings {
		if strings.TrimSpace(h) != "" {
			srcs = append(srcs, &source{text: h, heading: true})
		}
	}
	// a run of page titles (an index page, a menu) is about those pages, not this passage
	text := stripTitleRuns(in.Text)
	srcs = append(srcs, &source{text: text})
	for _, s := range srcs {
		s.toks = tokenize(s.text)
		s.places = t.placeHits(s.text, s.toks)
	}

	// organizations
	or := t.tagOrgs(t.isNonStatePublisher(in.URL, in.Site), auditsState(in.URL, in.Site),
		t.withParents(t.publisherOrgs(in.URL, in.Site)), srcs)
	tags.Organizations = sorted(or.names)
	for k, v := range or.prov {
		tags.Provenance[k] = v
	}
	for k, v := range or.ev {
		tags.Evidence[k] = v
	}

	// countries and regions; a place inside an organization's name ("United
	// Nations Mission in Sudan", "Council of Europe") is not a place mention
	countrySet, regionSet := map[string]bool{}, map[string]bool{}
	placeEv := evidence{}
	for si, s := range srcs {
		offices := officeSpans(s.text)
		for _, h := range s.places {
			if overlaps(h, or.spans[si]) || overlaps(h, offices) {
				continue
			}
			switch h.e.kind {
			case kindCountry:
				c := t.countries[h.e.id]
				countrySet[c.name] = true
				addProv(tags.Provenance, "country:"+c.name, h.matched)
				placeEv.add("country:"+c.name, s, h.start, h.stop)
				for _, r := range c.regions {
					regionSet[r] = true
					addProv(tags.Provenance, "region:"+r, c.name)
					placeEv.add("region:"+r, s, h.start, h.stop)
				}
			case kindRegion:
				r := t.regions[h.e.id]
				regionSet[r.name] = true
				addProv(tags.Provenance, "region:"+r.name, h.matched)
				placeEv.add("region:"+r.name, s, h.start, h.stop)
				if r.parent != "" {
					regionSet[r.parent] = true
					addProv(tags.Provenance, "region:"+r.parent, r.name)
					placeEv.add("region:"+r.parent, s, h.start, h.stop)
				}
			}
		}
	}
	tags.Countries = keys(countrySet)
	tags.Regions = keys(regionSet)
	placeEv.into(tags.Evidence)

	// topics: on the passage without the stock mission boilerplate
	body := srcs[len(srcs)-1]
	if stripped := t.stripBoilerplate(body.text); stripped != body.text {
		body = &source{text: stripped, toks: tokenize(stripped)}
		srcs[len(srcs)-1] = body
		or.spans[len(srcs)-1] = t.orgSpans(body)
	}
	hints := t.orgHints(or.names)
	topics, tprov, scores, threshold := t.scoreTopics(srcs, or.spans, hints)
	ti := topicInput{hasTitle: strings.TrimSpace(in.Title) != "", srcs: srcs, spans: or.spans, hints: hints,
		scores: scores, threshold: threshold}
	tags.Topics = topics
	for k, v := range tprov {
		tags.Provenance[k] = v
	}

	// years and amounts
	yearSet := map[int]bool{}
	yearEv := evidence{}
	var headers []string
	for _, s := range srcs {
		if s.heading {
			headers = append(headers, s.text)
		}
		for _, y := range extractYears(blankArchiveNotices(s.text)) {
			yearSet[y.year] = true
			addProv(tags.Provenance, fmt.Sprintf("year:%d", y.year), y.text)
			yearEv.add(fmt.Sprintf("year:%d", y.year), s, y.pos, y.pos+4)
		}
	}
	if !in.Published.IsZero() && inRange(in.Published.Year()) {
		y := in.Published.Year()
		yearSet[y] = true
		addProv(tags.Provenance, fmt.Sprintf("year:%d", y), "published "+in.Published.Format("2006-01-02"))
		yearEv.addText(fmt.Sprintf("year:%d", y), "Published "+in.Published.Format("2 January 2006"), true)
	}
	yearEv.into(tags.Evidence)
	for y := range yearSet {
		tags.Years = append(tags.Years, y)
	}
	sort.Ints(tags.Years)
	seenAmt := map[float64]bool{}
	for _, a := range extractAmounts(text, headers) {
		if !seenAmt[a.value] {
			seenAmt[a.value] = true
			tags.Amounts = append(tags.Amounts, a.value)
			addProv(tags.Provenance, fmt.Sprintf("amount:%.0f", a.value), a.text)
		}
	}
	return tags, ti
}

// orgHints sums the topic hints of the named organizations.
func (t *Tagger) orgHints(names []string) map[string]float64 {
	hints := map[string]float64{}
	for _, n := range names {
		for _, o := range t.orgs {
			if o.Name == n {
				for topic, w := range o.Hints {
					hints[topic] += w
				}
			}
		}
	}
	return hints
}

func addProv(p map[string][]string, key, v string) {
	p[key] = appendUnique(p[key], v)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// minTitleRun is the number of consecutive title-like lines that make a list
// of titles.
const minTitleRun = 3

// stripTitleRuns removes from text the runs of minTitleRun or more
// consecutive title-like lines: short, capitalised, without a sentence end or
// table cells or money. Such runs are listings of other pages or navigation menus.
func stripTitleRuns(text string) string {
	lines := strings.Split(text, "\n")
	keep := make([]bool, len(lines))
	for i := 0; i < len(lines); {
		if !isTitleLine(lines[i]) {
			keep[i] = true
			i++
			continue
		}
		j := i
		for j < len(lines) && isTitleLine(lines[j]) {
			j++
		}
		if j-i < minTitleRun {
			for k := i; k < j; k++ {
				keep[k] = true
			}
		}
		i = j
	}
	var b strings.Builder
	for i, l := range lines {
		if keep[i] {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l)
		}
	}
	return b.String()
}

func isTitleLine(l string) bool {
	l = strings.TrimSpace(l)
	n := len(strings.Fields(l))
	return n > 0 && n <= 12 && isCapitalized(l) && !strings.ContainsAny(l[len(l)-1:], ".;!?,") &&
		!strings.Contains(l, ". ") && !strings.ContainsAny(l, "|\t$")
}

// reOffice matches the name of a bureau office named after the places it
// covers ("Office of Western Hemisphere and Asia Programs"): the publisher's
// own structure, not a place mention.
var reOffice = regexp.MustCompile(`\bOffice of (?:[A-Z][\w'’-]*,? (?:(?:and|&) )?){1,8}(?:Programs|Affairs)\b`)

func officeSpans(text string) []hit {
	var out []hit
	if !strings.Contains(text, "Office of") {
		return nil
	}
	for _, m := range reOffice.FindAllStringIndex(text, -1) {
		out = append(out, hit{start: m[0], stop: m[1]})
	}
	return out
}
