package corpus

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goldPage is one hand-tagged page of gold/*.json.
type goldPage struct {
	Path          string   `json:"path"`
	Title         string   `json:"title"`
	Type          string   `json:"type"`
	Organizations []string `json:"organizations"`
	Countries     []string `json:"countries"`
	Regions       []string `json:"regions"`
	Topics        []string `json:"topics"`
	Years         []int    `json:"years"`
}

// The canonical values of /work/notes/TAXONOMY.md.
var (
	goldTypes = []string{"partnerships", "country program", "strategy report", "fact sheet",
		"focus page", "press release", "remarks and testimony", "budget justification", "other"}
	goldTopics = []string{"counternarcotics", "eradication and alternative development",
		"interdiction and border security", "aviation", "precursor chemicals",
		"demand reduction and treatment", "money laundering", "asset forfeiture", "corruption",
		"organized crime", "gangs and violence prevention", "terrorism", "arms trafficking",
		"human trafficking", "migrant smuggling", "wildlife trafficking",
		"cybercrime and intellectual property", "police training", "justice sector reform",
		"corrections", "rule of law", "maritime security", "container and port control",
		"violence against women", "extradition and legal cooperation"}
	goldRegions = []string{"Africa", "East Asia and Pacific", "Europe and Eurasia", "Near East",
		"South and Central Asia", "Western Hemisphere", "Central America", "Caribbean",
		"Andean region", "West Africa", "East Africa", "Central Asia", "Southeast Asia", "Sahel",
		"Latin America", "South America", "Southwest Asia", "Pacific", "Europe"}
	goldOrganizations = []string{
		"United Nations Office on Drugs and Crime", "Inter-American Drug Abuse Control Commission",
		"Organization of American States", "International Narcotics Control Board",
		"Egmont Group of Financial Intelligence Units", "United Nations Assistance Mission in Afghanistan",
		"United Nations Mission in Sudan", "African Union-United Nations Hybrid Operation in Darfur",
		"United Nations Mission in Liberia", "United Nations Stabilization Mission in Haiti",
		"United Nations Mission for Justice Support in Haiti", "United Nations", "Council of Europe",
		"European Union", "Group of Eight", "Economic Community of West African States",
		"United Nations Office for West Africa", "Central American Integration System",
		"Caribbean Community", "INTERPOL", "Colombo Plan", "Pan American Health Organization",
		"African Union", "International Development Law Organization",
		"United Nations Development Programme", "United Nations Office for Project Services",
		"Central Asian Regional Information and Coordination Center",
		"International Law Enforcement Academy", "U.S. Department of Justice",
		"Drug Enforcement Administration", "Federal Bureau of Investigation",
		"Office of Overseas Prosecutorial Development, Assistance and Training",
		"International Criminal Investigative Training Assistance Program",
		"Computer Crime and Intellectual Property Section", "Office of International Affairs",
		"Asset Forfeiture and Money Laundering Section", "Environment and Natural Resources Division",
		"U.S. Marshals Service", "Bureau of Alcohol, Tobacco, Firearms and Explosives",
		"Federal Bureau of Prisons", "U.S. Department of Homeland Security",
		"U.S. Immigration and Customs Enforcement", "U.S. Customs and Border Protection",
		"U.S. Coast Guard", "U.S. Department of Defense", "U.S. Central Command",
		"U.S. Security Coordinator", "Office of National Drug Control Policy",
		"U.S. Agency for International Development", "U.S. Department of the Treasury",
		"Financial Crimes Enforcement Network", "Internal Revenue Service",
		"Office of the Comptroller of the Currency", "Office of Technical Assistance",
		"Federal Deposit Insurance Corporation", "Central Intelligence Agency",
		"U.S. Department of Commerce", "U.S. Department of the Interior",
		"U.S. Fish and Wildlife Service", "U.S. Forest Service",
		"National Oceanic and Atmospheric Administration", "Millennium Challenge Corporation",
		"Government Accountability Office", "Court Services and Offender Supervision Agency",
		"Administrative Office of the U.S. Courts", "Law Library of Congress",
		"New York Police Department", "Texas Department of Public Safety", "ABA Rule of Law Initiative",
		"Pact", "Strategic Capacity Group", "DevTech Systems", "Financial Action Task Force",
		"Caribbean Financial Action Task Force"}
	// goldNotCountries are names a gold file must never list as a country.
	goldNotCountries = []string{"United States", "USA", "Myanmar", "Lao PDR", "Kyrgyz Republic",
		"Russian Federation", "The Bahamas", "Ivory Coast", "West Bank", "Gaza", "Southern Sudan"}
)

// mustGold reads every gold/*.json file, keyed by file name.
func mustGold(tb testing.TB) map[string][]goldPage {
	tb.Helper()
	names, err := filepath.Glob("gold/*.json")
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]goldPage{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		var gp []goldPage
		if err := json.Unmarshal(b, &gp); err != nil {
			tb.Fatalf("parse %s: %v", n, err)
		}
		out[n] = gp
	}
	return out
}

func TestGoldFilesAreValid(t *testing.T) {
	t.Parallel()
	gold := mustGold(t)
	if len(gold) == 0 {
		t.Fatal("no gold files")
	}
	s := mustSite(t)
	seen := map[string]string{}
	for file, pages := range gold {
		for _, g := range pages {
			t.Run(file+g.Path, func(t *testing.T) {
				if prev, dup := seen[g.Path]; dup {
					t.Errorf("%s tagged again (also in %s)", g.Path, prev)
				}
				seen[g.Path] = file
				p, ok := s.byPath[g.Path]
				if !ok {
					t.Fatalf("gold path %s is not a page of the site", g.Path)
				}
				if strings.HasPrefix(g.Path, Disallowed) {
					t.Errorf("gold tags a disallowed page")
				}
				if _, _, err := Render(g.Path); err != nil {
					t.Errorf("Render: %v", err)
				}
				if g.Title != p.Title {
					t.Errorf("title = %q, page says %q", g.Title, p.Title)
				}
				checkIn(t, "type", []string{g.Type}, goldTypes)
				checkIn(t, "topic", g.Topics, goldTopics)
				checkIn(t, "region", g.Regions, goldRegions)
				checkIn(t, "organization", g.Organizations, goldOrganizations)
				for _, c := range g.Countries {
					if slices.Contains(goldNotCountries, c) || c == "" {
						t.Errorf("country %q is not a canonical country value", c)
					}
				}
				for _, y := range g.Years {
					if y < 1960 || y > 2035 {
						t.Errorf("year %d out of range", y)
					}
				}
			})
		}
	}
	// Every public page must be tagged once the gold files exist.
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if _, ok := seen[p.Path]; !ok {
			t.Errorf("page %s has no gold entry", p.Path)
		}
	}
	// The embedded site must not carry the gold files.
	if _, err := fs.Stat(files, "site/gold"); err == nil {
		t.Errorf("gold files are inside the served site")
	}
}

func checkIn(tb testing.TB, kind string, got, allowed []string) {
	tb.Helper()
	seen := map[string]bool{}
	for _, v := range got {
		if !slices.Contains(allowed, v) {
			tb.Errorf("%s %q is not in the taxonomy", kind, v)
		}
		if seen[v] {
			tb.Errorf("%s %q listed twice", kind, v)
		}
		seen[v] = true
	}
}
