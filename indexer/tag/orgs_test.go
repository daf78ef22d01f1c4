package tag

import (
	"slices"
	"sync"
	"testing"
)

var (
	testTaggerOnce sync.Once
	testTagger     *Tagger
)

// mustTagger returns the shared tagger of the tests (read-only after New).
func mustTagger(tb testing.TB) *Tagger {
	tb.Helper()
	testTaggerOnce.Do(func() {
		t, err := New()
		if err != nil {
			tb.Fatalf("New() = %v", err)
		}
		testTagger = t
	})
	return testTagger
}

const statePage = "https://2009-2017.state.gov/j/inl/rls/fs/1.htm"

func TestOrganizations(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct {
		name string
		url  string
		text string
		want []string // organizations that must be tagged
		not  []string // organizations that must not be tagged
	}{
		{"acronym", statePage, "Officers from ICE and the FBI taught the course.",
			[]string{"U.S. Immigration and Customs Enforcement", "Federal Bureau of Investigation"}, nil},
		{"the Department on the State inspector general's report", "https://www.stateoig.gov/report/isp-i-19-17",
			"The Department concurred with 20 recommendations and the Department's aviation program grew.",
			[]string{"U.S. Department of State"}, nil},
		{"the Department on another inspector general's report", "https://oig.justice.gov/reports/a",
			"The Department concurred with the recommendations.", nil, []string{"U.S. Department of State"}},
		{"another department's name on the State inspector general's report", "https://www.stateoig.gov/report/b",
			"OIG shared the findings with the Department of Justice.", []string{"U.S. Department of Justice"}, []string{"U.S. Department of State"}},
		{"another body whose name holds a taxonomy name", "https://www.thisdaylive.com/news/1",
			"Officers of the Department of State Services joined the raid; the U.S. Department of State welcomed it.",
			[]string{"U.S. Department of State"}, nil},
		{"another body's name alone", "https://www.thisdaylive.com/news/2",
			"Officers of the Department of State Services joined the raid.",
			nil, []string{"U.S. Department of State"}},
		{"acronym is case-sensitive", statePage, "The roads were covered in ice and the fbi van slid.",
			nil, []string{"U.S. Immigration and Customs Enforcement", "Federal Bureau of Investigation"}},
		{"acronym inside a word", statePage, "The OASIS project funds shelters.",
			nil, []string{"Organization of American States"}},
		{"UN short form of a full name", statePage, "INL funds the UN Office on Drugs and Crime in Vienna.",
			[]string{"United Nations Office on Drugs and Crime"}, []string{"United Nations"}},
		{"full name in any case", statePage, "THE UNITED NATIONS OFFICE ON DRUGS AND CRIME REPORTED.",
			[]string{"United Nations Office on Drugs and Crime"}, nil},
		{"extra comma and possessive", statePage,
			"It works with the Department of Justice's Office of Overseas Prosecutorial Development, Assistance, and Training.",
			[]string{"U.S. Department of Justice", "Office of Overseas Prosecutorial Development, Assistance and Training"}, nil},
		{"United States spelled out", statePage, "The United States Coast Guard trained boat crews.",
			[]string{"U.S. Coast Guard"}, nil},
		{"US without periods", statePage, "US Customs and Border Protection advisors deployed.",
			[]string{"U.S. Customs and Border Protection"}, nil},
		{"ampersand", statePage, "The Bureau of Alcohol, Tobacco, Firearms & Explosives traced the rifles.",
			[]string{"Bureau of Alcohol, Tobacco, Firearms and Explosives"}, nil},
		{"en dash in a name", statePage, "Police advisors served with the African Union–United Nations Hybrid Operation in Darfur.",
			[]string{"African Union-United Nations Hybrid Operation in Darfur"}, []string{"African Union", "United Nations"}},
		{"drug enforcement agency alias", statePage, "Agents of the Drug Enforcement Agency joined the raid.",
			[]string{"Drug Enforcement Administration"}, nil},
		{"ambiguous AU without context", statePage, "The AU team met on Monday.",
			nil, []string{"African Union"}},
		{"AU after its full name", statePage, "The African Union (AU) sent observers; later the AU extended the mission.",
			[]string{"African Union"}, nil},
		{"EU with context", statePage, "The EU and its member states fund border posts.",
			[]string{"European Union"}, nil},
		{"EU without context", statePage, "Shipments left the EU port at night.",
			nil, []string{"European Union"}},
		{"OTA needs Treasury", statePage, "An OTA advisor arrived.", nil, []string{"Office of Technical Assistance"}},
		{"OTA with Treasury", statePage, "A Treasury OTA advisor helped the ministry.", []string{"Office of Technical Assistance"}, nil},
		{"DOC needs Commerce", statePage, "See the DOC file attached.", nil, []string{"U.S. Department of Commerce"}},
		{"publisher never tagged on State pages", statePage,
			"The Bureau of International Narcotics and Law Enforcement Affairs (INL) and the Department of State fund it.",
			nil, []string{"Bureau of International Narcotics and Law Enforcement Affairs", "U.S. Department of State"}},
		{"publisher tagged on a GAO page", "https://www.gao.gov/products/GAO-13-367R",
			"State's Bureau of International Narcotics and Law Enforcement Affairs (INL) manages the narcotics program.",
			[]string{"Bureau of International Narcotics and Law Enforcement Affairs"}, nil},
		{"INL from its domain context on another publisher's page", "https://www.justice.gov/criminal-opdat/kenya",
			"With INL funding, OPDAT trained prosecutors to try poachers.",
			[]string{"Bureau of International Narcotics and Law Enforcement Affairs"}, nil},
		{"an embassy's INL section is INL's", "https://www.premiumtimesng.com/news/1.html",
			"The U.S. Embassy's International Narcotics and Law Enforcement Affairs section is supporting training.",
			[]string{"Bureau of International Narcotics and Law Enforcement Affairs"}, []string{"Narcotics Affairs Section"}},
		{"the Narcotics Affairs Section implies INL", "https://www.gao.gov/assets/a1.html",
			"State's Narcotics Affairs Section in Bogota began turning over aircraft.",
			[]string{"Narcotics Affairs Section", "Bureau of International Narcotics and Law Enforcement Affairs", "U.S. Department of State"}, nil},
		{"bare State as auditors name it", "https://www.gao.gov/assets/a2.html",
			"From 2008 through 2012 State and USAID allocated $495 million. A share of State-funded programs went to police.",
			[]string{"U.S. Department of State", "U.S. Agency for International Development"}, nil},
		{"a state is no Department", "https://www.gao.gov/assets/a3.html",
			"The Islamic State's fighters fled; each member State and the State Police of Jalisco reported.",
			nil, []string{"U.S. Department of State"}},
		{"UN as a modifier names its body, not the UN", "https://www.gao.gov/assets/a4.html",
			"Officers served with UN police and the UN mission, with U.S. and UN support.",
			nil, []string{"United Nations"}},
		{"UN peacekeepers are the UN's", "https://www.gao.gov/assets/a6.html",
			"UN peacekeepers patrolled the capital.", []string{"United Nations"}, nil},
		{"the UN as an actor", "https://www.gao.gov/assets/a5.html",
			"The UN and the OAS co-hosted the meeting; the United Nations agreed.",
			[]string{"United Nations", "Organization of American States"}, nil},
		{"Idaho National Laboratory is not INL", "https://www.gao.gov/x", "The Idaho National Laboratory (INL) tests reactors.",
			nil, []string{"Bureau of International Narcotics and Law Enforcement Affairs"}},
		{"host-government body", statePage, "The Liberia Drug Enforcement Agency seized cocaine; the Haitian Coast Guard patrolled.",
			nil, []string{"Drug Enforcement Administration", "U.S. Coast Guard"}},
		{"initiative and treaties are not organizations", statePage,
			"Under the Merida Initiative and CARSI, and the UNCAC and the 1988 UN Drug Convention, partners cooperate under the UN drug conventions.",
			nil, []string{"United Nations"}},
		{"UN instrument", statePage, "Prisons follow the United Nations Standard Minimum Rules.", nil, []string{"United Nations"}},
		{"ILEA is an organization", statePage, "Graduates of ILEA Bangkok and other ILEAs returned home.",
			[]string{"International Law Enforcement Academy"}, nil},
		{"Pact as an implementer", statePage, "The NGO Pact implements the grant with local partners.", []string{"Pact"}, nil},
		{"Paris Pact is an initiative", statePage, "The Paris Pact partners met; the NGO community attended.", nil, []string{"Pact"}},
		{"pact as a word", statePage, "The two ministers signed a pact.", nil, []string{"Pact"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tg.Tag(Input{URL: tc.url, Text: tc.text}).Organizations
			checkTags(t, "Organizations", tc.text, got, tc.want, tc.not)
		})
	}
}

// TestTaxonomyOrganizations checks that every organization of TAXONOMY.md is known.
func TestTaxonomyOrganizations(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	names := map[string]bool{}
	for _, o := range tg.orgs {
		names[o.Name] = true
	}
	for _, n := range []string{
		"United Nations Office on Drugs and Crime", "Inter-American Drug Abuse Control Commission", "Organization of American States",
		"International Narcotics Control Board", "Egmont Group of Financial Intelligence Units", "United Nations Assistance Mission in Afghanistan",
		"United Nations Mission in Sudan", "African Union-United Nations Hybrid Operation in Darfur", "United Nations Mission in Liberia",
		"United Nations Stabilization Mission in Haiti", "United Nations Mission for Justice Support in Haiti", "United Nations",
		"Council of Europe", "European Union", "Group of Eight", "Economic Community of West African States", "United Nations Office for West Africa",
		"Central American Integration System", "Caribbean Community", "INTERPOL", "Colombo Plan", "Pan American Health Organization",
		"African Union", "International Development Law Organization", "United Nations Development Programme",
		"United Nations Office for Project Services", "Central Asian Regional Information and Coordination Center",
		"International Law Enforcement Academy", "U.S. Department of Justice", "Drug Enforcement Administration",
		"Federal Bureau of Investigation", "Office of Overseas Prosecutorial Development, Assistance and Training",
		"International Criminal Investigative Training Assistance Program", "Computer Crime and Intellectual Property Section",
		"Office of International Affairs", "Asset Forfeiture and Money Laundering Section", "Environment and Natural Resources Division",
		"U.S. Marshals Service", "Bureau of Alcohol, Tobacco, Firearms and Explosives", "Federal Bureau of Prisons",
		"U.S. Department of Homeland Security", "U.S. Immigration and Customs Enforcement", "U.S. Customs and Border Protection",
		"U.S. Coast Guard", "U.S. Department of Defense", "U.S. Central Command", "U.S. Security Coordinator",
		"Office of National Drug Control Policy", "U.S. Agency for International Development", "U.S. Department of the Treasury",
		"Financial Crimes Enforcement Network", "Internal Revenue Service", "Office of the Comptroller of the Currency",
		"Office of Technical Assistance", "Federal Deposit Insurance Corporation", "Central Intelligence Agency",
		"U.S. Department of Commerce", "U.S. Department of the Interior", "U.S. Fish and Wildlife Service", "U.S. Forest Service",
		"National Oceanic and Atmospheric Administration", "Millennium Challenge Corporation", "Government Accountability Office",
		"Court Services and Offender Supervision Agency", "Administrative Office of the U.S. Courts", "Law Library of Congress",
		"New York Police Department", "Texas Department of Public Safety", "ABA Rule of Law Initiative", "Pact",
		"Strategic Capacity Group", "DevTech Systems", "Financial Action Task Force", "Caribbean Financial Action Task Force",
	} {
		if !names[n] {
			t.Errorf("organizations.json lacks %q", n)
		}
	}
}

// TestGenericOfficeOfAnotherAgency checks that a generic office name is the
// taxonomy's office only where the page speaks of its owner and no other
// agency claims it.
func TestGenericOfficeOfAnotherAgency(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	const oia = "Office of International Affairs"
	for _, c := range []struct {
		text string
		want bool
	}{
		{"The Justice Department handles extradition requests. Its Office of International Affairs reviewed 40 of them.", true},
		{"The Justice Department trains prosecutors. DOJ's Office of International Affairs reviewed the request.", true},
		{"The Justice Department trains prosecutors, and CBP's Office of International Affairs trained customs officers.", false},
		{"By a Program Manager, Office of International Affairs. A new border crossing opened in Georgia.", false},
	} {
		got := slices.Contains(tg.Tag(Input{URL: "https://www.example.com/news/1", Site: "Example News", Text: c.text}).Organizations, oia)
		if got != c.want {
			t.Errorf("Tag(%q): %s tagged %v, want %v", c.text, oia, got, c.want)
		}
	}
	const ota = "Office of Technical Assistance"
	text := "The Treasury Department's Office of Technical Assistance will help the financial intelligence unit."
	if got := tg.Tag(Input{URL: "https://www.example.com/news/2", Site: "Example News", Text: text}).Organizations; !slices.Contains(got, ota) {
		t.Errorf("Tag(%q) = %q, want %s (its owner's words before the possessive)", text, got, ota)
	}
}
