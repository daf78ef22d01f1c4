package tag

import (
	"testing"
)

func TestCountries(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct {
		name  string
		title string
		text  string
		want  []string
		not   []string
	}{
		{"name", "", "Programs continue in Afghanistan and Peru.", []string{"Afghanistan", "Peru"}, nil},
		{"demonym", "", "Afghan police and Mexican authorities met Colombian prosecutors.", []string{"Afghanistan", "Mexico", "Colombia"}, nil},
		{"a plural demonym names people by their origin", "", "Thousands of Somalis and Ethiopians cross to Yemen each year.",
			[]string{"Yemen"}, []string{"Somalia", "Ethiopia"}},
		{"a demonym adjective names the state's forces", "", "Haitian police and Iraqi border guards were trained.", []string{"Haiti", "Iraq"}, nil},
		{"host-government body tags its country", "", "The Lebanese Internal Security Forces received vehicles.", []string{"Lebanon"}, nil},
		{"aliases to display names", "", "Burma, Myanmar, Lao PDR, the Kyrgyz Republic, the Russian Federation and The Bahamas.",
			[]string{"Burma", "Laos", "Kyrgyzstan", "Russia", "Bahamas"}, []string{"Myanmar", "Lao People's Democratic Republic"}},
		{"West Bank and Ivory Coast", "", "Programs in the West Bank and in Ivory Coast.", []string{"Palestinian Territories", "Côte d'Ivoire"}, nil},
		{"Southern Sudan is South Sudan", "", "In 2008 INL opened an office in Southern Sudan.", []string{"South Sudan"}, []string{"Sudan"}},
		{"Sudan alone", "", "Darfur lies in western Sudan.", []string{"Sudan"}, []string{"South Sudan"}},
		{"United States is never a country", "", "The United States and American advisors helped U.S. partners in America.", nil, []string{"United States"}},
		{"New Mexico is not Mexico", "", "ILEA Roswell is in New Mexico.", nil, []string{"Mexico"}},
		{"District of Colombia is not Colombia", "", "Partners in 25 states and the District of Colombia.", nil, []string{"Colombia"}},
		{"Atlanta, Georgia", "", "The seminar took place in Atlanta, Georgia.", nil, []string{"Georgia"}},
		{"Georgia the country", "", "Georgia and Moldova host advisors.", []string{"Georgia", "Moldova"}, nil},
		{"Niger and Nigeria", "", "Niger borders Nigeria.", []string{"Niger", "Nigeria"}, nil},
		{"Guinea variants", "", "Guinea-Bissau, Papua New Guinea and Equatorial Guinea.",
			[]string{"Guinea-Bissau", "Papua New Guinea", "Equatorial Guinea"}, []string{"Guinea"}},
		{"Dominica and the Dominican Republic", "", "Flights to the Dominican Republic.", []string{"Dominican Republic"}, []string{"Dominica"}},
		{"Dominica alone", "", "Dominica joined the program.", []string{"Dominica"}, nil},
		{"a bridge named after a country", "", "The funds go to the Second Niger Bridge near Onitsha, Nigeria.", []string{"Nigeria"}, []string{"Niger"}},
		{"a strait", "", "Hashish crosses the Strait of Gibraltar to Spain.", []string{"Spain"}, []string{"Gibraltar"}},
		{"a town ending with a capital's name", "", "Troops retook Mocímboa da Praia in Mozambique.", []string{"Mozambique"}, []string{"Cabo Verde"}},
		{"a postal address", "", "IDLO, Viale Vaticano 106, 00165 Rome, Italy.", nil, []string{"Italy"}},
		{"a year is no postal code", "", "In 2012 Italy joined the programme.", []string{"Italy"}, nil},
		{"Congo variants", "", "The Democratic Republic of the Congo and the Republic of the Congo.",
			[]string{"Democratic Republic of the Congo", "Republic of the Congo"}, nil},
		{"Jordan and Hong Kong", "", "Training in Jordan and Hong Kong.", []string{"Jordan", "Hong Kong"}, nil},
		{"a programme city stands for its country", "", "Advisors in Budapest and Bangkok, São Paulo and Port of Spain.",
			[]string{"Hungary", "Thailand", "Brazil", "Trinidad and Tobago"}, []string{"Spain"}},
		{"an institution's seat is no programme place", "", "Officers attend the International Law Enforcement Academy in Budapest.", nil, []string{"Hungary"}},
		{"a list of seats", "", "Academies in Bangkok (1999), Gaborone (2001) and San Salvador (2005).", nil,
			[]string{"Thailand", "Botswana", "El Salvador"}},
		{"seats written in lower case, after a verb, and a list going on after a seat's country", "",
			"Its sister academies in Budapest and Bangkok serve other regions. The first academy opened in Gaborone, Botswana, in 2001, followed by San Salvador. A regional training center in Lima, Peru, joined them. Advisors in Accra.",
			[]string{"Ghana"}, []string{"Hungary", "Thailand", "Botswana", "El Salvador", "Peru"}},
		{"a city after a seat's list is a place again", "", "The Coordination Center in Almaty works with advisors posted to Bishkek.", []string{"Kyrgyzstan"}, []string{"Kazakhstan"}},
		{"a seat's country in a dateline", "", "Assistant Secretary – Vienna, Austria – March 13, 2017", nil, []string{"Austria"}},
		{"nationality of a person or community", "", "A Liberian national and the Lebanese community; the Kenyan-led mission.", nil,
			[]string{"Liberia", "Lebanon", "Kenya"}},
		{"a demonym of an institution still tags", "", "Colombian police and Ecuadorian officers met.", []string{"Colombia", "Ecuador"}, nil},
		{"a pager of neighbouring chapters", "", "‹ Kazakhstan · Kyrgyz Republic ›\nKenya is a hub.", []string{"Kenya"}, []string{"Kazakhstan", "Kyrgyzstan"}},
		{"a strait named after a country", "", "Ships pass the Singapore Strait near Batam, Indonesia.", []string{"Indonesia"}, []string{"Singapore"}},
		{"an agency named after a country", "", "Led by Expertise France with the Royal Canadian Mounted Police.", nil, []string{"France", "Canada"}},
		{"the ends of an extent", "", "Ghana joined coastal states from Senegal to Angola; Kenya serves neighbors from Somalia to South Sudan.",
			[]string{"Ghana", "Kenya"}, []string{"Senegal", "Angola", "Somalia", "South Sudan"}},
		{"a route is no extent", "", "Cocaine moves from Colombia to Mexico.", []string{"Colombia", "Mexico"}, nil},
		{"the ends of a range of countries", "", "Courts in countries from Panama to Kazakhstan; the Gulf of Guinea, from Senegal to Nigeria; Cocaine moves from Colombia to Mexico.",
			[]string{"Colombia", "Mexico"}, []string{"Panama", "Kazakhstan", "Senegal", "Nigeria"}},
		{"donors named after the list", "", "Canada and other donors funded cells. Germany and Japan also support the programme. In Mexico, the Initiative funds courts.",
			[]string{"Mexico"}, []string{"Canada", "Germany", "Japan"}},
		{"donors with an auxiliary, a comma after the first", "", "Canada and France have contributed to the trust fund. Spain, the European Union and Norway also supported the courts.",
			nil, []string{"Canada", "France", "Spain", "Norway"}},
		{"donor phrases with words inside", "", "It is funded in part by the Government of Japan and financed with a contribution from Sweden. Donors have included the Governments of Denmark and Italy.",
			nil, []string{"Japan", "Sweden", "Denmark", "Italy"}},
		{"a donors line and donor governments", "", "Donors: Sweden · Ireland · Peacebuilding Fund\nIt drew contributions from several donor governments, including Japan.",
			nil, []string{"Sweden", "Ireland", "Japan"}},
		{"a nationality of one person", "", "Among them was Kelvin Smith, 42, a Jamaican. A suspect of dual Dutch and Moroccan nationality fled. Uruguayan trafficker Sebastián Marset escaped.",
			nil, []string{"Jamaica", "Netherlands", "Morocco", "Uruguay"}},
		{"a list after a preposition funds nothing", "", "In Kenya, Tanzania and Mozambique, INL funds training for rangers.",
			[]string{"Kenya", "Tanzania", "Mozambique"}, nil},
		{"a donor list across an abbreviation", "", "The project is financed by the U.S. Department of State and by the Netherlands.", nil, []string{"Netherlands"}},
		{"nationals of", "", "Twelve people were arrested in Guinea-Bissau, including nationals of Colombia and Mali.",
			[]string{"Guinea-Bissau"}, []string{"Colombia", "Mali"}},
		{"one person's nationality", "", "Agents hunted Colombian drug lord Pablo Escobar; a Chinese businesswoman was sentenced in Tanzania.",
			[]string{"Tanzania"}, []string{"Colombia", "China"}},
		{"an institution named by its seat, and the seat's country", "", "Courses at the International Law Enforcement Academy (ILEA) in Gaborone, Botswana. ILEA Bangkok opened in 1999. The Coordination Center (CARICC) in Almaty.",
			nil, []string{"Botswana", "Thailand", "Kazakhstan"}},
		{"port cities", "", "Containers bound for Antwerp are screened in Lomé.", []string{"Belgium", "Togo"}, nil},
		{"an instrument named after a city is no place", "", "Accession to the Budapest Convention on Cybercrime.", nil, []string{"Hungary"}},
		{"seats of international bodies are no programme place", "", "The commission met at UNODC in Vienna.", nil, []string{"Austria"}},
		{"donors are not the subject", "", "Mali trains officers with funding from the European Union, Canada and Japan.",
			[]string{"Mali"}, []string{"Canada", "Japan"}},
		{"donor aside in brackets", "", "Support from the United States (Department of State, INL), Canada and Spain.", nil, []string{"Canada", "Spain"}},
		{"a host body in a list of partners is no donor", "", "The unit is supported by INL and the Colombian National Police.",
			[]string{"Colombia"}, nil},
		{"support for a place is no donor list", "", "The academy is supported by advisors posted in Lima, Peru.", []string{"Peru"}, nil},
		{"migrants from is no grant", "", "Groups move migrants from China and Ecuador.", []string{"China", "Ecuador"}, nil},
		{"person named Chad", "", "Ambassador Chad Smith spoke.", nil, []string{"Chad"}},
		{"lower case is not a place", "", "A turkey and a guinea pig; chad ballots.", nil, []string{"Turkey", "Guinea", "Chad"}},
		{"title counts", "Mexico Program Overview", "The program trains police.", []string{"Mexico"}, nil},
		{"place inside an organization's name", "", "Police advisors served with the United Nations Mission in Sudan (UNMIS).", nil, []string{"Sudan"}},
		{"office of the publisher", "", "Office of Afghanistan and Pakistan Programs (INL/AP), July 24, 2013.", nil, []string{"Afghanistan", "Pakistan"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tg.Tag(Input{Title: tc.title, Text: tc.text}).Countries
			checkTags(t, "Countries", tc.text, got, tc.want, tc.not)
		})
	}
}

func TestRegions(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct {
		name string
		text string
		want []string
		not  []string
	}{
		{"derived bureau and sub-region", "Programs in Honduras.", []string{"Western Hemisphere", "Central America"}, nil},
		{"Mexico is Western Hemisphere only", "Programs in Mexico.", []string{"Western Hemisphere"}, []string{"Central America"}},
		{"Andean and Caribbean", "Peru and Jamaica.", []string{"Andean region", "Caribbean", "Western Hemisphere"}, nil},
		{"Near East members", "Iraq, Lebanon and the West Bank.", []string{"Near East"}, nil},
		{"South and Central Asia", "Tajikistan and Pakistan.", []string{"South and Central Asia", "Central Asia"}, nil},
		{"named region", "Trafficking through West Africa and the Sahel.", []string{"West Africa", "Sahel"}, []string{"Africa"}},
		{"alias of a bureau region", "Partners in the Middle East.", []string{"Near East"}, nil},
		{"Europe implies Europe and Eurasia", "Cocaine headed to Europe.", []string{"Europe", "Europe and Eurasia"}, nil},
		{"European adjective", "European instructors taught.", []string{"Europe"}, nil},
		{"European Union is no place", "The European Union (EU) funds it.", nil, []string{"Europe", "Europe and Eurasia"}},
		{"Pacific", "Southeast Asia, the Pacific, Africa and Latin America.", []string{"Southeast Asia", "Pacific", "East Asia and Pacific", "Africa", "Latin America"}, nil},
		{"Pacific coast is a feature", "Go-fast boats along the Pacific coast and Pacific ports.", nil, []string{"Pacific", "East Asia and Pacific"}},
		{"Caribbean coasts are a feature", "Boats land on the Pacific and Caribbean coasts.", nil, []string{"Caribbean", "Pacific"}},
		{"Caribbean nations", "Caribbean nations share radar data.", []string{"Caribbean"}, nil},
		{"South American adjective", "South American cocaine.", []string{"South America"}, []string{"Western Hemisphere"}},
		{"not regions", "The Golden Triangle, Helmand and the Northern Route.", nil, []string{"Southeast Asia", "South and Central Asia"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tg.Tag(Input{Text: tc.text}).Regions
			checkTags(t, "Regions", tc.text, got, tc.want, tc.not)
		})
	}
}

// TestEveryCountryHasOneBureauRegion checks the region data: every country
// belongs to exactly one of the six bureau regions.
func TestEveryCountryHasOneBureauRegion(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	bureaus := map[string]bool{}
	for _, r := range []string{"Africa", "East Asia and Pacific", "Europe and Eurasia", "Near East", "South and Central Asia", "Western Hemisphere"} {
		bureaus[r] = true
	}
	for _, c := range tg.countries {
		n := 0
		for _, r := range c.regions {
			if bureaus[r] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("country %q has regions %q, want exactly one bureau region", c.name, c.regions)
		}
	}
}
