package tag

import (
	"regexp"
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
//     "of" and "for" may be skipped): a foreign-language acronym after an
//     English name ("National Anti-Drug Secretariat (SENAD)") is a host
//     government's body, translated;
//   - the name's head noun is one of an organization (discoveryData.Heads:
//     Team, Task Force, Office, Commission, Academy, Mission…), not an
//     initiative, a treaty or a group;
//   - nothing marks it as a host-government body (domain-facts §0): no country
//     or demonym in the name or just before it ("Kenya Wildlife Service",
//     "Nigeria's …"), none of discoveryData.HostWords ("National",
//     "Ministry", "Attorney General"), and it is not one of the generic host
//     bodies (discoveryData.HostNames: "Financial Intelligence Unit");
//   - neither the name nor the acronym is in the taxonomy (organizations or
//     not-organizations) or names a place.
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
			f, ok := t.definition(text, m[0], acr)
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
			if f, ok := t.definition(text, m[0], acr); ok {
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
// decides whether it is an organization of the page.
func (t *Tagger) definition(text string, open int, acr string) (foundOrg, bool) {
	ss, se := sentenceBounds(text, open)
	before := text[ss:open]
	for _, w := range t.disc.hostCtx {
		if containsWord(text[ss:se], w) {
			return foundOrg{}, false
		}
	}
	words := strings.Fields(before)
	// walk back over the words of the name: capitalised words and connectors
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
	name := words[k:]
	// "the OAS-backed Mission …": a qualifier, not part of the name
	for len(name) > 0 && (t.disc.connectors[strings.ToLower(name[0])] || isQualifier(name[0])) {
		name = name[1:]
	}
	if len(name) < 2 {
		return foundOrg{}, false
	}
	// the acronym spells the initials of the name's last words; the words
	// before them are not part of it ("INL's Civilian Police Training Team")
	start := -1
	for s := 0; s+1 < len(name); s++ {
		if t.disc.connectors[strings.ToLower(name[s])] {
			continue
		}
		if initialsMatch(acr, name[s:], t.disc.connectors) {
			start = s
			break
		}
	}
	if start < 0 {
		// an international body known by its acronym in another language:
		// "International Commission against Impunity in Guatemala (CICIG)"
		if !isInternational(name) || !lettersIn(acr, strings.Join(name, "")) {
			return foundOrg{}, false
		}
		start = 0
	}
	var prev string // the word before the name, lower case, "'s" kept
	if start > 0 {
		prev = name[start-1]
	} else if k > 0 {
		prev = words[k-1]
	}
	name = name[start:]
	full := strings.Join(name, " ")
	if !t.isOrgName(name) || t.isHostBody(full, prev) || t.inTaxonomy(full, acr) {
		return foundOrg{}, false
	}
	return foundOrg{name: full, acronym: acr}, true
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

// lettersIn reports whether every letter of acr occurs in s (case-insensitive):
// an acronym from another language ("CICIG" for the International Commission
// against Impunity in Guatemala) keeps the letters, not their order.
func lettersIn(acr, s string) bool {
	s = strings.ToLower(s)
	for _, r := range strings.ToLower(acr) {
		if unicode.IsLetter(r) && !strings.ContainsRune(s, r) {
			return false
		}
	}
	return true
}

// isHostBody reports whether the name (with prev, the word before it) names
// a host government's body.
func (t *Tagger) isHostBody(full, prev string) bool {
	if t.disc.hostNames[nameKey(full)] {
		return true
	}
	// the United States is the donor, never the host ("U.S. Army Corps of Engineers")
	if strings.HasPrefix(full, "U.S. ") || strings.HasPrefix(full, "United States ") {
		return false
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
	for _, h := range t.placeHits(text, toks) {
		if h.e.kind != kindCountry {
			continue
		}
		if h.first > 0 && t.disc.connectors[toks[h.first-1].key] {
			continue
		}
		// "Transition Command-Iraq": the field after a hyphen
		if h.first > 0 && text[toks[h.first-1].end:toks[h.first].start] == "-" {
			continue
		}
		return true
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
	defs := t.definitions(texts)
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
