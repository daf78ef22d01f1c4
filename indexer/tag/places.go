package tag

import (
	"fmt"
	"sort"
	"strings"

	"github.com/biter777/countries"
)

// country is a taggable country with the regions it implies.
type country struct {
	name    string   // display name (TAXONOMY.md)
	aliases []string // other names (not demonyms)
	regions []string // bureau region first, then sub-regions
}

// region is a region facet value.
type region struct {
	name    string
	parent  string
	aliases []string
}

// buildPlaces loads the countries (library + extras) and regions into the place matcher.
func (t *Tagger) buildPlaces() error {
	var cf countryFile
	if err := loadJSON("countries_extra.json", &cf); err != nil {
		return err
	}
	var rf regionFile
	if err := loadJSON("regions.json", &rf); err != nil {
		return err
	}
	excluded := map[string]bool{}
	for _, a3 := range cf.Exclude {
		excluded[a3] = true
	}
	t.personRisk = map[string]bool{}
	for _, n := range cf.PersonRisk {
		t.personRisk[n] = true
	}

	// names: library first, extras override (bare "Congo" → DRC).
	owner := map[string]int{} // lower(name) → country index
	var names [][2]string     // name, a3 in insertion order
	byA3 := map[string]int{}
	var codes []countries.CountryCode
	for _, c := range countries.All() {
		a3 := c.Alpha3()
		if excluded[a3] || a3 == "" {
			continue
		}
		lib := c.String()
		short := lib
		if k := strings.Index(short, " ("); k > 0 {
			short = short[:k]
		}
		display := short
		if d, ok := cf.Display[a3]; ok {
			display = d
		}
		byA3[a3] = len(t.countries)
		t.countries = append(t.countries, country{name: display})
		codes = append(codes, c)
		for _, n := range []string{display, short, lib} {
			names = append(names, [2]string{n, a3})
		}
	}
	for a3, al := range cf.Aliases {
		if _, ok := byA3[a3]; !ok {
			return fmt.Errorf("countries_extra.json: unknown code %s", a3)
		}
		for _, n := range al {
			names = append(names, [2]string{n, a3})
		}
	}
	for _, p := range names {
		owner[strings.ToLower(p[0])] = byA3[p[1]]
	}
	seen := map[string]bool{}
	for _, p := range names {
		lk := strings.ToLower(p[0])
		if seen[lk] {
			continue
		}
		seen[lk] = true
		ci := owner[lk]
		c := &t.countries[ci]
		if p[0] != c.name {
			c.aliases = append(c.aliases, p[0])
		}
		mode := caseCap
		if isAllUpper(strings.ReplaceAll(p[0], ".", "")) && len(p[0]) <= 6 {
			mode = caseExact
		}
		t.placeM.add(p[0], entry{kind: kindCountry, id: ci, mode: mode, form: formName})
	}

	// demonyms: derived from the library where it knows them, plus extras.
	for i, c := range codes {
		for _, d := range deriveDemonyms(c, t.countries[byA3[c.Alpha3()]].name) {
			t.addDemonym(d, byA3[codes[i].Alpha3()], seen)
		}
	}
	for a3, ds := range cf.Demonyms {
		ci, ok := byA3[a3]
		if !ok {
			return fmt.Errorf("countries_extra.json: unknown demonym code %s", a3)
		}
		for _, d := range ds {
			t.addDemonym(d, ci, seen)
		}
	}
	for a3, cs := range cf.Cities {
		ci, ok := byA3[a3]
		if !ok {
			return fmt.Errorf("countries_extra.json: unknown city code %s", a3)
		}
		for _, c := range cs {
			if lk := strings.ToLower(c); !seen[lk] {
				seen[lk] = true
				t.placeM.add(c, entry{kind: kindCountry, id: ci, mode: caseCap, form: formCity})
			}
		}
	}
	for _, n := range cf.NotPlaces {
		t.placeM.add(n, entry{kind: kindNotPlace, mode: caseCap})
	}
	return t.buildRegions(&rf, codes, byA3)
}

func (t *Tagger) addDemonym(d string, ci int, seen map[string]bool) {
	forms := []string{d}
	if strings.HasSuffix(d, "an") || strings.HasSuffix(d, "i") {
		forms = append(forms, d+"s")
	}
	for _, f := range forms {
		lk := strings.ToLower(f)
		if seen[lk] {
			continue
		}
		seen[lk] = true
		t.placeM.add(f, entry{kind: kindCountry, id: ci, mode: caseCap, form: formDemonym})
	}
}

// deriveDemonyms proposes adjective forms of a country name by common English
// suffix rules and keeps those the countries library resolves to the same country.
func deriveDemonyms(c countries.CountryCode, name string) []string {
	base := name
	cands := []string{
		base + "n", base + "an", base + "ian", base + "ese", base + "i",
		strings.TrimSuffix(base, "a") + "an", strings.TrimSuffix(base, "o") + "an",
		strings.TrimSuffix(base, "ia") + "ian", strings.TrimSuffix(base, "e") + "ian",
		strings.TrimSuffix(base, "a") + "ese", strings.TrimSuffix(base, "istan"),
	}
	var out []string
	seen := map[string]bool{base: true}
	for _, d := range cands {
		if seen[d] || len(d) < 4 || strings.Contains(d, " ") {
			continue
		}
		seen[d] = true
		if countries.ByName(d) == c {
			out = append(out, d)
		}
	}
	return out
}

func (t *Tagger) buildRegions(rf *regionFile, codes []countries.CountryCode, byA3 map[string]int) error {
	countryIdx := map[string]int{}
	for i, c := range t.countries {
		countryIdx[c.name] = i
	}
	t.featureWords = map[string]bool{}
	for _, w := range rf.FeatureWords {
		t.featureWords[w] = true
	}
	t.featureNouns = map[string]bool{}
	for _, w := range rf.FeatureNouns {
		t.featureNouns[w] = true
	}
	bureauOf := map[int]string{}
	for ri, r := range rf.Regions {
		t.regions = append(t.regions, region{name: r.Name, parent: r.Parent, aliases: r.Aliases})
		t.placeM.add(r.Name, entry{kind: kindRegion, id: ri, mode: caseCap, form: formName})
		for _, a := range r.Aliases {
			mode := caseCap
			if isAllUpper(a) {
				mode = caseExact
			}
			t.placeM.add(a, entry{kind: kindRegion, id: ri, mode: mode, form: formAlias})
		}
		for _, m := range r.Members {
			ci, ok := countryIdx[m]
			if !ok {
				return fmt.Errorf("regions.json: %s: unknown member %q", r.Name, m)
			}
			if r.Bureau {
				bureauOf[ci] = r.Name
			}
		}
	}
	for _, c := range codes {
		ci := byA3[c.Alpha3()]
		b, ok := bureauOf[ci]
		if !ok {
			b, ok = rf.ContinentBureau[c.Region().String()]
			if !ok {
				continue
			}
		}
		t.countries[ci].regions = append(t.countries[ci].regions, b)
	}
	for _, r := range rf.Regions {
		if r.Bureau {
			continue
		}
		for _, m := range r.Members {
			ci := countryIdx[m]
			t.countries[ci].regions = append(t.countries[ci].regions, r.Name)
		}
	}
	for i := range t.countries {
		sort.Strings(t.countries[i].regions[min(1, len(t.countries[i].regions)):])
	}
	return nil
}

// honorifics before a person-risk name make it a person ("Ambassador Chad …").
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "ambassador": true, "secretary": true, "director": true,
	"deputy": true, "minister": true, "president": true, "judge": true, "officer": true, "agent": true,
	"chairman": true, "senator": true, "representative": true, "assistant": true, "sheriff": true, "chief": true,
}

// placeHits finds the countries and named regions of one text.
func (t *Tagger) placeHits(text string, toks []token) []hit {
	raw := t.placeM.find(text, toks)
	out := raw[:0]
	lastSeat := -1 // end of the last city named as an institution's seat
	pager := strings.ContainsAny(text, "‹›")
	extentEnd := -1 // first token of the far end of an extent ("… to Angola")
	for _, h := range raw {
		if h.e.kind == kindNotPlace {
			continue
		}
		if h.e.kind == kindRegion && h.end-h.first == 1 && t.featureWords[toks[h.first].orig] &&
			h.end < len(toks) && !toks[h.end].brk && !toks[h.end].comma && !isCapitalized(toks[h.end].orig) {
			continue // "Pacific coast", "Pacific ports": a feature, not the region
		}
		if h.e.kind == kindRegion && t.isFeature(toks, h.end) {
			continue // "Caribbean coasts", "Pacific and Caribbean coasts"
		}
		if h.e.form == formCity && h.end < len(toks) && !toks[h.end].brk && t.instrumentWords[toks[h.end].key] {
			continue // "the Budapest Convention": an instrument named after the city
		}
		if h.e.kind == kindCountry && h.end-h.first == 1 && t.personRisk[toks[h.first].orig] {
			if h.first > 0 && !toks[h.first].brk && honorifics[toks[h.first-1].key] {
				continue
			}
			if h.end < len(toks) && len(toks[h.end].orig) == 1 && isCapitalized(toks[h.end].orig) {
				continue // "Chad M. Smith"
			}
		}
		if h.e.kind == kindCountry && (h.e.form == formName || h.e.form == formAlias) &&
			(isDonor(text, h.start) || donorAfter(text, h.start, h.stop) || listedAfter(text, h.start, nationCues)) {
			continue
		}
		if h.e.kind == kindCountry && inLongerPlaceName(toks, h) {
			continue
		}
		if h.e.kind == kindCountry && h.e.form == formDemonym && notNationOf(text, toks, h) {
			continue
		}
		if h.e.kind == kindCountry && h.e.form == formName && afterSeat(toks, h) {
			continue
		}
		if h.e.kind == kindCountry && h.e.form == formName && lastSeat >= 0 && afterSeatCity(text, h, lastSeat) {
			lastSeat = h.stop // a list of seats goes on after the country: "Budapest, Hungary, in 1995, followed by Bangkok"
			continue
		}
		if h.e.kind == kindCountry && h.first == extentEnd {
			continue // the far end of "from Senegal to Angola"
		}
		if h.e.kind == kindCountry && extentStart(toks, h.first, h.end) {
			if h.end+1 < len(toks) && toks[h.end].key == "to" && !toks[h.end].brk {
				extentEnd = h.end + 1
				if toks[extentEnd].key == "the" {
					extentEnd++
				}
			}
			continue
		}
		if h.e.kind == kindCountry && h.e.form == formCity {
			if isSeat(text, toks, h, lastSeat) {
				lastSeat = h.stop
				continue
			}
		}
		if pager && inPager(text, h.start) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// structureWords after a country's name make it the name of a structure or
// a natural feature ("the Second Niger Bridge", "the Niger Delta"), and
// straitWords before it ("the Strait of Gibraltar") a body of water.
var (
	structureWords = map[string]bool{"Bridge": true, "River": true, "Delta": true, "Street": true, "Avenue": true,
		"Road": true, "Highway": true, "Expressway": true, "Boulevard": true, "Dam": true, "Strait": true}
	straitWords = map[string]bool{"strait": true, "straits": true}
)

// inLongerPlaceName reports whether a country (by its name or one of its
// cities) is part of a longer name that is no mention of it: a structure
// or feature named after it, a strait, a town whose name ends with it
// ("Mocímboa da Praia", not Cabo Verde's capital), or a postal address
// ("Viale Vaticano 106, 00165 Rome, Italy": where an organization sits).
func inLongerPlaceName(toks []token, h hit) bool {
	if h.end < len(toks) && !toks[h.end].brk && !toks[h.end].comma && structureWords[toks[h.end].orig] {
		return true
	}
	if h.first >= 2 && !toks[h.first].brk && toks[h.first-1].key == "of" && !toks[h.first-1].brk &&
		straitWords[toks[h.first-2].key] && isCapitalized(toks[h.first-2].orig) {
		return true
	}
	if h.e.form == formCity && h.first >= 2 && !toks[h.first].brk && !toks[h.first].comma &&
		placeParticles[toks[h.first-1].orig] && isCapitalized(toks[h.first-2].orig) {
		return true
	}
	for k := h.first - 1; k >= max(0, h.first-3); k-- {
		if isPostalCode(toks[k].orig) {
			return true
		}
		if toks[k].brk {
			break
		}
	}
	return false
}

// placeParticles join the words of a town's name in Portuguese, Spanish or
// French ("Mocímboa da Praia", "Santa Cruz de la Sierra").
var placeParticles = map[string]bool{"da": true, "do": true, "das": true, "dos": true, "de": true, "del": true, "la": true, "du": true}

// isPostalCode reports whether a token is a postal code: five digits or
// more, or four that cannot be a year.
func isPostalCode(s string) bool {
	if len(s) < 4 || len(s) > 6 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(s) > 4 || s[0] != '1' && s[0] != '2'
}

// donorCues open a list of funders: a country named in one is a donor, not
// a place the passage is about ("with funding from the European Union,
// Canada and Japan").
var donorCues = []string{"funding from", "funded by", "financed by", "financing from", "contributions from",
	"support from", "supported by", "donors", "donor countries", "donated by", "grants from", "financial support of",
	"co-funded by", "cofunded by", "paid for by", "assistance from", "funded in part by", "financed in part by",
	"supported in part by", "contribution from", "contributions, including from", "donors have included",
	"donors include", "donors included", "donor governments"}

// lowerASCII is s with its ASCII letters in lower case, byte for byte.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// isDonor reports whether the place at text[start:] is in a list of funders:
// a donor cue opens its sentence's clause at most 120 bytes before it, and
// only names (capitalised words, "the", "and", "government of", asides in
// brackets) lie between ("support from Canada, Spain and the IDB", not
// "supported by a regional training center in Lima").
func isDonor(text string, start int) bool { return listedAfter(text, start, donorCues) }

// nationCues open a list of nationalities: "nationals of Colombia, Mali and
// Guinea-Bissau" name where people come from, not a place of the page.
var nationCues = []string{"nationals of", "citizens of", "natives of"}

// listedAfter reports whether the place at text[start:] is in a list that
// one of cues opens: the cue opens the place's clause at most 120 bytes
// before it, and only names lie between.
func listedAfter(text string, start int, cues []string) bool {
	from := max(0, start-160)
	orig := text[from:start]
	// The cues are ASCII: lower ASCII letters only, so that an index into
	// before is one into orig (strings.ToLower changes the length of
	// invalid UTF-8 and of some letters).
	before := lowerASCII(orig)
	if k := clauseStart(before); k > 0 {
		before, orig = before[k:], orig[k:]
	}
	for _, c := range cues {
		k := strings.LastIndex(before, c)
		if k < 0 || len(before)-(k+len(c)) > 120 || (k > 0 && isLetter(before[k-1])) {
			continue // none, too far, or inside a word ("migrants from")
		}
		if onlyNames(orig[k+len(c):]) {
			return true
		}
	}
	return false
}

// clauseStart returns the index just after the last sentence or clause
// break of s, or 0: a period after a single letter is an abbreviation's
// ("U.S.", "D.C."), no break, so "funded by the U.S. Department of State
// and Germany" stays one clause.
func clauseStart(s string) int {
	for k := len(s) - 1; k >= 0; k-- {
		switch s[k] {
		case '!', '?', ';', '\n':
			return k + 1
		case '.':
			if k >= 1 && isLetter(s[k-1]) && (k == 1 || !isLetter(s[k-2])) {
				continue
			}
			return k + 1
		}
	}
	return 0
}

// donorAfter reports whether the place at text[start:end] opens or
// continues a list of funders that a donor phrase closes: "Canada and
// other donors funded …", "Canada, the European Union and Germany also
// support the programme". A place after a preposition ("In Mexico and
// Central America, the Merida Initiative funds …", "In Kenya, Tanzania and
// Mozambique, INL funds …") or a verb after a
// comma ("… Moldova, Belarus and the European Union, and supports …")
// is no funder.
func donorAfter(text string, start, end int) bool {
	lead := text[max(0, start-80):start]
	before := strings.Fields(lead[clauseStart(lead):])
	for k := len(before) - 1; k >= 0; k-- { // back over the list the place ends: "In Kenya, Tanzania and …"
		w := strings.TrimSuffix(before[k], ",")
		lw := strings.ToLower(w)
		if prepositions[lw] {
			return false
		}
		if !listWords[lw] && !isCapitalized(w) {
			break
		}
	}
	rest := text[end:min(len(text), end+120)]
	if k := strings.IndexAny(rest, ".!?;\n"); k >= 0 {
		rest = rest[:k]
	}
	words := strings.Fields(rest)
	for i, raw := range words {
		w := strings.TrimSuffix(raw, ",")
		if w == "" {
			continue // the comma right after the place: "Canada, France and …"
		}
		lw := strings.ToLower(w)
		if lw == "other" && i+1 < len(words) && strings.HasPrefix(strings.ToLower(words[i+1]), "donor") {
			return true
		}
		if lw == "also" || lw == "have" || lw == "has" || lw == "had" {
			continue // "Canada and France have contributed …"
		}
		if donorVerbs[lw] {
			afterComma := i > 0 && (strings.HasSuffix(words[i-1], ",") ||
				i > 1 && strings.ToLower(words[i-1]) == "and" && strings.HasSuffix(words[i-2], ","))
			return !afterComma
		}
		if !listWords[lw] && !isCapitalized(w) {
			return false
		}
	}
	return false
}

// prepositions before a place make it no subject of a sentence.
var prepositions = map[string]bool{"in": true, "at": true, "with": true, "to": true, "from": true, "for": true,
	"of": true, "across": true, "between": true, "on": true, "into": true, "through": true, "within": true,
	"throughout": true, "toward": true, "towards": true, "near": true, "along": true, "by": true}

// donorVerbs after a list of names make them its funders.
var donorVerbs = map[string]bool{"funded": true, "funds": true, "fund": true, "financed": true, "finances": true,
	"finance": true, "support": true, "supports": true, "supported": true, "contributed": true, "contribute": true, "contributes": true,
	"donated": true, "donate": true, "donates": true, "co-funded": true, "co-finance": true, "co-financed": true}

// listWords may stand between the names of a list of funders.
var listWords = map[string]bool{"the": true, "and": true, "of": true, "government": true, "governments": true,
	"including": true, "as": true, "well": true, "other": true, "from": true, "by": true}

// onlyNames reports whether s holds nothing but names and list words, once
// bracketed asides are dropped.
func onlyNames(s string) bool {
	depth := 0
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth = max(0, depth-1)
		case depth == 0:
			b.WriteRune(r)
		}
	}
	for _, w := range strings.FieldsFunc(b.String(), func(r rune) bool {
		return r == ' ' || r == ',' || r == '\t' || r == ':' || r == '·' || r == '•' || r == '/'
	}) { // "Donors: Sweden · Ireland"
		if !listWords[strings.ToLower(w)] && !isCapitalized(w) {
			return false
		}
	}
	return true
}

// isFeature reports whether the region word ending before toks[e] names a
// geographic feature: a feature noun follows, directly or after "and <Region>".
func (t *Tagger) isFeature(toks []token, e int) bool {
	next := func(k int) bool { return k < len(toks) && !toks[k].brk && !toks[k].comma }
	if next(e) && t.featureNouns[toks[e].key] {
		return true
	}
	return next(e) && next(e+1) && next(e+2) && (toks[e].key == "and" || toks[e].key == "or") &&
		isCapitalized(toks[e+1].orig) && t.featureNouns[toks[e+2].key]
}

// seatNouns before "in <city>" make the city the seat of an institution
// ("the International Law Enforcement Academy in Budapest", "the Regional
// Information and Coordination Center in Almaty"): the place names the
// institution, not a place the page is about, like the seats of the
// international bodies the city list leaves out.
var seatNouns = map[string]bool{"Academy": true, "Academies": true, "Center": true, "Centre": true,
	"Centers": true, "Centres": true, "College": true, "Institute": true, "Headquarters": true}

// isSeat reports whether a city hit names an institution's seat: "<Seat
// noun> in <city>", or a city that continues a list opened by such a seat
// (lastSeat, the end of the previous one): "Academies in Budapest, Bangkok
// (1999), Gaborone and San Salvador".
func isSeat(text string, toks []token, h hit, lastSeat int) bool {
	if h.first >= 2 && toks[h.first-1].key == "in" && !toks[h.first].brk && !toks[h.first-1].brk {
		// "Academy in", "academies in", "academy opened in", "academies are in"
		n := h.first - 2
		if n > 0 && seatVerbs[toks[n].key] && !toks[n].brk && !toks[n].comma {
			n--
		}
		if isSeatNoun(toks, n) {
			return true
		}
	}
	// "the … Coordination Center (CARICC) in Almaty": the acronym in brackets
	if h.first >= 3 && toks[h.first-1].key == "in" && !toks[h.first].brk && toks[h.first-1].brk &&
		toks[h.first-2].brk && isCapsWord(toks[h.first-2].orig) && seatNouns[toks[h.first-3].orig] {
		return true
	}
	// "ILEA Gaborone", "UNODC Bangkok": an institution named by its seat
	if h.first >= 1 && !toks[h.first].brk && !toks[h.first].comma && isCapsWord(toks[h.first-1].orig) &&
		(h.end >= len(toks) || toks[h.end].brk || !isCapitalized(toks[h.end].orig)) {
		return true
	}
	if lastSeat < 0 || lastSeat > h.start {
		return false
	}
	between := text[lastSeat:h.start]
	if len(between) > 30 {
		return false
	}
	for _, w := range strings.FieldsFunc(between, func(r rune) bool { return r == ' ' || r == ',' || r == '(' || r == ')' }) {
		if !seatListWords[w] && !(len(w) == 4 && w[0] >= '1' && w[0] <= '2') {
			return false
		}
	}
	return true
}

// seatListWords may stand between the cities of a list of seats, with years:
// "Budapest (1995), Bangkok (1999) and Gaborone", "Budapest in 1995,
// followed by Bangkok".
var seatListWords = map[string]bool{"and": true, "in": true, "followed": true, "by": true, "then": true}

// seatVerbs may stand between a seat noun and "in": "the academy opened in
// Budapest", "academies followed in Bangkok".
var seatVerbs = map[string]bool{"opened": true, "followed": true, "are": true, "is": true, "was": true,
	"were": true, "located": true, "based": true, "sits": true}

// isSeatNoun reports whether toks[i] is a seat noun: one of seatNouns as
// written, or a lower-case academy ("sister academies in"), training centre
// or regional centre.
func isSeatNoun(toks []token, i int) bool {
	if i < 0 || i >= len(toks) {
		return false
	}
	if seatNouns[toks[i].orig] {
		return true
	}
	switch toks[i].orig {
	case "academy", "academies":
		return true
	case "center", "centre", "centers", "centres":
		return i > 0 && !toks[i-1].brk && (toks[i-1].key == "training" || toks[i-1].key == "regional")
	}
	return false
}

// seatCities are the seats of international bodies, where their meetings
// are held: "Vienna, Austria" in a statement's dateline, "LYON, France" on
// INTERPOL's releases name the venue, not a country of the programme.
var seatCities = map[string]bool{"vienna": true, "geneva": true, "brussels": true, "lyon": true,
	"strasbourg": true, "the hague": true, "hague": true, "new york": true}

// afterSeat reports whether a country's name follows a seat city and a
// comma ("Vienna, Austria").
func afterSeat(toks []token, h hit) bool {
	if h.first == 0 || !toks[h.first].comma {
		return false
	}
	k := h.first - 1
	if seatCities[toks[k].key] {
		return true
	}
	return k > 0 && !toks[k].brk && !toks[k].comma && seatCities[toks[k-1].key+" "+toks[k].key]
}

// afterSeatCity reports whether a country's name follows the seat city
// that ends at lastSeat, after a comma or "in" ("the Academy in Gaborone,
// Botswana", "ILEA Gaborone in Botswana"): the seat's country.
func afterSeatCity(text string, h hit, lastSeat int) bool {
	if lastSeat > h.start {
		return false
	}
	between := strings.TrimSpace(text[lastSeat:h.start])
	return between == "," || between == "in" || between == ", in"
}

// isCapsWord reports whether w is written in capitals, two letters or more
// ("ILEA", "CARICC").
func isCapsWord(w string) bool { return len(w) >= 2 && isAllUpper(w) }

// notNationWords after a nationality adjective make it a person's or a
// group's origin, not the country as a place or actor ("a Liberian
// national", "the Lebanese community", "its Albanian majority").
var notNationWords = map[string]bool{"national": true, "community": true, "communities": true, "diaspora": true,
	"majority": true, "minority": true, "minorities": true, "descent": true, "origin": true, "expatriates": true,
	"nationals": true, "citizen": true, "citizens": true, "man": true, "woman": true, "businessman": true,
	"businesswoman": true, "kingpin": true, "nationality": true, "nationalities": true, "citizenship": true,
	"trafficker": true, "smuggler": true, "fugitive": true, "defendant": true, "suspect": true}

// personArticles before a nationality adjective that ends its phrase make it
// a noun: one person ("a Jamaican", "one Canadian").
var personArticles = map[string]bool{"a": true, "an": true, "one": true}

// notNationOf reports whether a demonym hit names an origin rather than a
// country: it is a plural noun (people: "Somalis", "Ethiopians"), a
// notNationWords noun follows it (or follows "and <Demonym>"), it names one
// person ("drug lord", "a Jamaican" at the end of its phrase), or it leads a
// compound ("the Kenyan-led mission").
func notNationOf(text string, toks []token, h hit) bool {
	if w := text[h.start:h.stop]; strings.HasSuffix(w, "ans") || strings.HasSuffix(w, "is") {
		return true // "Somalis and Ethiopians cross …": people, by their origin
	}
	if h.end >= len(toks) || toks[h.end].brk || toks[h.end].comma {
		// "Kelvin Smith, 42, a Jamaican.", "16 U.S. citizens and one Canadian": a person
		return h.first > 0 && !toks[h.first].brk && personArticles[toks[h.first-1].key]
	}
	next := toks[h.end]
	// "Colombian drug lord Pablo Escobar": one person
	if next.key == "drug" && h.end+1 < len(toks) && !toks[h.end+1].brk &&
		(toks[h.end+1].key == "lord" || toks[h.end+1].key == "kingpin") {
		return true
	}
	if next.key == "led" && h.stop < len(text) && text[h.stop] == '-' {
		return true
	}
	if notNationWords[next.key] && isLowerWord(next.orig) {
		return true
	}
	// "Rwandan and Burundian communities": the noun after the coordinated demonym
	if next.key == "and" && h.end+2 < len(toks) && !toks[h.end+1].brk && !toks[h.end+2].brk &&
		isCapitalized(toks[h.end+1].orig) {
		return notNationWords[toks[h.end+2].key] && isLowerWord(toks[h.end+2].orig)
	}
	return false
}

// inPager reports whether the place at text[start:] is on a pager line of
// site chrome ("‹ Kazakhstan · Kyrgyz Republic ›"): links to the
// neighbouring pages, not a mention.
func inPager(text string, start int) bool {
	from, to := lineAround(text, start, start)
	line := strings.TrimSpace(text[from:to])
	return strings.HasPrefix(line, "‹") || strings.HasSuffix(line, "›")
}

// extentNouns before "from X to Y" make X and Y the ends of a stretch of
// places ("coastal states from Senegal to Angola", "neighbors from Somalia
// to South Sudan", "the region from Mongolia to the Pacific islands"), not
// places the page is about, and so are a range of countries ("courts in
// countries from Panama to Kazakhstan": corpus/SPEC.md's convention since
// session 9); a route ("cocaine from Colombia to Mexico") is no extent.
var extentNouns = map[string]bool{"states": true, "neighbors": true, "countries": true, "nations": true,
	"neighbours": true, "region": true, "regions": true, "coast": true, "coastline": true, "stretching": true,
	"stretches": true, "extends": true, "extending": true, "spanning": true}

// extentStart reports whether the place at toks[i] opens an extent:
// "<extent noun> from (the)" comes just before it ("countries from Panama
// to Kazakhstan"), or ", from (the)" with "to" after the place ("along the
// Gulf of Guinea, from Senegal to Nigeria"). toEnd is the index of the
// token after the place.
func extentStart(toks []token, i, toEnd int) bool {
	k := i - 1
	if k >= 1 && toks[k].key == "the" && !toks[k].brk && !toks[k].comma {
		k--
	}
	if k < 1 || toks[k].key != "from" || toks[k].brk || toks[k+1].brk || toks[k+1].comma {
		return false
	}
	if extentNouns[toks[k-1].key] {
		return true
	}
	return toks[k].comma && toEnd < len(toks) && toks[toEnd].key == "to" && !toks[toEnd].brk && !toks[toEnd].comma
}
