package tag

import (
	"slices"
	"testing"
)

func TestFoundOrganizations(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct {
		name     string
		passages []string
		want     []string // found organizations of the page (acronyms)
		not      []string // acronyms that must not be found
	}{
		{"defined then used by acronym",
			[]string{"INL funded the Civilian Police Assistance Training Team (CPATT) in Baghdad.", "The CPATT advisers mentored recruits."},
			[]string{"CPATT"}, nil},
		{"the acronym of a UN body", []string{"The UN Office of Counter-Terrorism (UNOCT) hosted the workshop."},
			[]string{"UNOCT"}, nil},
		{"hyphenated word spells two letters", []string{"The Regional Anti-Crime Task Force (RACTF) met in May."},
			[]string{"RACTF"}, nil},
		{"an international court", []string{"Judges visited the International Criminal Court (ICC) in The Hague."},
			[]string{"ICC"}, nil},
		{"words before the name are not the name", []string{"With INL funding, the Civilian Police Training Team (CPTT) opened a school."},
			[]string{"CPTT"}, nil},
		{"defined after a comma", []string{"Advisers of the Civilian Police Advisory Training Team, or CPATT, mentored recruits."},
			[]string{"CPATT"}, nil},
		{"acronym before the name", []string{"CPATT (Civilian Police Assistance Training Team) advisers mentored recruits."},
			[]string{"CPATT"}, nil},
		{"a command and its field", []string{"The Multi-National Security Transition Command-Iraq (MNSTC-I) led the effort."},
			[]string{"MNSTC-I"}, nil},
		{"an international body's acronym in its own language",
			[]string{"Prosecutors worked with the International Commission against Impunity in Guatemala (CICIG)."}, []string{"CICIG"}, nil},
		{"a UN mission's French acronym", []string{"It advised the United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)."},
			[]string{"MINUSMA"}, nil},
		{"a qualifier is not the name", []string{"The OAS-backed Mission to Support the Fight against Corruption and Impunity in Honduras (MACCIH) closed."},
			[]string{"MACCIH"}, nil},
		{"a U.S. body named with its army", []string{"The U.S. Army Corps of Engineers (USACE) built prisons."}, []string{"USACE"}, nil},
		{"a task force with a designator", []string{"The case was brought by Joint Task Force Alpha (JTFA), created in 2021."}, []string{"JTFA"}, nil},
		{"a regional body headed Group", []string{"Kenya is a member of the Eastern and Southern Africa Anti-Money Laundering Group (ESAAMLG)."},
			[]string{"ESAAMLG"}, nil},
		{"an acronym of the words up to the head", []string{"Thailand is a member of the Asia/Pacific Group on Money Laundering (APG)."},
			[]string{"APG"}, nil},
		{"a word gives two letters", []string{"Russia helped found the Eurasian Group on Combating Money Laundering and Financing of Terrorism (EAG)."},
			[]string{"EAG"}, nil},
		{"a regional body's French acronym", []string{"Nigeria belongs to the Inter-Governmental Action Group against Money Laundering in West Africa (GIABA)."},
			[]string{"GIABA"}, nil},
		{"a UN office's French acronym", []string{"INL works in coordination with the United Nations Integrated Office in Haiti (BINUH)."},
			[]string{"BINUH"}, nil},
		{"an international centre named after its seat", []string{"Recruits train at the Jordan International Police Training Center (JIPTC) near Amman."},
			[]string{"JIPTC"}, nil},
		{"a cooperation centre named after its city", []string{"Officers attend courses at the Jakarta Centre for Law Enforcement Cooperation (JCLEC), a regional facility."},
			[]string{"JCLEC"}, nil},
		{"the head after the acronym", []string{"The Council authorized the Multinational Security Support (MSS) mission in October."},
			[]string{"MSS"}, nil},
		{"a UN mission in a republic", []string{"Police officers serve with the United Nations Mission in the Republic of South Sudan (UNMISS)."},
			[]string{"UNMISS"}, nil},
		{"its after an organization", []string{"It worked with the Caribbean Community (CARICOM) secretariat and its Implementation Agency for Crime and Security (IMPACS)."},
			[]string{"IMPACS"}, nil},
		{"its after a defined acronym", []string{"It acted through the Multi-National Security Transition Command-Iraq (MNSTC-I) and its Civilian Police Assistance Training Team (CPATT)."},
			[]string{"CPATT", "MNSTC-I"}, nil},
		{"its after a country", []string{"Nigeria and its Economic and Financial Crimes Commission (EFCC) seized assets."}, nil, []string{"EFCC"}},
		{"two words give inner letters", []string{"The Narcotics Control Board (NACOB) coordinates drug policy."}, nil, []string{"NACOB"}},
		{"owned by a host body after the acronym", []string{"Officers of the Domestic Violence and Victim Support Unit (DOVVSU) of the Ghana Police Service completed the course."},
			nil, []string{"DOVVSU"}},
		{"a body of a country", []string{"The Counternarcotics Police of Afghanistan (CNPA) carries out drug investigations."}, nil, []string{"CNPA"}},
		{"a host body named by its head after the acronym", []string{"The arrangement is a Transnational Anti-Gang (TAG) unit."}, nil, []string{"TAG"}},
		{"a demonym owns an international-sounding body", []string{"The Mexican Agency for International Development Cooperation (AMEXCID) signed it."},
			nil, []string{"AMEXCID"}},
		{"a host body's foreign acronym stays out", []string{"The Special Investigations Directorate (DIES) arrested him."}, nil, []string{"DIES"}},
		{"an armed group headed Group", []string{"The Libyan Islamic Fighting Group (LIFG) was listed."}, nil, []string{"LIFG"}},
		{"a country owns it", []string{"Nigeria's Economic and Financial Crimes Commission (EFCC) seized assets."}, nil, []string{"EFCC"}},
		{"a country in the name", []string{"The Kenya Wildlife Service (KWS) trained rangers."}, nil, []string{"KWS"}},
		{"a demonym in the name", []string{"The Haitian National Police (HNP) grew."}, nil, []string{"HNP"}},
		{"a ministry", []string{"Advisers work with the Ministry of Interior (MOI)."}, nil, []string{"MOI"}},
		{"a foreign acronym", []string{"The National Anti-Drug Secretariat (SENAD) led the raid."}, nil, []string{"SENAD"}},
		{"a host body by its sentence", []string{"The law created the Financial Reporting Centre (FRC) as the financial intelligence unit."}, nil, []string{"FRC"}},
		{"a generic host body", []string{"The Financial Intelligence Unit (FIU) received 300 reports."}, nil, []string{"FIU"}},
		{"an initiative", []string{"The Central Asia Counternarcotics Initiative (CACI) began in 2011."}, nil, []string{"CACI"}},
		{"a program is no organization", []string{"The Police Development Program (PDP) replaced those efforts."}, nil, []string{"PDP"}},
		{"an armed group", []string{"The Revolutionary Armed Forces of Colombia (FARC) demobilised."}, nil, []string{"FARC"}},
		{"a taxonomy organization", []string{"The United Nations Office on Drugs and Crime (UNODC) ran it."}, nil, []string{"UNODC"}},
		{"a taxonomy organization's office", []string{"The UNODC Regional Office for Southeast Asia (ROSEA) hosted it."}, nil, []string{"ROSEA"}},
		{"no head noun", []string{"The Integrated Case Management System (ICMS) went live."}, nil, []string{"ICMS"}},
		{"acronym used without definition", []string{"The CPATT advisers mentored recruits."}, nil, []string{"CPATT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := Page{URL: statePage, Title: "Program"}
			for _, s := range tt.passages {
				p.Passages = append(p.Passages, PagePassage{Text: s})
			}
			out := tg.TagPage(p)
			var found, orgs []string
			for _, o := range out {
				found = append(found, o.FoundOrganizations...)
				orgs = append(orgs, o.Organizations...)
			}
			for _, w := range tt.want {
				if !slices.Contains(found, w) || !slices.Contains(orgs, w) {
					t.Errorf("TagPage(%q): found %q, organizations %q, want %q in both", tt.passages, found, orgs, w)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(orgs, n) {
					t.Errorf("TagPage(%q): organizations %q, want no %q", tt.passages, orgs, n)
				}
			}
		})
	}
}

// TestFoundOrganizationPerPage checks that a definition in one passage lets
// a later passage's bare acronym count, with the later passage's own sentence
// as evidence, and that a passage not naming the organization is not tagged.
func TestFoundOrganizationPerPage(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	out := tg.TagPage(Page{URL: statePage, Title: "Iraq Program", Passages: []PagePassage{
		{Headings: []string{"Background"}, Text: "INL supports the Civilian Police Assistance Training Team (CPATT)."},
		{Headings: []string{"Courts"}, Text: "Judges were trained in Erbil."},
		{Headings: []string{"Results"}, Text: "Basra saw gains. Instructors of the CPATT certified 400 officers."},
	}})
	if !slices.Contains(out[0].Organizations, "CPATT") || slices.Contains(out[1].Organizations, "CPATT") ||
		!slices.Contains(out[2].FoundOrganizations, "CPATT") {
		t.Fatalf("organizations = %q / %q / %q, want CPATT on passages 1 and 3 only",
			out[0].Organizations, out[1].Organizations, out[2].Organizations)
	}
	if got, want := out[2].Evidence["organization:CPATT"], "Instructors of the CPATT certified 400 officers."; got != want {
		t.Errorf("evidence = %q, want %q", got, want)
	}
}

// TestRedefinedAcronym checks that a page which gives a taxonomy acronym
// to a body of another name means that body by it, on every passage, while
// the taxonomy's organization named by name keeps its tag.
func TestRedefinedAcronym(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	const ondcp = "Office of National Drug Control Policy"
	out := tg.TagPage(Page{URL: statePage, Title: "Antigua and Barbuda", Passages: []PagePassage{
		{Headings: []string{"FIU"}, Text: "The Office of National Drug and Money Laundering Control Policy (ONDCP) acts as the financial intelligence unit."},
		{Headings: []string{"Training"}, Text: "ONDCP analysts attended a course on tracing assets."},
		{Headings: []string{"U.S. policy"}, Text: "The White House Office of National Drug Control Policy released its strategy."},
	}})
	if slices.Contains(out[0].Organizations, ondcp) || slices.Contains(out[1].Organizations, ondcp) {
		t.Errorf("organizations = %q / %q, want no %s where ONDCP is the island's office", out[0].Organizations, out[1].Organizations, ondcp)
	}
	if !slices.Contains(out[2].Organizations, ondcp) {
		t.Errorf("organizations = %q, want %s named by name", out[2].Organizations, ondcp)
	}
	plain := tg.TagPage(Page{URL: statePage, Title: "Strategy", Passages: []PagePassage{
		{Text: "The Office of National Drug Control Policy (ONDCP) leads. ONDCP met partners."},
	}})
	if !slices.Contains(plain[0].Organizations, ondcp) {
		t.Errorf("organizations = %q, want %s defined by its own name", plain[0].Organizations, ondcp)
	}
}

func TestInitialsMatch(t *testing.T) {
	t.Parallel()
	conn := map[string]bool{"of": true, "the": true, "for": true, "and": true}
	tests := []struct {
		acr  string
		name string
		want bool
	}{
		{"OCC", "Office of the Comptroller of the Currency", true},
		{"CoE", "Council of Europe", true},
		{"UNOCT", "UN Office of Counter-Terrorism", true},
		{"UNOCT", "UN Office of Counter Terrorism", true},
		{"SENAD", "National Anti-Drug Secretariat", false},
		{"CPTT", "Civilian Police Training", false},
		{"CPT", "Civilian Police Training Team", false},
	}
	for _, tt := range tests {
		if got := initialsMatch(tt.acr, splitWords(tt.name), conn); got != tt.want {
			t.Errorf("initialsMatch(%q, %q) = %v, want %v", tt.acr, tt.name, got, tt.want)
		}
	}
}

func TestAbbreviates(t *testing.T) {
	t.Parallel()
	conn := map[string]bool{"of": true, "the": true, "for": true, "and": true, "on": true, "in": true}
	tests := []struct {
		acr  string
		name string
		want bool
	}{
		{"APG", "Asia/Pacific Group on Money Laundering", true},
		{"EAG", "Eurasian Group on Combating Money Laundering and Financing of Terrorism", true},
		{"IMPACS", "Implementation Agency for Crime and Security", true},
		{"WAPCCO", "West African Police Chiefs Committee", true},
		{"NACOB", "Narcotics Control Board", false},                // two words give inner letters
		{"APGM", "Asia/Pacific Group", false},                      // a letter left over
		{"AML", "Asia Group on Money Laundering", false},           // a word before the head gives nothing
		{"SENAD", "National Anti-Drug Secretariat", false},         // not the name's initial
		{"G20", "Group of Twenty", false},                          // letters only
		{"PGML", "Asia/Pacific Group on Money Laundering", false},  // the first word gives its initial
		{"APGL", "Asia/Pacific Group on Money Laundering", true},   // a field word may give its initial
		{"APGOML", "Asia/Pacific Group on Money Laundering", true}, // a connector too
	}
	for _, tt := range tests {
		if got := abbreviates(tt.acr, splitWords(tt.name), conn); got != tt.want {
			t.Errorf("abbreviates(%q, %q) = %v, want %v", tt.acr, tt.name, got, tt.want)
		}
	}
}

func splitWords(s string) []string {
	var out []string
	w := ""
	for _, r := range s + " " {
		if r == ' ' {
			if w != "" {
				out = append(out, w)
			}
			w = ""
			continue
		}
		w += string(r)
	}
	return out
}

func TestStrayUnitedNations(t *testing.T) {
	t.Parallel()
	checkTagged(t, []orgCase{
		{"UN Women trained female officers in Kabul.", unName, false},
		{"The United Nations Children's Fund ran shelters.", unName, false},
		{"Production rose by a third, according to UN estimates.", unName, false},
		{"The UN Office of Counter-Terrorism (UNOCT) hosted it.", unName, false},
		{"The UN General Assembly adopted the declaration.", unName, true},
		{"INL works with the United Nations on police reform.", unName, true},
		{"The UN and the EU funded the program.", unName, true},
	})
}

func TestPublisherFromPage(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	text := "The Bureau of International Narcotics and Law Enforcement Affairs (INL) funds the program."
	inl := "Bureau of International Narcotics and Law Enforcement Affairs"
	tests := []struct {
		name, url, site string
		want            bool // INL tagged
	}{
		{"a State page", "https://www.state.gov/x/", "", false},
		{"a newspaper's site name", "https://example.com/x", "The Washington Post", true},
		{"a justice.gov page archived", "https://web.archive.org/web/20150101000000/http://www.justice.gov/criminal-icitap", "", true},
		{"a state.gov page archived", "https://webarchive.library.unt.edu/eot2008/20090101/http://www.state.gov/p/inl/", "", false},
		{"an embassy", "https://example.gov/x", "U.S. Embassy in Peru", false},
	}
	for _, tt := range tests {
		got := slices.Contains(tg.Tag(Input{URL: tt.url, Site: tt.site, Text: text}).Organizations, inl)
		if got != tt.want {
			t.Errorf("%s: INL tagged = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestArchivedURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://web.archive.org/web/2015/http://www.justice.gov/a": "http://www.justice.gov/a",
		"https://web.archive.org/web/2015/https:/www.gao.gov/a":     "https://www.gao.gov/a",
		"https://www.state.gov/j/inl/":                              "https://www.state.gov/j/inl/",
	} {
		if got := archivedURL(in); got != want {
			t.Errorf("archivedURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameVariants(t *testing.T) {
	t.Parallel()
	checkTagged(t, []orgCase{
		{"The U.N. Assistance Mission in Afghanistan monitored it.", "United Nations Assistance Mission in Afghanistan", true},
		{"The UN Assistance Mission in Afghanistan monitored it.", "United Nations Assistance Mission in Afghanistan", true},
		{"The United Nations Office of West Africa convened it.", "United Nations Office for West Africa", true},
		{"The U.N. Office for Drugs and Crime trained them.", "United Nations Office on Drugs and Crime", true},
		{"Deputies of the Marshals Service tracked fugitives.", "U.S. Marshals Service", true},
		{"The Haitian Coast Guard patrolled the bay.", "U.S. Coast Guard", false},
	})
}

// orgCase is a text and whether the tagger tags organization want in it.
type orgCase struct {
	text, want string
	tagged     bool
}

// checkTagged tags each case's text as a passage of a justice.gov page
// (a publisher other than the State Department) and checks its want.
func checkTagged(t *testing.T, cases []orgCase) {
	t.Helper()
	tg := mustTagger(t)
	for _, tt := range cases {
		got := slices.Contains(tg.Tag(Input{URL: "https://www.justice.gov/x", Text: tt.text}).Organizations, tt.want)
		if got != tt.tagged {
			t.Errorf("Tag(%q) has %q = %v, want %v", tt.text, tt.want, got, tt.tagged)
		}
	}
}

// TestModelledOn: an organization named as the model of another body
// ("FATF-style", "DEA-like") is not tagged; named as itself it is.
func TestModelledOn(t *testing.T) {
	t.Parallel()
	checkTagged(t, []orgCase{
		{"Its FATF-style regional body reviewed the country's laws.", "Financial Action Task Force", false},
		{"The police set up a DEA-like vetted unit for the port.", "Drug Enforcement Administration", false},
		{"The FATF reviewed the country's laws in 2019.", "Financial Action Task Force", true},
		{"DEA agents trained the vetted unit.", "Drug Enforcement Administration", true},
		{"The FATF - style aside - reviewed the laws.", "Financial Action Task Force", true},
		{"It belongs to GIABA, the regional body modeled on the Financial Action Task Force.", "Financial Action Task Force", false},
		{"A unit patterned after the FBI was set up.", "Federal Bureau of Investigation", false},
		{"Auditors relied on the FBI.", "Federal Bureau of Investigation", true},
	})
}
