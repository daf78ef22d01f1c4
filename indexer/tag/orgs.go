package tag

import (
	"strings"
	"unicode"
)

// buildOrgs loads the organizations into the organization and context matchers.
func (t *Tagger) buildOrgs() error {
	var of orgFile
	if err := loadJSON("organizations.json", &of); err != nil {
		return err
	}
	t.orgs = of.Organizations
	t.nonStateHosts = of.NonStateHosts
	t.disc = newDiscovery(of.Discovery)
	if err := t.buildPublishers(of); err != nil {
		return err
	}
	t.instrumentWords = map[string]bool{}
	for _, w := range of.InstrumentWords {
		t.instrumentWords[w] = true
	}
	for i, o := range t.orgs {
		for k, a := range append([]string{o.Name}, o.Aliases...) {
			mode, form := caseAny, formAlias
			if k == 0 {
				form = formName
			}
			if !strings.ContainsAny(strings.TrimSpace(a), " -") {
				// one word ("Pact", "Treasury"): needs its capital, and context when ambiguous
				mode = caseCap
				if isAllUpper(a) {
					mode = caseExact
				}
				if o.Ambiguous {
					form = formAcronym
				}
			}
			for _, v := range nameVariants(a) {
				t.orgM.add(v, entry{kind: kindOrg, id: i, mode: mode, form: form, text: a})
			}
			// "Marshals Service" for "U.S. Marshals Service": with its capitals
			if tail, ok := bareTail(a); ok && !o.Ambiguous && !o.Publisher {
				for _, v := range nameVariants(tail) {
					t.orgM.add(v, entry{kind: kindOrg, id: i, mode: caseCap, form: formAlias, text: a})
				}
			}
			if tail, ok := strings.CutPrefix(a, "U.S. "); ok && len(strings.Fields(tail)) >= 2 && isCapitalized(tail) {
				t.tailM.add(tail, entry{kind: kindOrg, id: i, mode: caseCap, form: formAlias, text: a})
			}
		}
		for _, a := range o.Acronyms {
			t.orgM.add(a, entry{kind: kindOrg, id: i, mode: caseExact, form: formAcronym, text: a})
			if isAllUpper(a) && !strings.HasSuffix(a, "S") {
				t.orgM.add(a+"s", entry{kind: kindOrg, id: i, mode: caseExact, form: formAcronym, text: a})
			}
		}
		for _, c := range o.Context {
			mode := caseAny
			if isAllUpper(c) {
				mode = caseExact
			}
			t.ctxM.add(c, entry{kind: kindOrg, id: i, mode: mode})
		}
	}
	for _, n := range of.NotOrganizations {
		mode := caseAny
		if isAllUpper(n) {
			mode = caseExact
		}
		for _, v := range nameVariants(n) {
			t.orgM.add(v, entry{kind: kindNotOrg, mode: mode, text: n})
			if mode == caseAny && !strings.HasSuffix(v, "s") {
				t.orgM.add(plural(v), entry{kind: kindNotOrg, mode: mode, text: n})
			}
		}
	}
	return nil
}

// nameVariants spells a name the ways pages do: "United States" for
// "U.S."; "UN" and "U.N." for "United Nations" (and back); "for" for "of"
// after the head of an office ("Office of …" / "Office for …", "Bureau of"
// / "Bureau for") and back. "the", "&" and hyphens are handled by the
// tokenizer.
func nameVariants(n string) []string {
	out := []string{n}
	add := func(v string) {
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	swaps := [][2]string{{"U.S. ", "United States "}, {"United Nations ", "UN "}, {"UN ", "United Nations "},
		{"U.N. ", "United Nations "}, {"United Nations ", "U.N. "}, {"UN ", "U.N. "}}
	for _, p := range swaps {
		for _, v := range append([]string(nil), out...) {
			if strings.Contains(v, p[0]) {
				add(strings.Replace(v, p[0], p[1], 1))
			}
		}
	}
	for _, head := range officeHeads {
		for _, p := range [][2]string{{head + " of ", head + " for "}, {head + " for ", head + " of "}} {
			for _, v := range append([]string(nil), out...) {
				if strings.Contains(v, p[0]) {
					add(strings.Replace(v, p[0], p[1], 1))
				}
			}
		}
	}
	return out
}

// officeHeads are the heads after which pages write "of" and "for" alike.
var officeHeads = []string{"Office", "Bureau", "Center", "Centre", "Commission"}

// bareTail returns the name without its "U.S." ("U.S. Marshals Service" →
// "Marshals Service") when that is safe to match alone: two words or more,
// capitalised, and not a body every government has (bareTailUnsafe).
func bareTail(n string) (string, bool) {
	tail, ok := strings.CutPrefix(n, "U.S. ")
	if !ok || len(strings.Fields(tail)) < 2 || !isCapitalized(tail) || bareTailUnsafe[strings.ToLower(tail)] {
		return "", false
	}
	return tail, true
}

// bareTailUnsafe are the names that, without "U.S.", name a host
// government's body as often as the American one.
var bareTailUnsafe = map[string]bool{"coast guard": true, "border patrol": true, "security coordinator": true,
	"department of defense": true, "department of commerce": true, "department of the interior": true,
	"forest service": true, "customs service": true, "marshals": true, "treasury": true, "state department": true,
	"department of state": true}

// orgResult is the outcome of organization tagging for one input.
type orgResult struct {
	names []string
	prov  map[string][]string
	ev    map[string]string // "organization:<name>" → the sentence or heading that names it
	spans [][]hit           // organization hits per source, for topic masking
}

// source is one text of an input (title, a heading, or the passage) with its tokens.
type source struct {
	text    string
	toks    []token
	heading bool // title or heading
	places  []hit
	// topics are the topic signals of text, once topicHitsOf found them
	// (the passage's rules, its page's, the list rule and the evidence all
	// read them).
	topics     []hit
	topicsDone bool
}

// topicHitsOf returns the topic signals of s, found once.
func (t *Tagger) topicHitsOf(s *source) []hit {
	if !s.topicsDone {
		s.topics, s.topicsDone = t.topicM.find(s.text, s.toks), true
	}
	return s.topics
}

// tagOrgs tags the organizations of srcs. The State family (publisher
// flag) is left out unless nonState; pub are the page's other publisher
// organizations, always left out.
func (t *Tagger) tagOrgs(nonState, stateAudited bool, pub map[int]bool, srcs []*source) orgResult {
	res := orgResult{prov: map[string][]string{}, ev: map[string]string{}, spans: make([][]hit, len(srcs))}
	ev := evidence{}
	hitsBy := make([][]hit, len(srcs))
	named := map[int]bool{}
	ctx := map[int]bool{}
	for si, s := range srcs {
		hitsBy[si] = t.orgM.find(s.text, s.toks)
		for _, h := range hitsBy[si] {
			if h.e.kind == kindOrg && h.e.form != formAcronym {
				named[h.e.id] = true
			}
		}
		for _, h := range t.ctxM.find(s.text, s.toks) {
			ctx[h.e.id] = true
		}
	}
	seen := map[int]bool{}
	for si, s := range srcs {
		hitsBy[si] = append(hitsBy[si], t.coordinated(s, hitsBy[si])...)
		hitsBy[si] = append(hitsBy[si], t.departments(s)...)
		if nonState {
			hitsBy[si] = append(hitsBy[si], t.bareState(s, hitsBy[si])...)
			hitsBy[si] = append(hitsBy[si], t.describedINL(s, hitsBy[si])...)
		}
		if stateAudited {
			hitsBy[si] = append(hitsBy[si], t.theDepartment(s, hitsBy[si])...)
		}
	}
	for si, s := range srcs {
		placeEnd := map[int]bool{}
		for _, p := range s.places {
			placeEnd[p.end] = true
		}
		for _, h := range hitsBy[si] {
			if h.e.kind != kindOrg {
				continue
			}
			// every organization name masks its words from topic scoring, tagged or not
			res.spans[si] = append(res.spans[si], h)
			o := &t.orgs[h.e.id]
			if o.Publisher && !nonState || pub[h.e.id] {
				continue
			}

			// a host-government body named like a U.S. one: "Liberia Drug Enforcement
			// Agency", "Afghan Department of …"
			if h.e.form != formAcronym && h.first > 0 && !s.toks[h.first].brk && !s.toks[h.first].comma && placeEnd[h.first] {
				continue
			}
			// "UN drug conventions", "United Nations Standard Minimum Rules": an instrument
			if h.end < len(s.toks) && !s.toks[h.end].brk && t.instrumentWords[s.toks[h.end].key] {
				continue
			}
			if o.Name == unName && isStrayUN(h, s.toks) {
				continue
			}
			if modelledOn(h, s) {
				continue
			}
			if o.Ambiguous && h.e.form == formName && isGenericOffice(o.Name) && (!ctx[h.e.id] || ownedByOther(s.text, h, o.Context)) {
				continue // another agency's "Office of International Affairs" (CBP's, the Coast Guard's)
			}
			if h.e.form == formAcronym {
				if o.Ambiguous && !named[h.e.id] && !ctx[h.e.id] {
					continue
				}
				// "Paris Pact", "Stability Pact": a capitalised word before a word-like acronym
				if !isAllUpper(h.e.words[0]) && h.first > 0 && !s.toks[h.first].brk {
					if p := s.toks[h.first-1]; isCapitalized(p.orig) && !isAllUpper(p.orig) && !functionWords[p.key] {
						continue
					}
				}
			}
			key := "organization:" + o.Name
			res.prov[key] = appendUnique(res.prov[key], h.matched)
			ev.add(key, s, h.start, h.stop)
			if !seen[h.e.id] {
				seen[h.e.id] = true
				res.names = append(res.names, o.Name)
			}
		}
	}
	// implied organizations: "the embassy's Narcotics Affairs Section" names INL too
	for _, n := range append([]string(nil), res.names...) {
		o := t.orgByName(n)
		if o == nil {
			continue
		}
		for _, im := range o.Implies {
			id := t.orgIndex(im)
			if id < 0 || seen[id] || t.orgs[id].Publisher && !nonState || pub[id] {
				continue
			}
			seen[id] = true
			res.names = append(res.names, im)
			key := "organization:" + im
			res.prov[key] = appendUnique(res.prov[key], n)
			ev.copy(key, "organization:"+n)
		}
	}
	ev.into(res.ev)
	return res
}

// orgIndex returns the index of the organization named name, or -1.
func (t *Tagger) orgIndex(name string) int {
	for i := range t.orgs {
		if t.orgs[i].Name == name {
			return i
		}
	}
	return -1
}

// orgByName returns the organization named name, or nil.
func (t *Tagger) orgByName(name string) *orgData {
	if i := t.orgIndex(name); i >= 0 {
		return &t.orgs[i]
	}
	return nil
}

// unKeptAfter are the capitalised words after a bare "UN" or "United
// Nations" that still name the UN itself ("UN General Assembly", "UN
// Secretary-General", "UN Charter").
var unKeptAfter = map[string]bool{"general": true, "secretary": true, "secretary-general": true, "member": true,
	"charter": true, "system": true, "headquarters": true, "peacekeepers": true, "peacekeeping": true}

// unStrayAfter are the words after a bare "UN" that make it a source cited
// in passing ("UN estimates", "according to UN figures"), not a partner.
var unStrayAfter = map[string]bool{"data": true, "figures": true, "estimate": true, "estimates": true,
	"statistics": true, "report": true, "reports": true, "survey": true, "surveys": true, "study": true,
	"studies": true, "says": true, "said": true, "numbers": true}

// stateName is the canonical name of the Department of State.
const stateName = "U.S. Department of State"

// stateOverseers are where the inspector general's reports on the
// Department of State are published (host keys as in publisher_hosts).
var stateOverseers = []string{"stateoig.gov", "oig.state.gov", "oversight.gov/report/dos"}

// auditsState reports whether the page is an overseer's report on the
// Department of State: under one of stateOverseers, or an overseer's site
// name that names the Department ("Office of Inspector General, U.S.
// Department of State").
func auditsState(pageURL, site string) bool {
	host, path := hostPath(pageURL)
	for _, k := range stateOverseers {
		if underHostKey(host, path, k) {
			return true
		}
	}
	return isOverseer(site) && strings.Contains(strings.ToLower(site), "department of state")
}

// theDepartment finds the Department of State as an inspector general's
// report names it: "the Department", "the Department's" (not "the
// Department of …", another department's name).
func (t *Tagger) theDepartment(s *source, found []hit) []hit {
	id := t.orgIndex(stateName)
	if id < 0 {
		return nil
	}
	orgAt := map[int]bool{}
	for _, h := range found {
		if h.e.kind == kindOrg {
			orgAt[h.first] = true
		}
	}
	e := &entry{kind: kindOrg, id: id, form: formAlias, text: "the Department"}
	var out []hit
	for i := 1; i < len(s.toks); i++ {
		tk := s.toks[i]
		if tk.orig != "Department" || orgAt[i] || tk.brk || s.toks[i-1].key != "the" {
			continue
		}
		if i+1 < len(s.toks) && !s.toks[i+1].brk && (s.toks[i+1].key == "of" || isCapitalized(s.toks[i+1].orig)) {
			continue // "the Department of Justice", "the Department Head"
		}
		prev := s.toks[i-1]
		out = append(out, hit{e: e, first: i - 1, end: i + 1, start: prev.start, stop: tk.end, matched: s.text[prev.start:tk.end]})
	}
	return out
}

// bareState finds the Department of State named "State" as auditors and
// reporters name it on other publishers' pages: "State's Bureau of …",
// "State-funded programs", "State and USAID allocated …" (an organization
// on the other side of "and"). A capitalised word before it ("Islamic State",
// "Member State") or a capitalised word after it ("State Police", "State
// Department", matched as a name) makes it no mention of the Department.
func (t *Tagger) bareState(s *source, found []hit) []hit {
	id := t.orgIndex(stateName)
	if id < 0 {
		return nil
	}
	orgAt := map[int]bool{}  // token index where an organization hit starts
	orgEnd := map[int]bool{} // token index just after one ends
	for _, h := range found {
		if h.e.kind == kindOrg {
			orgAt[h.first], orgEnd[h.end] = true, true
		}
	}
	e := &entry{kind: kindOrg, id: id, form: formAlias, text: "State"}
	var out []hit
	for i, tk := range s.toks {
		if tk.orig != "State" || orgAt[i] {
			continue
		}
		if i > 0 && !tk.brk && !tk.comma && isCapitalized(s.toks[i-1].orig) && !functionWords[s.toks[i-1].key] {
			continue
		}
		rest := s.text[tk.start:]
		next := func(k int) bool { return i+k < len(s.toks) && !s.toks[i+k].brk }
		ok := strings.HasPrefix(rest, "State's") || strings.HasPrefix(rest, "State’s") ||
			strings.HasPrefix(rest, "State-funded") || strings.HasPrefix(rest, "State-managed")
		if !ok && next(1) && next(2) && s.toks[i+1].key == "and" && orgAt[i+2] {
			ok = true // "State and USAID"
		}
		if !ok && i >= 2 && !tk.brk && s.toks[i-1].key == "and" && orgEnd[i-1] {
			ok = true // "USAID and State"
		}
		if !ok {
			continue
		}
		if next(1) && isCapitalized(s.toks[i+1].orig) && !strings.HasPrefix(rest, "State's") && !strings.HasPrefix(rest, "State’s") {
			continue
		}
		out = append(out, hit{e: e, first: i, end: i + 1, start: tk.start, stop: tk.end, matched: "State"})
	}
	return out
}

// inlName is the canonical name of INL.
const inlName = "Bureau of International Narcotics and Law Enforcement Affairs"

// inlUnitWords end a description of INL after "narcotics".
var inlUnitWords = map[string]bool{"bureau": true, "section": true, "office": true, "program": true, "programs": true}

// describedINL finds INL described rather than named, as reporters and
// witnesses write on other publishers' pages: "the State Department's
// narcotics bureau", "the Department of State's International Narcotics and
// Law Enforcement section", "the Department of State, through its narcotics
// and law enforcement assistance program". A mention of the Department ends
// at most three words before "narcotics", and a bureau, section, office or
// program follows it within five words, in one clause.
func (t *Tagger) describedINL(s *source, found []hit) []hit {
	state, inl := t.orgIndex(stateName), t.orgIndex(inlName)
	if state < 0 || inl < 0 {
		return nil
	}
	stateEnd := map[int]bool{}
	for _, h := range found {
		if h.e.kind != kindOrg {
			continue
		}
		if h.e.id == inl {
			return nil // named already
		}
		if h.e.id == state {
			stateEnd[h.end] = true
		}
	}
	if len(stateEnd) == 0 {
		return nil
	}
	e := &entry{kind: kindOrg, id: inl, form: formAlias, text: "narcotics bureau"}
	var out []hit
	for i, tk := range s.toks {
		if tk.key != "narcotics" {
			continue
		}
		near := false
		for k := i; k >= max(1, i-3); k-- {
			if s.toks[k].brk {
				break
			}
			if stateEnd[k] {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		for k := i + 1; k < len(s.toks) && k <= i+5 && !s.toks[k].brk; k++ {
			if inlUnitWords[s.toks[k].key] {
				out = append(out, hit{e: e, first: i, end: k + 1, start: tk.start, stop: s.toks[k].end, matched: s.text[tk.start:s.toks[k].end]})
				return out
			}
		}
	}
	return out
}

// isLowerWord reports whether w is a word in lower case ("police", not "Police" or "&").
func isLowerWord(w string) bool {
	for _, r := range w {
		return unicode.IsLower(r)
	}
	return false
}

// modelledOn reports whether hit h names the organization only as the model
// of another body: "FATF-style regional bodies", "a DEA-like unit", "the
// regional body modeled on the Financial Action Task Force".
func modelledOn(h hit, s *source) bool {
	if k := h.first - 1; k >= 1 && !s.toks[h.first].brk {
		if s.toks[k].key == "the" && k >= 2 && !s.toks[k].brk {
			k--
		}
		if (s.toks[k].key == "on" || s.toks[k].key == "after") && !s.toks[k].brk && modelVerbs[s.toks[k-1].key] {
			return true
		}
	}
	if h.end >= len(s.toks) || h.end == 0 {
		return false
	}
	switch next := s.toks[h.end]; next.key {
	case "style", "like", "type", "modelled", "modeled":
		switch s.text[s.toks[h.end-1].end:next.start] {
		case "-", "\u2010", "\u2011", "\u2013":
			return true
		}
	}
	return false
}

// isStrayUN reports whether a hit of the bare United Nations ("UN", "U.N.",
// "United Nations", not a longer alias such as "UN Security Council") is
// no mention of the UN as an actor: the head of another body's name that the
// taxonomy lacks ("UN Women", "United Nations Children's Fund", "UN Office
// of Counter-Terrorism") — a capitalised word follows — or a source cited in
// passing ("UN estimates").
func isStrayUN(h hit, toks []token) bool {
	switch h.e.text {
	case "United Nations", "UN", "U.N.":
	default:
		return false
	}
	if h.end >= len(toks) || toks[h.end].brk || toks[h.end].comma {
		return false
	}
	next := toks[h.end]
	if unStrayAfter[next.key] {
		return true
	}
	// "UN police", "a UN mission", "U.S. and UN support": the acronym as a
	// modifier of a common noun names the body that noun is part of, not the UN
	if h.e.text != "United Nations" && isLowerWord(next.orig) && !functionWords[next.key] && !unKeptAfter[next.key] {
		return true
	}
	return isCapitalized(next.orig) && !unKeptAfter[next.key] && !functionWords[next.key] && next.orig != "&"
}

// modelVerbs before "on" or "after" make the organization that follows the
// model of the body described ("modeled on", "patterned after").
var modelVerbs = map[string]bool{"modeled": true, "modelled": true, "patterned": true, "styled": true, "fashioned": true}

// maxCoordWords is the number of words a coordinated name may have between
// "U.S." and "and" ("U.S. Navy and Coast Guard", "U.S. Army Corps of Engineers and …").
const maxCoordWords = 3

// coordinated finds the organizations named by ellipsis after a shared
// "U.S.": in "U.S. Navy and Coast Guard instructors" the second name is "U.S.
// Coast Guard". The tail must follow "and" directly, the words between "U.S."
// and "and" must be capitalised, and the tail may not already be part of a
// longer name found in the text.
func (t *Tagger) coordinated(s *source, found []hit) []hit {
	var out []hit
	for _, h := range t.tailM.find(s.text, s.toks) {
		if overlaps(h, found) || h.first < 3 || s.toks[h.first].brk || s.toks[h.first].comma || s.toks[h.first-1].key != "and" {
			continue
		}
		for k := h.first - 2; k >= max(0, h.first-2-maxCoordWords); k-- {
			if s.toks[k+1].brk || s.toks[k+1].comma {
				break
			}
			if s.toks[k].key == "u.s." || s.toks[k].key == "states" && k > 0 && s.toks[k-1].key == "united" {
				if k < h.first-2 {
					out = append(out, h)
				}
				break
			}
			if !isCapitalized(s.toks[k].orig) {
				break
			}
		}
	}
	return out
}

// isNonStatePublisher reports whether a page is published outside the State
// Department. The page's own word comes first, the host is one signal:
//
//   - a host of the Department's family (stateHosts: state.gov, an embassy's
//     usembassy.gov) is the Department's, unless the site name says another
//     publisher; a host of another publisher (non_state_hosts) is not;
//   - a site name (declared, or read from the masthead, the copyright line
//     or a dateline: extract.Page.Site) that names an organization of the
//     State family, a post of the Department (an embassy, a consulate, a U.S.
//     mission) or the Department's host is the Department's — unless it is an
//     overseer's (an inspector general, Congress), for whom the Department is
//     the subject; any other name ("United States Department of Justice",
//     "American Bar Association", a newspaper) is another publisher's,
//     except on a host of the Department's family, where a name that names
//     no organization and no known publisher is a section's, not the site's
//     ("News" on a U.S. mission's statement);
//   - a page that names no site is the Department's on a host of its
//     family or one without a name (a loopback address: the crawl's seed
//     sites are its pages), and another publisher's on any other host (the
//     Justice Department's .gov, a newspaper's .com, an NGO's .org, the UN's
//     .int); on a repository of every agency's documents (govinfo, the
//     Federal Register) a congressional document is Congress's and any
//     other the Department's.
//
// A page kept by a web archive is judged by its original address.
func (t *Tagger) isNonStatePublisher(pageURL, site string) bool {
	site = strings.TrimSpace(site)
	if site != "" && isOverseer(site) {
		return true
	}
	if t.isNonStateHost(pageURL) {
		return true
	}
	if site == "" {
		switch {
		case t.isStateHost(pageURL) || isUnnamedHost(pageURL):
			return false
		case isRepositoryHost(pageURL):
			// a library of every agency's documents: a congressional
			// document is Congress's, anything else is taken as the
			// Department's, as before
			return isCongressDocument(pageURL)
		}
		return true
	}
	named := false // the site name names an organization of the taxonomy
	for _, h := range t.orgM.find(site, tokenize(site)) {
		if h.e.kind != kindOrg {
			continue
		}
		if t.orgs[h.e.id].Publisher {
			return false
		}
		named = true
	}
	if !named && t.isStateHost(pageURL) {
		if _, ok := t.siteOrg(site); !ok {
			// a State host whose page names no other publisher: a section's
			// name taken for the site's ("News", "America.gov - Fact Sheet")
			return false
		}
	}
	return !isStatePost(site)
}

// overseerWords in a site name make it an overseer's: the Department is the
// subject of its pages even where the name also names the Department
// ("Office of Inspector General, U.S. Department of State").
var overseerWords = []string{"inspector general", "oig", "congress", "senate", "house of representatives",
	"committee on", "accountability office"}

func isOverseer(site string) bool {
	l := " " + strings.ToLower(site) + " "
	for _, w := range overseerWords {
		if strings.Contains(l, " "+w+" ") || strings.Contains(l, " "+w+",") {
			return true
		}
	}
	return false
}

// stateHosts are the hosts of the Department's family.
var stateHosts = []string{"state.gov", "usembassy.gov", "usmission.gov", "america.gov", "usembassy-mexico.gov"}

func hostOf(pageURL string) string {
	h, _ := hostPath(pageURL)
	return h
}

func hostIn(h string, list []string) bool {
	for _, s := range list {
		if underHost(h, s) {
			return true
		}
	}
	return false
}

// underHost reports whether host h is key or one of its subdomains.
func underHost(h, key string) bool { return h == key || strings.HasSuffix(h, "."+key) }

func (t *Tagger) isStateHost(pageURL string) bool {
	return hostIn(hostOf(pageURL), stateHosts)
}

// isUnnamedHost reports whether the page's host is an address or no name
// at all (a test's loopback, a crawl of a local mirror): the default counts
// such pages as the Department's.
func isUnnamedHost(pageURL string) bool {
	h := hostOf(pageURL)
	return h == "" || !strings.Contains(h, ".") || strings.Trim(h, "0123456789.:[]") == "" || h == "localhost"
}

// repositoryHosts keep the documents of every agency (the Government
// Publishing Office's govinfo, the Federal Register): their host says
// nothing of the publisher.
var repositoryHosts = []string{"govinfo.gov", "gpo.gov", "federalregister.gov", "regulations.gov"}

func isRepositoryHost(pageURL string) bool {
	return hostIn(hostOf(pageURL), repositoryHosts)
}

// congressCollections are the Government Publishing Office's collections of
// Congress's documents, as they appear in a document's address
// ("/CHRG-114hhrg20871/": a hearing; CRPT a committee report, CPRT a
// committee print, CREC the Congressional Record, CDOC a congressional document).
var congressCollections = []string{"CHRG-", "CRPT-", "CPRT-", "CREC-", "CDOC-", "CHRG/", "CRPT/", "CPRT/", "CREC/"}

func isCongressDocument(pageURL string) bool {
	for _, c := range congressCollections {
		if strings.Contains(pageURL, "/"+c) || strings.Contains(pageURL, "="+c) {
			return true
		}
	}
	return false
}

// statePostWords name a post or a site of the State Department in a site
// name ("U.S. Embassy in Tanzania", "U.S. Mission to the OSCE", "state.gov").
var statePostWords = []string{"embassy", "consulate", "u.s. mission", "us mission", "united states mission", "state.gov", "usembassy", "america.gov"}

func isStatePost(site string) bool {
	s := strings.ToLower(site)
	for _, w := range statePostWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// archivedURL returns the original address of a page kept by a web archive
// ("https://web.archive.org/web/2015…/http://www.justice.gov/…",
// "webarchive.library.unt.edu/eot2008/2008…/http://www.state.gov/…"): a page
// mirrored or archived elsewhere keeps its publisher. Any other URL is
// returned as it is.
func archivedURL(pageURL string) string {
	for _, scheme := range []string{"/http://", "/https://", "/http:/", "/https:/"} {
		if k := strings.Index(pageURL, scheme); k > 0 && strings.Contains(pageURL[:k], "://") {
			orig := pageURL[k+1:]
			if strings.HasSuffix(scheme, ":/") && !strings.Contains(orig, "://") {
				orig = strings.Replace(orig, ":/", "://", 1) // an archive that folds "//"
			}
			return orig
		}
	}
	return pageURL
}

// isNonStateHost reports whether the page is published outside the State
// Department, where INL and State are partners that may be tagged.
func (t *Tagger) isNonStateHost(pageURL string) bool {
	h := hostOf(pageURL)
	return h != "" && hostIn(h, t.nonStateHosts)
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// orgSpans returns the organization names found in one text (for topic masking).
func (t *Tagger) orgSpans(s *source) []hit {
	var out []hit
	for _, h := range t.orgM.find(s.text, s.toks) {
		if h.e.kind == kindOrg {
			out = append(out, h)
		}
	}
	return out
}

var functionWords = map[string]bool{"the": true, "a": true, "an": true, "by": true, "with": true, "and": true, "through": true,
	"to": true, "from": true, "of": true, "for": true, "via": true, "partner": true, "grantee": true, "implementer": true}

// isGenericOffice reports whether an organization's name is one many
// agencies give an office of theirs ("Office of International Affairs",
// "Office of Technical Assistance"): named so, it is the taxonomy's only
// where the page speaks of its owner (the organization's context) and no
// other owner claims it.
func isGenericOffice(name string) bool { return strings.HasPrefix(name, "Office of ") }

// ownedByOther reports whether the organization hit h of text follows a
// possessive whose last three words name no word of its context: "CBP's
// Office of International Affairs", "the Coast Guard's Office of …" — not
// "DOJ's Office of …", "the Treasury Department's Office of Technical
// Assistance".
func ownedByOther(text string, h hit, context []string) bool {
	before := strings.TrimRight(text[:h.start], " ")
	owner, ok := strings.CutSuffix(before, "'s")
	if !ok {
		if owner, ok = strings.CutSuffix(before, "’s"); !ok {
			return false
		}
	}
	// the owner's last words: "CBP", "the Treasury Department", "DOJ"
	words := strings.Fields(owner)
	words = words[max(0, len(words)-3):]
	for _, c := range context {
		for _, w := range strings.Fields(c) {
			for _, o := range words {
				if strings.EqualFold(strings.Trim(o, "(“\""), w) {
					return false
				}
			}
		}
	}
	return true
}
