package pdfgen

import (
	"fmt"
	"time"
)

// Paths of the demo site's PDF documents, as served by package corpus.
const (
	ReportPath     = "/j/inl/rls/nrcrpt/2015/vol1/incsr-2015-volume-1.pdf"
	BudgetPath     = "/j/inl/rls/rpt/cbj/program-and-budget-guide-fy2016.pdf"
	FactSheetPath  = "/j/inl/rls/fs/container-control-fact-sheet.pdf"
	reportHeader   = "International Narcotics Control Strategy Report 2015 - Volume I (demo edition)"
	reportSubtitle = "Volume I: Drug and Chemical Control"
)

// SiteFiles returns the demo site's PDF documents by URL path.
func SiteFiles() (map[string][]byte, error) {
	report, err := StrategyReport(DemoReport())
	if err != nil {
		return nil, err
	}
	budget, err := BudgetGuide("Program and Budget Guide, Fiscal Year 2016 (demo edition)",
		time.Date(2015, 5, 12, 0, 0, 0, 0, time.UTC), budgetIntro, budgetColumns, budgetRows)
	if err != nil {
		return nil, err
	}
	fact, err := FactSheet("Container Control: Profiling Cargo at Seaports and Dry Ports",
		time.Date(2014, 9, 18, 0, 0, 0, 0, time.UTC), factLeft, factRight)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{ReportPath: report, BudgetPath: budget, FactSheetPath: fact}, nil
}

// DemoReport is the demo strategy report: a cover and four country
// chapters. The sentence about the "mangrove checkpoint" appears only on the
// second page of the Honduras chapter (page 6 of the file).
func DemoReport() Report {
	return Report{
		Title:    "International Narcotics Control Strategy Report",
		Subtitle: reportSubtitle,
		Date:     time.Date(2015, 3, 18, 0, 0, 0, 0, time.UTC),
		Header:   reportHeader,
		Chapters: []Chapter{
			{Title: "Mexico", Pages: [][]string{
				{
					"## Overview",
					"Mexico remains a principal transit and source country for heroin, methamphetamine and marijuana destined for the United States, and the government continued to confront transnational criminal organizations whose violence reaches into several northern and western states. Cooperation under the Merida Initiative shifted further from equipment deliveries toward institution building in police, prosecution and corrections services.",
					"Federal authorities reported seizures of precursor chemicals at Pacific ports and the dismantling of clandestine laboratories in the Sierra Madre. State governments asked for more support to train investigators in the accusatorial justice system, which every state must implement by the constitutional deadline.",
					"## Justice Sector Reform",
					"The bureau supported the training of judges, prosecutors, defenders and police in oral trial procedures, and helped state academies adopt standard curricula. Mentors followed cases from arrest through trial so that officers learned to preserve evidence and testify in open court.",
				},
				{
					"## Interdiction and Border Security",
					"Along the southern border the government established new inspection posts and extended biometric registration to travelers entering from Guatemala. Canine teams, nonintrusive inspection equipment and secure communications helped customs officers examine commercial traffic without long delays for legitimate trade.",
					"Maritime interdiction improved as the navy shared information with partners in Central America and coordinated patrols off the Pacific coast, where go-fast boats and semi-submersible vessels continue to carry cocaine northward.",
					"## Demand Reduction",
					"Drug courts now operate in several states; participants receive treatment under judicial supervision instead of incarceration. Community coalitions in border cities trained volunteers to recognize early drug use among adolescents.",
				},
				{
					"## Corrections",
					"Federal and state prisons pursued accreditation by the American Correctional Association, and the bureau financed training in classification of inmates, security audits and the management of high-risk prisoners. Accredited facilities reported fewer escapes and riots than before the program began.",
					"## Money Laundering",
					"Authorities restricted cash deposits in United States dollars and strengthened the financial intelligence unit, which referred a growing number of cases to prosecutors. Forfeiture of assets tied to trafficking remains slow, and the government is drafting a new non-conviction-based forfeiture law.",
				},
			}},
			{Title: "Honduras", Pages: [][]string{
				{
					"## Overview",
					"Honduras is a major transit point for cocaine moving by air and sea from South America. Traffickers use clandestine airstrips in the eastern department of Gracias a Dios and the remote Caribbean coastline, where state presence is weak and communities depend on fishing and small-scale farming.",
					"The government created an interagency task force to interdict illicit flights and destroyed dozens of landing strips. Homicide rates declined from their peak but remain among the highest in the world, driven by gangs, extortion and the struggle over trafficking routes.",
					"## Police Reform",
					"A special commission reviewed the records of police officers and removed those who failed vetting. The bureau supported model police precincts in San Pedro Sula and Tegucigalpa that combine community policing, crime mapping and investigative units working beside prosecutors.",
				},
				{
					"## Maritime Security",
					"Naval units operating from the mangrove checkpoint at Puerto Castilla intercepted several fast boats this year, and the bureau delivered spare parts and maintenance training so that the interceptors stay in service between deployments.",
					"## Gangs and Violence Prevention",
					"School-based prevention programs reached thousands of students in neighborhoods where gangs recruit, and the Gang Resistance Education and Training curriculum was adopted by the national police. Community centers offered vocational training to young people leaving gangs.",
				},
			}},
			{Title: "Peru", Pages: [][]string{
				{
					"## Overview",
					"Peru is among the largest producers of coca leaf and cocaine in the world. The government pursued a strategy combining forced eradication, alternative development and interdiction, concentrating on the valleys of the Apurimac, Ene and Mantaro rivers and on the Huallaga valley.",
					"## Eradication and Alternative Development",
					"Manual eradication teams removed coca from tens of thousands of hectares, and former coca farmers in San Martin received technical assistance to grow cacao and coffee for export. Cooperatives there now sell certified beans to international buyers.",
				},
				{
					"## Interdiction",
					"The national police intercepted cocaine hidden in maritime containers at the port of Callao, with support from a container control unit trained by international partners. Air bridge flights toward Bolivia increased, and the government began discussing a policy on aircraft that refuse to land.",
					"## Precursor Chemicals",
					"Control of kerosene, lime and other chemicals used to process coca paste improved after the government extended registration requirements to more districts and seized illegal fuel shipments on river routes.",
				},
			}},
			{Title: "Afghanistan", Pages: [][]string{
				{
					"## Overview",
					"Afghanistan remains the source of most of the world's illicit opium. Cultivation rose again as insecurity spread in southern provinces and as farmers faced few legal alternatives. The government's counternarcotics police expanded specialized units that investigate trafficking networks.",
					"## Demand Reduction and Treatment",
					"Treatment centers for women and children expanded, and outreach workers reached families in rural districts where addiction is hidden. The bureau supported the training of counselors under a national certification program.",
				},
				{
					"## Justice Sector",
					"The Criminal Justice Task Force prosecuted mid- and high-level traffickers, and the counter narcotics tribunal handled appeals. Mentors helped investigators and prosecutors build cases that rely on evidence rather than confessions.",
					"## Governor-Led Eradication",
					"Provincial governors led eradication campaigns and received awards under the Good Performer's Initiative for provinces that became or remained free of poppy, funding schools, clinics and irrigation projects chosen by local councils.",
				},
			}},
		},
	}
}

var budgetIntro = []string{
	"This guide summarizes the funds requested for international narcotics control and law enforcement programs in the coming fiscal year, by region and by country or program. Amounts are in thousands of United States dollars.",
	"## Summary of Requests by Operating Unit",
}

var budgetColumns = []string{"FY 2014 Actual", "FY 2015 Estimate", "FY 2016 Request"}

var budgetRows = []Row{
	{Label: "Western Hemisphere", Heading: true},
	{Label: "Colombia", Amounts: []string{"142,000", "135,000", "127,000"}},
	{Label: "Mexico", Amounts: []string{"148,100", "114,000", "80,000"}},
	{Label: "Peru", Amounts: []string{"40,000", "40,000", "38,000"}},
	{Label: "Central America Regional Security Initiative", Amounts: []string{"100,000", "110,000", "140,000"}},
	{Label: "Caribbean Basin Security Initiative", Amounts: []string{"27,800", "28,000", "30,000"}},
	{Label: "Africa", Heading: true},
	{Label: "Liberia", Amounts: []string{"9,000", "8,000", "8,000"}},
	{Label: "South Sudan", Amounts: []string{"22,000", "20,000", "17,000"}},
	{Label: "South and Central Asia", Heading: true},
	{Label: "Afghanistan", Amounts: []string{"225,000", "250,000", "250,000"}},
	{Label: "Pakistan", Amounts: []string{"56,300", "53,600", "40,000"}},
	{Label: "Kyrgyz Republic", Amounts: []string{"3,700", "3,500", "3,000"}},
	{Label: "Global Programs", Heading: true},
	{Label: "Anti-Money Laundering Programs", Amounts: []string{"4,500", "4,500", "4,000"}},
	{Label: "Wildlife Trafficking", Amounts: []string{"5,000", "8,000", "10,000"}},
}

var factLeft = []string{
	"## The Problem",
	"Nearly all world trade travels in shipping containers, and only a small share of them is ever inspected. Traffickers hide cocaine, precursor chemicals, counterfeit goods and protected wildlife among legitimate cargo, counting on the volume of trade to shield them.",
	"## The Program",
	"The Container Control Programme, run by the United Nations Office on Drugs and Crime with the World Customs Organization, forms joint port control units of customs and police officers at seaports and dry ports. Officers learn to profile high-risk containers from shipping documents before they arrive.",
}

var factRight = []string{
	"## Results",
	"Units supported by the program have seized tons of cocaine and large quantities of precursor chemicals, ivory and timber. Officers share alerts through a secure messaging system that links ports on several continents.",
	"## Our Support",
	"The bureau funds the units in Central America, the Caribbean and West Africa, equips them with scanners and test kits, and supports exchanges in which experienced officers mentor new teams in the quayside checks that decide which boxes are opened.",
}

// LargeReport returns a report of n pages after its cover: chapters of five
// pages each, for throughput measurements.
func LargeReport(n int) Report {
	base := DemoReport()
	var pool [][]string
	for _, ch := range base.Chapters {
		pool = append(pool, ch.Pages...)
	}
	r := Report{Title: base.Title, Subtitle: base.Subtitle, Date: base.Date, Header: base.Header}
	for i := 0; i < n; i += 5 {
		ch := Chapter{Title: fmt.Sprintf("Country Chapter %d", i/5+1)}
		for j := i; j < min(i+5, n); j++ {
			ch.Pages = append(ch.Pages, pool[j%len(pool)])
		}
		r.Chapters = append(r.Chapters, ch)
	}
	return r
}
