package tag

import (
	"slices"
	"strings"
	"testing"
)

func TestNonStatePublisher(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct {
		name, url, site string
		want            bool
	}{
		{"host", "https://www.justice.gov/criminal-opdat", "", true},
		{"another agency's host, no site", "https://example.gov/a.html", "", true},
		{"loopback, no site (the crawl's own sites)", "http://127.0.0.1:8080/a.html", "", false},
		{"State host, no site", "https://2009-2017.state.gov/j/inl/", "", false},
		{"embassy host, no site", "https://mx.usembassy.gov/a/", "", false},
		{"archived Justice host", "https://webarchive.library.unt.edu/eot2008/20081104000349/http://www.usdoj.gov/dea/a.html", "", true},
		{"a hearing on govinfo", "https://www.govinfo.gov/content/pkg/CHRG-114hhrg20871/html/CHRG-114hhrg20871.htm", "", true},
		{"a State report on govinfo", "https://www.govinfo.gov/app/details/GOVPUB-S1-PURL-gpo56742/peru", "", false},
		{"site names the Justice Department", "https://example.gov/a.html", "United States Department of Justice", true},
		{"site names GAO by acronym", "https://example.gov/a.html", "U.S. GAO", true},
		{"site names the State Department", "https://example.gov/a.html", "United States Department of State", false},
		{"embassy site", "https://example.gov/a.html", "U.S. Embassy in Peru", false},
		{"consulate site", "https://example.gov/a.html", "U.S. Consulate General Monterrey", false},
		{"mission site", "https://example.gov/a.html", "U.S. Mission to the OSCE", false},
		{"site names INL", "https://example.gov/a.html", "Bureau of International Narcotics and Law Enforcement Affairs", false},
		{"a section's name on a State host", "https://vienna.usmission.gov/statement/", "News", false},
		{"America.gov", "http://www.america.gov/st/texttrans-english/2009/a.html", "America.gov - Fact Sheet", false},
		{"another publisher named on a State host", "https://2009-2017.state.gov/a.html", "United States Department of Justice", true},
		// Any other declared publisher: INL and State are partners there.
		// (The laboratory's "INL" is not the bureau: the ambiguous acronym
		// needs its context, see orgs_test.go.)
		{"laboratory named like INL", "https://example.gov/a.html", "Idaho National Laboratory", true},
		{"a blog", "https://example.gov/a.html", "Istmo Seguro", true},
		{"a bar association", "https://example.gov/a.html", "American Bar Association", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tg.isNonStatePublisher(tt.url, tt.site); got != tt.want {
				t.Errorf("isNonStatePublisher(%q, %q) = %v, want %v", tt.url, tt.site, got, tt.want)
			}
		})
	}
}

func TestPublisherTaggedOnOtherSites(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	text := "The program is funded by the U.S. Department of State's Bureau of International Narcotics and Law Enforcement Affairs (INL)."
	pub := []string{"U.S. Department of State", "Bureau of International Narcotics and Law Enforcement Affairs"}
	for _, tt := range []struct {
		site string
		want bool
	}{{"United States Department of Justice", true}, {"", false}, {"U.S. Department of State", false}} {
		got := tg.Tag(Input{URL: "https://www.state.gov/p.html", Site: tt.site, Text: text}).Organizations
		for _, o := range pub {
			if slices.Contains(got, o) != tt.want {
				t.Errorf("site %q: organizations %q, want %q tagged = %v", tt.site, got, o, tt.want)
			}
		}
	}
}

func TestCoordinatedNames(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	const uscg = "U.S. Coast Guard"
	tests := []struct {
		text string
		want bool
	}{
		{"Crews were taught by U.S. Navy and Coast Guard instructors.", true},
		{"Crews were taught by United States Army and Coast Guard instructors.", true},
		{"The Colombian Navy and Coast Guard patrol both coasts.", false},
		{"The U.S. embassy and Coast Guard officers met.", false},
		{"U.S. officials met. Coast Guard crews sailed.", false},
		{"U.S. and Coast Guard officials met.", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got := tg.Tag(Input{URL: statePage, Text: tt.text}).Organizations
			if slices.Contains(got, uscg) != tt.want {
				t.Errorf("Tag(%q) organizations = %q, want %s tagged = %v", tt.text, got, uscg, tt.want)
			}
		})
	}
}

func TestMemberStatesNameTheOrganization(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	got := tg.Tag(Input{URL: statePage, Text: "In 2013 CARICOM member states submitted 3,000 trace requests."}).Organizations
	if !slices.Contains(got, "Caribbean Community") {
		t.Errorf("organizations = %q, want Caribbean Community", got)
	}
	got = tg.Tag(Input{URL: statePage, Text: "It helps UN Member States ratify the conventions."}).Organizations
	if slices.Contains(got, "United Nations") {
		t.Errorf("organizations = %q, want no United Nations for the generic UN Member States", got)
	}
}

func TestPublisherOrgs(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct {
		name, url, site string
		want            string // "" when the publisher is no taxonomy organization; "A|B" for two
	}{
		{"GAO by host", "https://www.gao.gov/products/gao-13-771", "", "Government Accountability Office"},
		{"GAO by site, US prefix", "https://example.gov/a.html", "U.S. GAO", "Government Accountability Office"},
		{"Justice by site", "https://example.gov/a.html", "United States Department of Justice", "U.S. Department of Justice"},
		{"Justice by host", "https://www.justice.gov/opa/pr/a-release", "", "U.S. Department of Justice"},
		{"a component's own section", "https://www.justice.gov/criminal-icitap/haiti", "", "International Criminal Investigative Training Assistance Program|U.S. Department of Justice"},
		{"a component's archived section", "https://web.archive.org/web/2015/http://www.justice.gov/criminal/opdat/", "", "Office of Overseas Prosecutorial Development, Assistance and Training|U.S. Department of Justice"},
		{"a page named after a component is no section of it", "https://www.justice.gov/opa/icitap-trains-police", "", "U.S. Department of Justice"},
		{"a short folder name is no acronym", "https://www.unodc.org/doc/a.pdf", "", "United Nations Office on Drugs and Crime"},
		{"inspector general inside a department's host", "https://oig.justice.gov/reports/a", "", ""},
		{"UNODC site written in two parts", "https://example.org/a", "United Nations : Office on Drugs and Crime", "United Nations Office on Drugs and Crime"},
		{"UNDP site with menu words", "https://example.org/a", "UNDP · Scam alert · Terms of use", "United Nations Development Programme"},
		{"OAS site over CICAD host", "http://www.cicad.oas.org/Main/Template.asp", "Organization of American States", "Organization of American States"},
		{"CICAD host without site", "http://www.cicad.oas.org/Main/Template.asp", "", "Inter-American Drug Abuse Control Commission"},
		{"acronym and name", "https://example.org/a", "OAS - Organization of American States", "Organization of American States"},
		{"ABA by name", "https://example.org/a", "American Bar Association", "ABA Rule of Law Initiative"},
		{"a body named inside a longer name", "https://example.org/a", "DEA Sensitive Investigative Unit", ""},
		{"UN information service", "https://example.org/a", "United Nations Information Service Vienna", ""},
		{"newspaper", "https://www.dawn.com/news/1", "Dawn", ""},
		{"State page", "https://2009-2017.state.gov/j/inl/", "U.S. Department of State", "U.S. Department of State"},
		{"an agency's pages on its parent's host", "https://www.justice.gov/archive/dea/pubs/pressrel/pr090711.html", "", "Drug Enforcement Administration"},
		{"archived agency pages under a path", "https://webarchive.library.unt.edu/eot2008/20081104000349/http://www.usdoj.gov/dea/pubs/pressrel/pr091506.html", "", "Drug Enforcement Administration"},
		{"the parent's other pages", "https://www.justice.gov/archive/opa/pr/2011/a.html", "", "U.S. Department of Justice"},
		{"a path that only begins like the agency's", "https://www.justice.gov/archive/deadlines.html", "", "U.S. Department of Justice"},
		{"an EU institution's host", "https://www.eeas.europa.eu/delegations/kazakhstan/a_en", "", "European Union"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for i := range tg.publisherOrgs(tt.url, tt.site) {
				got = append(got, tg.orgs[i].Name)
			}
			var want []string
			if tt.want != "" {
				want = strings.Split(tt.want, "|")
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("publisherOrgs(%q, %q) = %q, want %q", tt.url, tt.site, got, want)
			}
		})
	}
}

func TestPublisherNotTagged(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	text := "The Department of Justice and the State Department's Bureau of International Narcotics and Law Enforcement Affairs trained prosecutors with OPDAT."
	got := tg.Tag(Input{URL: "https://www.justice.gov/criminal-opdat/kenya", Site: "United States Department of Justice", Text: text})
	// OPDAT's own page: the component and its department publish it
	for _, pub := range []string{"U.S. Department of Justice", "Office of Overseas Prosecutorial Development, Assistance and Training"} {
		if slices.Contains(got.Organizations, pub) {
			t.Errorf("the publisher %q is tagged on its own page: %q", pub, got.Organizations)
		}
	}
	for _, want := range []string{"Bureau of International Narcotics and Law Enforcement Affairs", "U.S. Department of State"} {
		if !slices.Contains(got.Organizations, want) {
			t.Errorf("%q missing from %q", want, got.Organizations)
		}
	}
	// the department's other pages tag the component it speaks of
	got = tg.Tag(Input{URL: "https://www.justice.gov/opa/pr/kenya-prosecutors", Site: "United States Department of Justice", Text: text})
	if !slices.Contains(got.Organizations, "Office of Overseas Prosecutorial Development, Assistance and Training") || slices.Contains(got.Organizations, "U.S. Department of Justice") {
		t.Errorf("a Justice press release: %q, want OPDAT and not the department", got.Organizations)
	}
	// the same text on a newspaper's page tags the Justice Department
	got = tg.Tag(Input{URL: "https://www.dawn.com/news/1", Site: "Dawn", Text: text})
	if !slices.Contains(got.Organizations, "U.S. Department of Justice") {
		t.Errorf("Justice Department not tagged on another publisher's page: %q", got.Organizations)
	}
}

func TestDescribedINL(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	const inl = "Bureau of International Narcotics and Law Enforcement Affairs"
	tests := []struct {
		text string
		want bool
	}{
		{"The State Department's narcotics bureau supplied much of the fleet.", true},
		{"Alongside the aircraft, the State Department's narcotics and law enforcement bureau is paying for the retraining.", true},
		{"The Department of State, through its narcotics and law enforcement assistance program, has provided boats.", true},
		{"Funds came from the State Department's International Narcotics and Law Enforcement section.", true},
		// no bureau follows, or the Department is not the subject of the description
		{"The State Department said narcotics seizures rose.", false},
		{"The Department of State. Narcotics bureau officials in Lima declined to comment.", false},
		{"The national narcotics bureau of Thailand seized the chemicals.", false},
	}
	for _, tt := range tests {
		got := tg.Tag(Input{URL: "https://www.latimes.com/a", Site: "Los Angeles Times", Text: tt.text}).Organizations
		if slices.Contains(got, inl) != tt.want {
			t.Errorf("%q: organizations %q, want INL = %v", tt.text, got, tt.want)
		}
		// on the Department's own pages it is the publisher
		got = tg.Tag(Input{URL: "https://www.state.gov/a", Text: tt.text}).Organizations
		if slices.Contains(got, inl) {
			t.Errorf("%q on state.gov: organizations %q, want no INL", tt.text, got)
		}
	}
}

func TestUNOnItsBodiesPages(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	text := "The designations used on this map do not imply endorsement by the United Nations. UNODC worked with the Organization of American States."
	got := tg.Tag(Input{URL: "https://www.unodc.org/wdr2019/a.html", Text: text}).Organizations
	if slices.Contains(got, "United Nations") || slices.Contains(got, "United Nations Office on Drugs and Crime") {
		t.Errorf("UNODC's page: organizations %q, want neither the UN nor UNODC", got)
	}
	if !slices.Contains(got, "Organization of American States") {
		t.Errorf("UNODC's page: organizations %q, want the OAS", got)
	}
	got = tg.Tag(Input{URL: "https://www.dawn.com/news/1", Site: "Dawn", Text: "The United Nations Security Council met. UNODC said seizures rose."}).Organizations
	if !slices.Contains(got, "United Nations") {
		t.Errorf("a newspaper's page: organizations %q, want the UN", got)
	}
}
