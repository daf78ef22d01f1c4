package tag

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Organizations beyond the list. A page often introduces a body the taxonomy
// does not hold the way a careful writer does: its full name once, then its
// acronym in parentheses ("the Civilian Police Assistance Training Team
// (CPATT)"), and the acronym alone afterwards. Such a definition makes an
// organization of the page when
//
//   - the acronym spells the initials of the name's words (connectors such as
//     "of" and "for" may be skipped), or abbreviates it more loosely
//     (abbreviates: "Asia/Pacific Group on Money Laundering (APG)"), or the
//     name is a body of several countries whose acronym comes from another
//     language (isMultinational: "Inter-Governmental Action Group against
//     Money Laundering in West Africa (GIABA)"); any other foreign-language
//     acronym after an English name ("National Anti-Drug Secretariat
//     (SENAD)") is a host government's body, translated;
//   - the name's head noun is one of an organization (discoveryData.Heads:
//     Team, Task Force, Office, Commission, Academy, Mission…; or just after
//     the acronym: "(MSS) mission"), not an initiative, a treaty or a group;
//   - nothing marks it as a host-government body (domain-facts §0): no country
//     or demonym in the name or owning it ("Kenya Wildlife Service",
//     "Nigeria's …", "Police of Afghanistan", "(DOVVSU) of the Ghana Police
//     Service") unless it says it serves several countries ("Jordan
//     International Police Training Center"), none of
//     discoveryData.HostWords ("National", "Ministry", "Attorney General"),
//     and it is not one of the generic host bodies
//     (discoveryData.HostNames: "Financial Intelligence Unit");
//   - neither the name nor the acronym is in the taxonomy (organizations or
//     not-organizations) or names a place, and no taxonomy organization
//     heads it ("UNODC Regional Office for …").
//
// A found organization is tagged with its acronym (the facet value) on every
// passage of the page that names it — the definition, the full name again, or
// the acronym as written — and listed in Tags.FoundOrganizations.

// discoveryData is the "discovery" object of organizations.json.
type discoveryData struct {
	// Heads are the words that end an organization's name, or head it before
	// a preposition ("Office for …"), in lower case; multi-word heads too
	// ("task force").
	Heads []string `json:"heads"`
	// HostWords in a name mark a host government's body.
	HostWords []string `json:"host_words"`
	// HostNames are generic names of host-government bodies.
	HostNames []string `json:"host_names"`
	// Connectors may sit inside a name without capital ("Office for the …").
	Connectors []string `json:"connectors"`
	// HostContext in the sentence of a definition marks a host body: "the
	// Special Investigation Commission (SIC), an independent body at the
	// central bank", "… (FRC) as the financial intelligence unit".
	HostContext []string `json:"host_context"`
	// HostBefore are words that, just before a name, make it a host body's
	// ("its", "country's", "government's").
	HostBefore []string `json:"host_before"`
	// Known are bodies outside the taxonomy that pages name without
	// defining them (MONEYVAL, WCO, OSCE): found where a page writes the
	// acronym (addKnown).
	Known []struct {
		Name    string `json:"name"`
		Acronym string `json:"acronym"`
	} `json:"known"`
}

// discovery is the compiled discoveryData.
type discovery struct {
	heads      map[string]bool
	heads2     map[[2]string]bool
	hostWords  map[string]bool
	hostNames  map[string]bool
	connectors map[string]bool
	hostBefore map[string]bool
	hostCtx    []string
	known      []foundOrg
}

func newDiscovery(d discoveryData) discovery {
	set := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, w := range list {
			m[strings.ToLower(w)] = true
		}
		return m
	}
	dv := discovery{heads: map[string]bool{}, heads2: map[[2]string]bool{}, hostWords: set(d.HostWords),
		hostNames: map[string]bool{}, connectors: set(d.Connectors), hostBefore: set(d.HostBefore),
		hostCtx: d.HostContext}
	for _, h := range d.Heads {
		f := strings.Fields(strings.ToLower(h))
		switch len(f) {
		case 1:
			dv.heads[f[0]] = true
		case 2:
			dv.heads2[[2]string{f[0], f[1]}] = true
		}
	}
	for _, n := range d.HostNames {
		dv.hostNames[nameKey(n)] = true
	}
	for _, k := range d.Known {
		dv.known = append(dv.known, foundOrg{name: k.Name, acronym: k.Acronym})
	}
	return dv
}

// unName is the canonical name of the United Nations, whose name heads
// the names of its own bodies.
const unName = "United Nations"

// headsOwnBodies are the organizations whose name heads the names of their
// own bodies, each an organization of its own ("UN Office of
// Counter-Terrorism", "European Union Border Assistance Mission").
var headsOwnBodies = map[string]bool{unName: true, "European Union": true}

// foundOrg is an organization a page defines that the taxonomy lacks.
type foundOrg struct {
	name    string // the full name as the page spells it
	acronym string // the facet value
}

// reDefinition matches "(ACRONYM)": two to twelve characters, at least two
// of them capital letters, a plural "s" allowed after ("(SIUs)").
var reDefinition = regexp.MustCompile(`\(([A-Z][A-Za-z0-9&/-]{0,10}[A-Z0-9])s?\)`)

// nameKey is the comparison key of a name: lower case, single spaces, no "the".
func nameKey(n string) string {
	f := strings.Fields(strings.ToLower(n))
	out := f[:0]
	for _, w := range f {
		if w != "the" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// definitions returns the organizations defined in texts, by acronym, and
// the acronyms the texts define for something that is no organization of the
// page (so that a later, looser definition does not take them).
func (t *Tagger) definitions(texts []string) map[string]foundOrg {
	out := map[string]foundOrg{}
	refused := map[string]bool{}
	// reused reports whether the page writes acr again beyond its definition
	reused := func(acr string) bool {
		n := 0
		for _, s := range texts {
			n += wordCount(s, acr)
		}
		return n >= 2
	}
	for _, text := range texts {
		if !strings.Contains(text, "(") && !strings.Contains(text, ", or ") {
			continue
		}
		for _, m := range reDefinition.FindAllStringSubmatchIndex(text, -1) {
			acr := text[m[2]:m[3]]
			if upperCount(acr) < 2 || refused[acr] {
				continue
			}
			if _, ok := out[acr]; ok {
				continue
			}
			f, ok := t.definition(text, m[0], acr, reused)
			if !ok {
				refused[acr] = true
				continue
			}
			out[acr] = f
		}
		// "CPATT (Civilian Police Assistance Training Team)": the acronym
		// before, the name inside
		for _, m := range reReversed.FindAllStringSubmatchIndex(text, -1) {
			acr := text[m[2]:m[3]]
			if _, ok := out[acr]; ok || refused[acr] || upperCount(acr) < 2 {
				continue
			}
			if f, ok := t.reversedDefinition(acr, text[m[4]:m[5]]); ok {
				out[acr] = f
			}
		}
		// "the Civilian Police Advisory Training Team, or CPATT"
		for _, m := range reOrDefinition.FindAllStringSubmatchIndex(text, -1) {
			acr := text[m[2]:m[3]]
			if _, ok := out[acr]; ok || refused[acr] {
				continue
			}
			if f, ok := t.definition(text, m[0], acr, nil); ok {
				out[acr] = f
			}
		}
	}
	return out
}

// reOrDefinition matches ", or ACRONYM" after a name.
var reOrDefinition = regexp.MustCompile(`,\s+or\s+(?:the\s+)?([A-Z][A-Z0-9&/-]{0,10}[A-Z0-9])\b`)

// reReversed matches "ACRONYM (Full Name)".
var reReversed = regexp.MustCompile(`\b([A-Z][A-Za-z0-9&/-]{0,10}[A-Z0-9])\s+\(([A-Z][^()]{4,150})\)`)

// reversedDefinition reads "ACRONYM (Full Name)": the name must fill the
// parentheses, its words capitalised or connectors, and the acronym spell
// its initials.
func (t *Tagger) reversedDefinition(acr, inner string) (foundOrg, bool) {
	inner = strings.TrimSpace(inner)
	name := strings.Fields(inner)
	if len(name) < 2 || !initialsMatch(acr, name, t.disc.connectors) {
		return foundOrg{}, false
	}
	for _, w := range name {
		if !isCapitalized(w) && !t.disc.connectors[strings.ToLower(w)] {
			return foundOrg{}, false
		}
	}
	if !t.isOrgName(name) || t.isHostBody(inner, "") || t.inTaxonomy(inner, acr) {
		return foundOrg{}, false
	}
	return foundOrg{name: inner, acronym: acr}, true
}

// definition reads the name before text[open] ("(") that acr abbreviates and
// decides whether it is an organization of the page. reused, when not nil,
// reports whether the page writes the acronym again beyond its definition.
func (t *Tagger) definition(text string, open int, acr string, reused func(string) bool) (foundOrg, bool) {
	ss, se := sentenceBounds(text, open)
	before := text[ss:open]
	words := strings.Fields(before)
	k := t.nameFrom(words)
	name := words[k:]
	// "the OAS-backed Mission …": a qualifier, not part of the name
	for len(name) > 0 && (t.disc.connectors[strings.ToLower(name[0])] || isQualifier(name[0])) {
		name = name[1:]
	}
	if len(name) < 2 {
		return foundOrg{}, false
	}
	// "the Multinational Security Support (MSS) mission": the head after
	// the acronym, in lower case, is no letter of it
	head := headAfter(text[open:se], t.disc)
	orgName := func(n []string) bool {
		return t.isOrgName(n) || head != nil && t.isOrgName(append(n[:len(n):len(n)], head...))
	}
	// the acronym abbreviates the name's last words; the words before them
	// are not part of it ("INL's Civilian Police Training Team"): their
	// initials first, then looser abbreviations, then an international
	// body's acronym in another language
	start := t.spelledStart(acr, name)
	if start < 0 {
		// "International Commission against Impunity in Guatemala (CICIG)",
		// "Inter-Governmental Action Group against Money Laundering in West
		// Africa (GIABA)": a multinational body's acronym in its own
		// language keeps the name's letters, or at least the page uses it
		// again, as one uses a body's name
		start = t.nameStart(name, func(n []string) bool {
			return t.isMultinational(n) && orgName(n) &&
				(lettersMissing(acr, strings.Join(n, "")) <= 1 || reused != nil && reused(acr))
		})
	}
	if start < 0 {
		return foundOrg{}, false
	}
	var prev string // the word before the name, lower case, "'s" kept
	if start > 0 {
		prev = name[start-1]
	} else if k > 0 {
		prev = words[k-1]
		// "the Caribbean Community (CARICOM) secretariat and its
		// Implementation Agency …": the possessive is an organization's
		if (prev == "its" || prev == "their") && t.possessorIsOrg(words[:k-1]) {
			prev = ""
		}
	}
	owner := name[:start]
	name = name[start:]
	full := strings.Join(name, " ")
	// words of the sentence that mark a host body ("… as the financial
	// intelligence unit"); a body of several countries is none
	if !t.isMultinational(name) {
		for _, w := range t.disc.hostCtx {
			if containsWord(text[ss:se], w) {
				return foundOrg{}, false
			}
		}
	}
	// the name as host bodies are listed: with its head after the acronym
	// ("Transnational Anti-Gang (TAG) unit")
	listed := full
	if !t.isOrgName(name) && head != nil {
		listed += " " + strings.Join(head, " ")
	}
	if !orgName(name) || t.isHostBody(listed, prev) || t.inTaxonomy(full, acr) || t.ownedBy(owner) ||
		t.ownedByHost(text[open:se]) {
		return foundOrg{}, false
	}
	return foundOrg{name: full, acronym: acr}, true
}

// nameFrom returns where the name that ends words begins: the walk back
// over its capitalised words and connectors stops at a quoted word or one
// ending in a comma.
func (t *Tagger) nameFrom(words []string) int {
	k := len(words)
	for k > 0 {
		w := strings.Trim(words[k-1], "\"“”")
		if w != words[k-1] || strings.HasSuffix(w, ",") {
			break
		}
		if !isCapitalized(w) && !t.disc.connectors[strings.ToLower(w)] {
			break
		}
		k--
	}
	return k
}

// spelledStart returns where in name the words begin whose initials acr
// spells, strictly (initialsMatch) or else more loosely (abbreviates); -1
// for none.
func (t *Tagger) spelledStart(acr string, name []string) int {
	start := t.nameStart(name, func(n []string) bool { return initialsMatch(acr, n, t.disc.connectors) })
	if start < 0 {
		start = t.nameStart(name, func(n []string) bool { return abbreviates(acr, n, t.disc.connectors) })
	}
	return start
}

// possessorIsOrg reports whether the words before a possessive "its" end
// with an organization, a few lower-case words allowed after it: an
// acronym just defined ("Command-Iraq (MNSTC-I) and") or a taxonomy name
// ("… Community (CARICOM) secretariat and"), not a place ("Nigeria and").
func (t *Tagger) possessorIsOrg(words []string) bool {
	i := len(words) - 1
	for n := 0; i >= 0 && n < 3 && isLowerWord(words[i]); n++ {
		i--
	}
	if i < 0 {
		return false
	}
	w := strings.TrimRight(words[i], ",")
	if acr, ok := strings.CutPrefix(w, "("); ok {
		acr = strings.TrimSuffix(acr, ")")
		if !strings.HasSuffix(w, ")") || upperCount(acr) < 2 || len(t.placeM.find(acr, tokenize(acr))) > 0 {
			return false
		}
		return true
	}
	s := strings.Join(words[:i+1], " ")
	toks := tokenize(s)
	for _, h := range t.orgM.find(s, toks) {
		if h.e.kind == kindOrg && h.end == len(toks) {
			return true
		}
	}
	return false
}

// ownedByHost reports whether the words after the acronym's parenthesis,
// which closes at the start of rest, name a host government's body as the
// owner: "Domestic Violence and Victim Support Unit (DOVVSU) of the Ghana
// Police Service".
func (t *Tagger) ownedByHost(rest string) bool {
	k := strings.IndexByte(rest, ')')
	if k < 0 {
		return false
	}
	f := strings.Fields(rest[k+1:])
	if len(f) < 2 || f[0] != "of" {
		return false
	}
	var owner []string
	for _, w := range f[1:] {
		w = strings.TrimRight(w, ",.;:")
		if !isCapitalized(w) && !t.disc.connectors[strings.ToLower(w)] {
			break
		}
		owner = append(owner, w)
	}
	for len(owner) > 0 && t.disc.connectors[strings.ToLower(owner[0])] {
		owner = owner[1:]
	}
	return len(owner) > 0 && t.isHostBody(strings.Join(owner, " "), "")
}

// nameStart returns the first index s, not at a connector and leaving two
// words at least, at which ok accepts name[s:] as the name, or -1.
func (t *Tagger) nameStart(name []string, ok func([]string) bool) int {
	for s := 0; s+1 < len(name); s++ {
		if t.disc.connectors[strings.ToLower(name[s])] {
			continue
		}
		if ok(name[s:]) {
			return s
		}
	}
	return -1
}

// headAfter returns the head written in lower case just after the
// parenthesis that closes at the start of rest ("(MSS) mission" gives
// "mission"), or nil.
func headAfter(rest string, d discovery) []string {
	k := strings.IndexByte(rest, ')')
	if k < 0 {
		return nil
	}
	f := strings.Fields(rest[k+1:])
	if len(f) == 0 || !isLowerWord(f[0]) {
		return nil
	}
	w := strings.TrimRight(f[0], ",.;:")
	if d.heads[w] {
		return []string{w}
	}
	if len(f) > 1 && w == f[0] {
		if w2 := strings.TrimRight(f[1], ",.;:"); d.heads2[[2]string{w, w2}] {
			return []string{w, w2}
		}
	}
	return nil
}

// isOrgName reports whether name is headed like an organization's: its last
// word, or the word before its first preposition ("Office for Drug Control"),
// is a head.
func (t *Tagger) isOrgName(name []string) bool {
	head := func(i int) bool {
		w := strings.ToLower(strings.Trim(name[i], ",.;:"))
		// "Command-Iraq", "Mission-Afghanistan": the head before its field
		if k := strings.IndexByte(w, '-'); k > 0 && isCapitalized(strings.Trim(name[i], ",.;:")[k+1:]) {
			w = w[:k]
		}
		if t.disc.heads[w] {
			return true
		}
		return i > 0 && t.disc.heads2[[2]string{strings.ToLower(name[i-1]), w}]
	}
	for i := 1; i < len(name); i++ {
		if t.disc.connectors[strings.ToLower(name[i])] && strings.ToLower(name[i]) != "and" {
			return head(i - 1)
		}
	}
	last := len(name) - 1
	// "Joint Task Force Alpha", "Task Force 134": a designator after the head
	if last > 0 && designators[strings.ToLower(strings.Trim(name[last], ",.;:"))] {
		last--
	}
	return head(last)
}

// designators name one of several bodies of a kind after its head.
var designators = map[string]bool{"alpha": true, "bravo": true, "charlie": true, "delta": true, "echo": true,
	"one": true, "two": true, "three": true, "i": true, "ii": true, "iii": true, "iv": true}

// isQualifier reports whether w qualifies a name without being part of it:
// "OAS-backed", "military-led", "U.S.-funded".
func isQualifier(w string) bool {
	l := strings.ToLower(w)
	for _, s := range []string{"-backed", "-led", "-funded", "-sponsored", "-supported", "-run"} {
		if strings.HasSuffix(l, s) {
			return true
		}
	}
	return false
}

// internationalWords mark a name as an international body's, whose acronym
// may come from another language ("Mission … in Mali (MINUSMA)").
var internationalWords = map[string]bool{"international": true, "inter-american": true, "intergovernmental": true,
	"inter-governmental": true, "multinational": true, "multi-national": true, "european": true, "mission": true}

// isInternational reports whether the name is an international body's: one
// of internationalWords, or headed by the United Nations.
func isInternational(name []string) bool {
	if len(name) > 1 && name[0] == "United" && name[1] == "Nations" || name[0] == "UN" || name[0] == "U.N." {
		return true
	}
	for _, w := range name {
		if internationalWords[strings.ToLower(strings.Trim(w, ",.;:"))] {
			return true
		}
	}
	return false
}

// lettersMissing returns the number of letters of acr that s lacks
// (case-insensitive): an acronym from another language ("CICIG" for the
// International Commission against Impunity in Guatemala) keeps the
// letters of the name's cognates, not their order, and may lack the
// initial of a word the English name has not ("GIABA", Groupe …
// Blanchiment d'Argent).
func lettersMissing(acr, s string) int {
	s = strings.ToLower(s)
	n := 0
	for _, r := range strings.ToLower(acr) {
		if unicode.IsLetter(r) && !strings.ContainsRune(s, r) {
			n++
		}
	}
	return n
}

// isHostBody reports whether the name (with prev, the word before it) names
// a host government's body.
func (t *Tagger) isHostBody(full, prev string) bool {
	if t.disc.hostNames[nameKey(full)] {
		return true
	}
	// the United States is the donor, never the host ("U.S. Army Corps of
	// Engineers"); a body of the UN or the EU is theirs ("United Nations
	// Mission in the Republic of South Sudan")
	for _, p := range []string{"U.S. ", "United States ", "United Nations ", "UN ", "U.N. ", "European Union ", "EU "} {
		if strings.HasPrefix(full, p) {
			return false
		}
	}
	for _, w := range strings.Fields(strings.ToLower(full)) {
		if t.disc.hostWords[strings.Trim(w, ",.")] {
			return true
		}
	}
	lp := strings.ToLower(strings.ReplaceAll(prev, "’", "'"))
	if t.disc.hostBefore[lp] {
		return true
	}
	// a country or its people in the name, or owning it: "Kenya Wildlife
	// Service", "Haitian National Police", "Nigeria's Economic and Financial
	// Crimes Commission"; a place after a preposition is the body's field
	// ("Regional Office for Central Asia") and a region is a regional body's
	text := full
	if strings.HasSuffix(lp, "'s") {
		text = prev + " " + full
	}
	toks := tokenize(text)
	seat := declaresInternational(full)
	for _, h := range t.placeHits(text, toks) {
		if h.e.kind != kindCountry {
			continue
		}
		// "Jordan International Police Training Center", "Jakarta Centre
		// for Law Enforcement Cooperation": a body that says it serves
		// several countries is named after its seat, not owned by its
		// government (unlike "Haitian …", "Nigeria's …")
		if seat && (h.e.form == formName || h.e.form == formCity) && !strings.HasSuffix(lp, "'s") {
			continue
		}
		// "… in Guatemala", "… for Lebanon": the body's field; "Police of
		// Afghanistan", "Bureau of the Philippines": its owner, unless the
		// body is an international one
		if h.first > 0 && t.disc.connectors[toks[h.first-1].key] {
			k := h.first - 1
			if toks[k].key == "the" && k > 0 && !toks[k].brk {
				k--
			}
			if toks[k].key != "of" || seat || isInternational(strings.Fields(full)) {
				continue
			}
			return true
		}
		// "Transition Command-Iraq": the field after a hyphen
		if h.first > 0 && text[toks[h.first-1].end:toks[h.first].start] == "-" {
			continue
		}
		return true
	}
	return false
}

// crossBorderWords in a name say that the body serves several countries.
var crossBorderWords = map[string]bool{"international": true, "multinational": true, "multi-national": true,
	"intergovernmental": true, "inter-governmental": true, "cooperation": true, "co-operation": true}

// declaresInternational reports whether the name holds one of crossBorderWords.
func declaresInternational(full string) bool {
	for _, w := range strings.Fields(strings.ToLower(full)) {
		if crossBorderWords[strings.Trim(w, ",.;:")] {
			return true
		}
	}
	return false
}

// isMultinational reports whether the name is a body of several countries:
// an international one (isInternational) or one that names a region ("…
// in West Africa", "South American …").
func (t *Tagger) isMultinational(name []string) bool {
	if isInternational(name) {
		return true
	}
	text := strings.Join(name, " ")
	for _, h := range t.placeHits(text, tokenize(text)) {
		if h.e.kind == kindRegion {
			return true
		}
	}
	return false
}

// inTaxonomy reports whether the name or the acronym is an organization or
// a not-organization of the taxonomy, or a place.
func (t *Tagger) inTaxonomy(full, acr string) bool {
	for _, s := range []string{full, acr} {
		toks := tokenize(s)
		for _, h := range t.orgM.find(s, toks) {
			if h.first == 0 && h.end == len(toks) {
				return true
			}
			// a taxonomy name heading the name: "UNODC Regional Office" is
			// UNODC's, "DEA Sensitive Investigative Unit" the DEA's; the UN
			// heads the names of its own bodies ("UN Office of Counter-Terrorism")
			if s == full && h.first == 0 && (h.e.kind == kindNotOrg || !headsOwnBodies[t.orgs[h.e.id].Name]) {
				return true
			}
		}
		for _, h := range t.placeM.find(s, toks) {
			if h.first == 0 && h.end == len(toks) {
				return true
			}
		}
	}
	return false
}

// ownedBy reports whether words end with an organization of the taxonomy
// that owns the body named after them, as in "UNODC Regional Office for
// Southeast Asia (ROSEA)" (the UN and the EU head bodies of their own). A
// possessive is a partner's description ("INL's Civilian Police Training
// Team"), not a part of the name.
func (t *Tagger) ownedBy(words []string) bool {
	if len(words) == 0 {
		return false
	}
	if l := words[len(words)-1]; strings.HasSuffix(l, "'s") || strings.HasSuffix(l, "’s") {
		return false
	}
	s := strings.Join(words, " ")
	toks := tokenize(s)
	for _, h := range t.orgM.find(s, toks) {
		if h.end == len(toks) && (h.e.kind == kindNotOrg || !headsOwnBodies[t.orgs[h.e.id].Name]) {
			return true
		}
	}
	return false
}

// initialsMatch reports whether acr spells the initials of words: every
// word that is not a connector gives its first letter, or one letter per
// part when hyphenated ("Counter-Terrorism" → CT), or all its letters when
// it is itself an acronym ("UN"); a connector may give its first letter or
// nothing ("Office of the Comptroller of the Currency" → OCC, "Council of
// Europe" → CoE).
func initialsMatch(acr string, words []string, connectors map[string]bool) bool {
	a := strings.ToLower(strings.NewReplacer("&", "", "/", "", "-", "").Replace(acr))
	type part struct {
		spells   []string // the letter sequences the word may give
		optional bool
	}
	var parts []part
	for _, w := range words {
		w = strings.Trim(w, ",.;:")
		lw := strings.ToLower(w)
		if lw == "&" {
			continue
		}
		r := []rune(lw)
		if len(r) == 0 || !unicode.IsLetter(r[0]) {
			return false
		}
		p := part{spells: []string{string(r[0])}, optional: connectors[lw]}
		if hy := strings.FieldsFunc(lw, func(r rune) bool { return r == '-' || r == '/' }); len(hy) > 1 {
			var b strings.Builder
			for _, h := range hy {
				b.WriteRune([]rune(h)[0])
			}
			p.spells = append(p.spells, b.String())
		}
		if len(r) >= 2 && isAllUpper(w) {
			p.spells = append(p.spells, strings.ReplaceAll(lw, ".", ""))
		}
		parts = append(parts, p)
	}
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if j == len(parts) {
			return i == len(a)
		}
		p := parts[j]
		if p.optional && match(i, j+1) {
			return true
		}
		for _, sp := range p.spells {
			if strings.HasPrefix(a[i:], sp) && match(i+len(sp), j+1) {
				return true
			}
		}
		return false
	}
	return match(0, 0)
}

// abbreviates reports whether acr abbreviates words more loosely than
// initialsMatch allows, as many bodies' acronyms do: the words from the
// first preposition after the head on (the body's field: "Asia/Pacific Group
// on Money Laundering" → APG) may give no letter, and one word may give
// more letters than its initial and its parts' initials, in order
// ("Eurasian Group on …" → EAG, "Implementation Agency for Crime and
// Security" → IMPACS). Every other word gives its initial at least, a
// connector its initial or nothing; the acronym holds letters only.
func abbreviates(acr string, words []string, connectors map[string]bool) bool {
	a := []rune(strings.ToLower(strings.NewReplacer("&", "", "/", "", "-", "", ".", "").Replace(acr)))
	for _, r := range a {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	type letter struct {
		r       rune
		initial bool // the first letter of a part ("Asia/Pacific": a, p)
	}
	type word struct {
		letters  []letter
		optional bool
	}
	var ws []word
	field := false
	for i, w := range words {
		lw := strings.ToLower(strings.Trim(w, ",.;:"))
		if lw == "&" {
			continue
		}
		if i > 0 && connectors[lw] && lw != "and" {
			field = true
		}
		var letters []letter
		initial := true
		for _, r := range lw {
			switch {
			case unicode.IsLetter(r):
				letters = append(letters, letter{r, initial})
				initial = false
			case r == '-' || r == '/':
				initial = true
			}
		}
		if len(letters) == 0 || !unicode.IsLetter([]rune(lw)[0]) {
			return false
		}
		ws = append(ws, word{letters: letters, optional: field || connectors[lw]})
	}
	type state struct {
		i, j     int
		internal bool
	}
	failed := map[state]bool{}
	// match reports whether a[i:] abbreviates ws[j:]; internal is whether a
	// word before j gave an inner letter
	var match func(st state) bool
	match = func(st state) bool {
		i, j := st.i, st.j
		if j == len(ws) {
			return i == len(a)
		}
		if failed[st] {
			return false
		}
		w := ws[j]
		ok := w.optional && match(state{i, j + 1, st.internal})
		if !ok && i < len(a) && a[i] == w.letters[0].r {
			// the initial, then more of the word's letters in order
			var more func(i, p int, internal bool) bool
			more = func(i, p int, internal bool) bool {
				if match(state{i, j + 1, internal}) {
					return true
				}
				for q := p; i < len(a) && q < len(w.letters); q++ {
					l := w.letters[q]
					if l.r != a[i] || !l.initial && st.internal {
						continue
					}
					if more(i+1, q+1, internal || !l.initial) {
						return true
					}
				}
				return false
			}
			ok = more(i+1, 1, st.internal)
		}
		if !ok {
			failed[st] = true
		}
		return ok
	}
	return match(state{})
}

func upperCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n
}

// addFoundOrgs tags the passages of p with the organizations the page
// defines (see definitions): out[i] are the tags of p.Passages[i], to which
// the found organizations' acronyms, provenance and evidence are added.
func (t *Tagger) addFoundOrgs(p Page, out []Tags) {
	texts := make([]string, 0, len(p.Passages)+1)
	if p.Title != "" {
		texts = append(texts, p.Title)
	}
	for _, ps := range p.Passages {
		texts = append(texts, ps.Headings...)
		texts = append(texts, ps.Text)
	}
	t.dropRedefined(p, out, t.redefinedAcronyms(texts))
	defs := t.definitions(texts)
	t.addKnown(defs, texts)
	for a, f := range defs {
		if isFoundPublisher(p.URL, p.Site, f) {
			delete(defs, a) // the publisher is never tagged
		}
	}
	if len(defs) == 0 {
		return
	}
	acrs := make([]string, 0, len(defs))
	for a := range defs {
		acrs = append(acrs, a)
	}
	sort.Strings(acrs)
	for i, ps := range p.Passages {
		srcs := append(append([]string{}, ps.Headings...), ps.Text)
		for _, a := range acrs {
			f := defs[a]
			matched, sentence := findOrgMention(srcs, f)
			if matched == "" {
				continue
			}
			tags := &out[i]
			key := "organization:" + a
			if tags.Provenance == nil {
				tags.Provenance = map[string][]string{}
			}
			addProv(tags.Provenance, key, matched)
			if tags.Evidence == nil {
				tags.Evidence = map[string]string{}
			}
			addEvidence(tags.Evidence, key, sentence)
			tags.Organizations = insertSorted(tags.Organizations, a)
			tags.FoundOrganizations = insertSorted(tags.FoundOrganizations, a)
		}
	}
}

// addKnown adds to defs the known bodies (discoveryData.Known) whose
// acronym texts write as a whole word, where the page does not define the
// acronym itself. The acronym is the facet value, so a page that only
// spells the full name out finds none (its passages are tagged by either
// once the acronym is written somewhere on the page).
func (t *Tagger) addKnown(defs map[string]foundOrg, texts []string) {
	for _, k := range t.disc.known {
		if _, ok := defs[k.acronym]; ok {
			continue
		}
		for _, s := range texts {
			if wordIndex(s, k.acronym) >= 0 {
				defs[k.acronym] = k
				break
			}
		}
	}
}

// findOrgMention returns the first mention of f in srcs (its full name or
// its acronym as written, a whole word) and the sentence around it.
func findOrgMention(srcs []string, f foundOrg) (matched, sentence string) {
	for _, s := range srcs {
		for _, w := range []string{f.name, f.acronym} {
			if k := wordIndex(s, w); k >= 0 {
				return w, sentenceAt(s, k, k+len(w))
			}
		}
	}
	return "", ""
}

// wordIndex returns the byte index of the first occurrence of w in s that is
// a whole word (not inside a longer word), or -1.
func wordIndex(s, w string) int {
	from := 0
	for {
		k := strings.Index(s[from:], w)
		if k < 0 {
			return -1
		}
		k += from
		end := k + len(w)
		okBefore := k == 0 || !isWordByte(s[k-1])
		okAfter := end == len(s) || !isWordByte(s[end]) || s[end] == 's' && (end+1 == len(s) || !isWordByte(s[end+1]))
		if okBefore && okAfter {
			return k
		}
		from = k + 1
	}
}

// wordCount returns the number of times s holds w as a whole word.
func wordCount(s, w string) int {
	n := 0
	for {
		k := wordIndex(s, w)
		if k < 0 {
			return n
		}
		n++
		s = s[k+len(w):]
	}
}

// containsWord reports whether s holds w as whole words; w in lower case
// matches in any case, w with a capital as written.
func containsWord(s, w string) bool {
	if strings.ToLower(w) == w {
		s = strings.ToLower(s)
	}
	return wordIndex(s, w) >= 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// redefinedAcronyms returns the taxonomy's acronyms that the page defines
// for a body of another name: "the Office of National Drug and Money
// Laundering Control Policy (ONDCP)" of Antigua, "the Organized Crime
// Commission (OCC)". On that page the acronym names that body, not the
// taxonomy's organization.
func (t *Tagger) redefinedAcronyms(texts []string) map[string]bool {
	var out map[string]bool
	for _, text := range texts {
		if !strings.Contains(text, "(") {
			continue
		}
		for _, m := range reDefinition.FindAllStringSubmatchIndex(text, -1) {
			acr := text[m[2]:m[3]]
			ids := t.acronymOrgs(acr)
			if len(ids) == 0 || out[acr] {
				continue
			}
			ss, _ := sentenceBounds(text, m[0])
			words := strings.Fields(text[ss:m[0]])
			name := words[t.nameFrom(words):]
			start := t.spelledStart(acr, name)
			if start < 0 {
				continue // no name the acronym spells: "(DEA)" after a sentence
			}
			full := strings.Join(name[start:], " ")
			if t.namesAny(full, ids) {
				continue // the taxonomy's own name
			}
			if out == nil {
				out = map[string]bool{}
			}
			out[acr] = true
		}
	}
	return out
}

// acronymOrgs returns the indexes of the taxonomy's organizations that
// have acr as an acronym.
func (t *Tagger) acronymOrgs(acr string) []int {
	var ids []int
	for i, o := range t.orgs {
		if slices.Contains(o.Acronyms, acr) {
			ids = append(ids, i)
		}
	}
	return ids
}

// namesAny reports whether text names one of the organizations ids by a
// name or alias (not by its acronym).
func (t *Tagger) namesAny(text string, ids []int) bool {
	for _, h := range t.orgM.find(text, tokenize(text)) {
		if h.e.kind == kindOrg && h.e.form != formAcronym && slices.Contains(ids, h.e.id) {
			return true
		}
	}
	return false
}

// dropRedefined removes from the passages of p the organizations whose
// acronym the page gives another body (redefinedAcronyms), where a passage
// does not name them by name.
func (t *Tagger) dropRedefined(p Page, out []Tags, redefined map[string]bool) {
	if len(redefined) == 0 {
		return
	}
	for i, ps := range p.Passages {
		tags := &out[i]
		kept := tags.Organizations[:0]
		for _, name := range tags.Organizations {
			id := t.orgIndex(name)
			drop := false
			if id >= 0 && slices.ContainsFunc(t.orgs[id].Acronyms, func(a string) bool { return redefined[a] }) {
				drop = !t.namesAny(strings.Join(append(append([]string{}, ps.Headings...), ps.Text), "\n"), []int{id})
			}
			if drop {
				delete(tags.Provenance, "organization:"+name)
				delete(tags.Evidence, "organization:"+name)
				continue
			}
			kept = append(kept, name)
		}
		tags.Organizations = kept
	}
}
