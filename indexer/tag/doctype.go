package tag

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// urlRule maps a URL path pattern to a document type; the first match wins.
type urlRule struct {
	re  *regexp.Regexp
	typ string
}

// strongURLRules name a document kind outright; weakURLRules only after the
// text cues (a fact sheet may live under a region's folder).
var strongURLRules = []urlRule{
	{regexp.MustCompile(`(?i)/rls/fs/|/fact-?sheets?/|[-_/]fact-?sheet`), TypeFactSheet},
	{regexp.MustCompile(`(?i)/nrcrpt/|[/_-]incsr|international-narcotics-control-strategy-report|/narcotics-control-strategy`), TypeStrategyReport},
	{regexp.MustCompile(`(?i)/r/pa/prs/|/prs/ps/|/press-releases?/|/media-notes?/|/pressreleases?/|/news/press|[-_/]media-note`), TypePressRelease},
	{regexp.MustCompile(`(?i)/rls/rm/|/remarks/|/testimony/|/testimonies/|/speeches/|[-_/]testimony|[-_/]remarks-`), TypeRemarks},
	{regexp.MustCompile(`(?i)/cbj/|/pbg/|budget-justification|program-and-budget-guide|/budget/`), TypeBudget},
	{regexp.MustCompile(`(?i)partnership|/partners/|/partners\.htm`), TypePartnerships},
}

var weakURLRules = []urlRule{
	{regexp.MustCompile(`(?i)-summary/|/regions/[^/]+/|/regions/c?\d+\.htm|work-by-country/[^/]+|/narc/c\d+|/ame/c\d+|/j/inl/ap/|/country-programs?/[^/]+|/countries/[^/]+|/embassies/|/our-relationship/|/sections?-offices?/`), TypeCountryProgram},
	{regexp.MustCompile(`(?i)/focus/[^/]+/`), TypeFocusPage},
}

// reLanding matches the path of a site's home or of a section's landing page
// (a listing of the section): "/", "/j/inl/regions/index.htm", "…-work-by-country/".
var reLanding = regexp.MustCompile(`(?i)^/?(?:index\.html?)?$|/(?:regions|focus|rls|about|countries|reports|fs|rm|prs|ps|news|releases|press-releases|fact-sheets|nrcrpt|cbj|pbg|[\w-]*work-by-country)/(?:index\.html?)?$|^/(?:j|p)/inl/(?:index\.html?)?$`)

var (
	reFactSheet   = regexp.MustCompile(`(?im)^.{0,120}\bfact sheet\b`)
	reMediaNote   = regexp.MustCompile(`(?i)\bmedia note\b|\boffice of the spokesperson\b|\bPRN:\s*\d{4}/\d+|\bpress releases?\b|\bfor immediate release\b`)
	reStrategy    = regexp.MustCompile(`(?i)countries/jurisdictions of primary concern|international narcotics control strategy report|\bINCSR\b|drug and chemical control|money laundering and financial crimes`)
	reBudget      = regexp.MustCompile(`(?i)budget summary|budget justification|program justification|program and budget guide|\(\s*\$\s*000\s*\)|\$ in thousands|performance indicators`)
	reRemarks     = regexp.MustCompile(`(?i)\bchairman\b[^.]{0,80},?\s+ranking member|\branking member\b|\btestimony\b|\bstatement (?:before|to) the\b|\bremarks\b|\bas prepared for delivery\b|\bsubcommittee\b`)
	rePartners    = regexp.MustCompile(`(?i)\bpartnerships?\b|\bpartners\b`)
	reCountryHead = regexp.MustCompile(`(?im)^\s*(?:challenges|goals|accomplishments|strategic context|program overview|country program|program goals|interagency partners)\s*$`)
	reAbout       = regexp.MustCompile(`(?i)^\s*(?:about\b|home\b|contact\b|site ?map\b|search\b)`)
	// reNotice matches the head of a funding or vacancy notice (a NOFO, a
	// statement of interest, a job's statement of work): "other", however
	// much of a country's programme it describes.
	reNotice = regexp.MustCompile(`(?i)\bnotice of funding opportunity\b|\bNOFO\b|\bfunding opportunity (?:number|title)\b|\brequest for statements? of interest\b|\bvacancy (?:announcement|notice)\b|\bstatement of work\b|\bposition description\b`)
	// reDateline matches the dateline that opens a news release: a place in
	// capitals or title case, maybe a date, then a dash ("GUATEMALA CITY —",
	// "Lima, 09 May 2013 —").
	reDateline = regexp.MustCompile(`^\s*(?:[A-Z][\p{L}.'’]*\s){0,3}[A-Z][\p{L}.'’]*(?:,\s(?:[A-Z][\p{L}.'’]*\s?){1,3})?(?:,?\s` + dateRE + `)?\s?(?:—|–|--)\s?[A-Z“"]`)
	// reOutsideReport matches the headings of an audit or review by another
	// agency (a GAO product, an inspector general's report).
	reOutsideReport = regexp.MustCompile(`(?im)^\s*(?:what GAO found|why GAO did this study|what GAO recommends)\s*$|\bGAO-\d{2}-\d{2,4}[A-Z]{0,2}\b|\bOffice of (?:the )?Inspector General\b.{0,40}\baudit\b`)
)

// Type classifies a page into one of the document types of TAXONOMY.md: a
// site or section landing page (by its path, an "About" title, or a text that
// is mostly a list of titles) is "other"; then strong URL patterns of the State
// Department eras; then cues of the title and text (a "Fact Sheet" header, a
// "Media Note", "Countries/Jurisdictions of Primary Concern", a "Budget
// Summary", "Chairman …, Ranking Member"); then weaker URL patterns (regions,
// country summaries, embassy sections, focus folders) and Challenges/Goals
// headings; last the title (partners, a country, a topic). The text cues
// serve sites whose URLs we never saw.
//
// With a learned model (model.go) these rules are features: the model reads
// the rules' answer with the URL's words, the title's, the first lines' and
// the text's (TypeFeatures) and picks the most probable type.
func (t *Tagger) Type(pageURL, title, text string) string {
	return t.TypeOf(pageURL, title, "", text)
}

// TypeOf is Type with the name the page's site declares (extract.Page.Site):
// with the host it tells the State Department's own pages from other
// publishers' (a DOJ page about a country is no INL country program).
func (t *Tagger) TypeOf(pageURL, title, site, text string) string {
	if t.model == nil || len(t.model.types) == 0 {
		return t.ruleType(pageURL, title, text)
	}
	fs := t.TypeFeatures(pageURL, title, site, text)
	z := make([]float64, len(t.model.types))
	for _, f := range fs {
		for _, cw := range t.model.doctype[f.Name] {
			z[cw.class] += cw.weight * f.Value
		}
	}
	best := 0
	for i := range z {
		if z[i] > z[best] {
			best = i
		}
	}
	return t.model.types[best]
}

// TypeFeatures returns the features the type model reads of a page: the
// rules' type (their text cues decide it), the words of the URL's host and
// path and of the title, and the page's length, whether its path is a landing page's, whether it opens with a
// dateline, its share of title listings, and whether its title names a place
// or a topic; each of the last and the rules' type also crossed with the
// publisher's family (the State Department's, or another's: site is the
// name the page declares, "" for none).
func (t *Tagger) TypeFeatures(pageURL, title, site, text string) []Feature {
	seen := map[string]bool{}
	var fs []Feature
	add := func(name string, v float64) {
		if !seen[name] {
			seen[name] = true
			fs = append(fs, Feature{name, -1, v})
		}
	}
	pub := "pub:state"
	if t.isNonStatePublisher(pageURL, site) {
		pub = "pub:other"
	}
	add("bias", 1)
	add(pub, 1)
	rule := t.ruleType(pageURL, title, text)
	add("rule:"+rule, 4)
	if programKinds[rule] {
		add(pub+"&rule:"+rule, 2)
	}
	host, path := "", pageURL
	if u, err := url.Parse(pageURL); err == nil {
		host, path = u.Hostname(), u.Path
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(host), func(r rune) bool { return r == '.' || r == '-' }) {
		add("host:"+w, 1)
	}
	for _, tk := range tokenize(strings.NewReplacer("/", " / ", "-", " ", "_", " ").Replace(path)) {
		if w := wordKey(tk); w != "" {
			add("u:"+w, 1)
		}
	}
	if strings.HasSuffix(strings.ToLower(path), ".pdf") {
		add("u:.pdf", 1)
	}
	for _, tk := range tokenize(title) {
		if w := wordKey(tk); w != "" {
			add("t:"+w, 1)
		}
	}
	if reLanding.MatchString(path) {
		add("landing", 1)
	}
	if hasDateline(text) {
		add("dateline", 1)
		add(pub+"&dateline", 1)
	}
	// a release announces: "today" (41 % of the corpus's releases, 1 % of
	// its other pages), "announced", a dateline opening a line of the lede
	// (a place, maybe a date: "LIMA, Peru —", "Lima, 09 May 2013 —")
	lede := text[:min(len(text), ledeBytes)]
	for _, c := range ledeCues {
		if c.re.MatchString(lede) {
			add("lede:"+c.name, 1)
			add(pub+"&lede:"+c.name, 1)
		}
	}
	if ls := listingShare(text); ls > 0 {
		add("listing", ls)
	}
	if t.titleHasCountry(title) {
		add("titleplace", 1)
		add(pub+"&titleplace", 1)
	}
	if len(t.scoreTitleTopics(title)) > 0 {
		add("titletopic", 1)
		add(pub+"&titletopic", 1)
	}
	add("tlen:"+strconv.Itoa(lengthBand(strings.Count(text, " ")/4)), 1)
	return fs
}

// ledeBytes is how much of a page's text is its lede for the ledeCues.
const ledeBytes = 700

// ledeCues are the words of a release's lede.
var ledeCues = []struct {
	name string
	re   *regexp.Regexp
}{
	{"today", regexp.MustCompile(`\btoday\b`)},
	{"announced", regexp.MustCompile(`\b(?:announced|announces)\b`)},
	{"dateline", regexp.MustCompile(`(?m)^\s*(?:[A-Z][\p{L}.]*\s){0,3}[A-Z][\p{L}.]*(?:,\s[A-Z][\p{L}.]+(?:\s[A-Z][\p{L}.]+)?)?(?:,?\s` + dateRE + `)?\s?(?:—|–|--)\s`)},
	// a place and a date alone on a line (rePlaceDate)
	{"placedate", rePlaceDate},
	// a date alone on a line ("October 8, 2013", "Date: March 16, 2011")
	{"dateonly", regexp.MustCompile(`(?m)^\s*(?:Date:\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s)?` + dateRE + `\s*$`)},
	// the head of a release: its label and its press contact
	{"releasehead", regexp.MustCompile(`(?i)\bfor immediate release\b|\b(?:press|news|media) releases?\b|(?m:^\s*(?:media |press )?contacts?:)|\bpublic affairs\b`)},
}

// rePlaceDate matches a place and a date alone on a line, as a release's
// head sets them ("LYON, France – 19 September 2023", "MIAMI — February 5,
// 2019", "Pristina, 13 January 2012"), or a place in parentheses before the
// dash ("(Quantico, VA) –").
var rePlaceDate = regexp.MustCompile(`(?m)^\s*\(?[A-Z][\p{L}.'’]*(?:\s(?:and\s|of\s|de\s)?[A-Z][\p{L}.'’]*){0,3}(?:,\s[A-Z][\p{L}.'’]*(?:\s(?:and\s|of\s)?[A-Z][\p{L}.'’]*){0,3})?\)?\s?(?:(?:,|—|–|--)\s?` + dateRE + `\s*$|\)\s?(?:—|–|--)\s)`)

// dateRE matches a date as releases write it: "19 September 2023",
// "February 5, 2019", "Sept. 5, 2019".
const dateRE = `(?:\d{1,2}\s[A-Z][a-z]+\.?\s\d{4}|[A-Z][a-z]+\.?\s\d{1,2},\s\d{4})`

// programKinds are the types that name pages of INL's own programmes, which
// other publishers write about but do not publish (an ICITAP country page is
// DOJ's "other"); crossed with the publisher's family in TypeFeatures.
var programKinds = map[string]bool{TypeCountryProgram: true, TypeFocusPage: true, TypePartnerships: true}

// ruleType is the first-match classification of Type's rules.
func (t *Tagger) ruleType(pageURL, title, text string) string {
	path, host := pageURL, ""
	if u, err := url.Parse(pageURL); err == nil {
		path, host = u.Path, u.Hostname()
	}
	if reLanding.MatchString(path) || reAbout.MatchString(title) || listingShare(text) >= 0.5 || isBlogHost(host) {
		return TypeOther
	}
	for _, r := range strongURLRules {
		if r.re.MatchString(path) {
			return r.typ
		}
	}
	head := firstLines(text, 8)
	switch {
	case isNotice(title) || isNotice(head):
		return TypeOther
	case reFactSheet.MatchString(title) || reFactSheet.MatchString(firstLines(head, 5)):
		return TypeFactSheet
	case reMediaNote.MatchString(title) || reMediaNote.MatchString(head) || strings.Contains(text, "PRN:"):
		return TypePressRelease
	case reStrategy.MatchString(title) || reStrategy.MatchString(firstLines(head, 4)):
		return TypeStrategyReport
	case reBudget.MatchString(title) || reBudget.MatchString(head):
		return TypeBudget
	case reRemarks.MatchString(title) || reRemarks.MatchString(head):
		return TypeRemarks
	}
	if hasDateline(text) {
		return TypePressRelease
	}
	if reOutsideReport.MatchString(text) {
		return TypeOther
	}
	for _, r := range weakURLRules {
		if r.re.MatchString(path) {
			return r.typ
		}
	}
	switch {
	case rePartners.MatchString(title):
		return TypePartnerships
	case reCountryHead.MatchString(text) || t.titleHasCountry(title):
		return TypeCountryProgram
	case len(t.scoreTitleTopics(title)) > 0:
		return TypeFocusPage
	}
	return TypeOther
}

// hasDateline reports whether one of the first lines of text opens with a
// news dateline.
func hasDateline(text string) bool {
	for _, l := range strings.SplitN(text, "\n", 4)[:min(3, strings.Count(text, "\n")+1)] {
		if reDateline.MatchString(l) {
			return true
		}
	}
	return false
}

// minListingLines is the number of lines a text needs before it can count as a listing.
const minListingLines = 6

// listingShare is the share of the non-empty lines of text that belong to runs
// of titles (see stripTitleRuns).
func listingShare(text string) float64 {
	total := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			total++
		}
	}
	if total < minListingLines {
		return 0 // too short to tell a listing from a header block
	}
	kept := 0
	for _, l := range strings.Split(stripTitleRuns(text), "\n") {
		if strings.TrimSpace(l) != "" {
			kept++
		}
	}
	return float64(total-kept) / float64(total)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// titleHasCountry reports whether the title names a country or region.
func (t *Tagger) titleHasCountry(title string) bool {
	return len(t.placeHits(title, tokenize(title))) > 0
}

// scoreTitleTopics returns the topics a title names with a signal.
func (t *Tagger) scoreTitleTopics(title string) []string {
	var out []string
	for _, h := range t.topicM.find(title, tokenize(title)) {
		if h.e.kind == kindTopic {
			out = appendUnique(out, t.topics[h.e.id].Name)
		}
	}
	return out
}

// noticeWords are words every reNotice match holds, in lower case: the
// regexp, case-insensitive with seven branches, runs only where one is.
var noticeWords = []string{"notice", "nofo", "funding opportunit", "statement", "vacancy", "position description"}

// isNotice reports whether s matches reNotice.
func isNotice(s string) bool {
	l := strings.ToLower(s)
	for _, w := range noticeWords {
		if strings.Contains(l, w) {
			return reNotice.MatchString(s)
		}
	}
	return false
}

// isBlogHost reports whether host is a blog's own ("blogs.…", "blog.…"):
// its pages are posts, "other" — the Department's DipNote included.
func isBlogHost(host string) bool {
	h := strings.ToLower(host)
	return strings.HasPrefix(h, "blogs.") || strings.HasPrefix(h, "blog.")
}
