package tag

import (
	"strings"
	"testing"
)

// TestTopicPhrasings checks on the rules (mustRules: the model reads their
// scores) that common phrasings of the field, beyond the
// canonical names, tag their topic when a passage treats it, and that words
// used in another sense do not.
func TestTopicPhrasings(t *testing.T) {
	t.Parallel()
	tg := mustRules(t)
	tests := []struct {
		name string
		text string
		want []string
		not  []string
	}{
		{"graft and kickbacks", "Auditors found graft in the ministry: officials took kickbacks on fuel contracts and embezzled the savings.",
			[]string{"corruption"}, nil},
		{"asset confiscation", "Prosecutors obtained freezing orders and used domain extinction proceedings against the ranch owners.",
			[]string{"asset forfeiture"}, nil},
		{"drug dependence treatment", "The clinics offer outpatient treatment for drug dependence and train addiction professionals in harm reduction.",
			[]string{"demand reduction and treatment"}, nil},
		{"straw buyers and gun-running", "Gun-running networks recruit straw buyers, and illegal guns cross the border hidden in cars; agents trace each firearm.",
			[]string{"arms trafficking"}, nil},
		{"debt bondage", "Recruiters held the fishermen in debt bondage, and others were kept in domestic servitude.",
			[]string{"human trafficking"}, nil},
		{"undocumented migrants", "Smugglers moved undocumented migrants with forged passports through the desert.",
			[]string{"migrant smuggling"}, nil},
		{"illegal wildlife trade", "The illegal wildlife trade in shark fins and bushmeat is the focus of the new wildlife investigators.",
			[]string{"wildlife trafficking"}, nil},
		{"cybercrime words", "Cybercriminals use malware and phishing e-mails; the police cyber unit now runs mobile forensics.",
			[]string{"cybercrime and intellectual property"}, nil},
		{"prosecutorial capacity", "Mentors build prosecutorial capacity and help courts reduce case backlogs through plea bargaining.",
			[]string{"justice sector reform"}, nil},
		{"jailers", "Jailers at the old gaol were trained to cut recidivism, and two halfway houses opened.",
			[]string{"corrections"}, nil},
		{"violence reduction", "Violence interrupters trained in the Cure Violence model brought a reduction in homicides to the districts.",
			[]string{"gangs and violence prevention"}, nil},
		{"domestic abuse", "Survivors of domestic abuse can now obtain protection orders, and a family protection unit handles rapes.",
			[]string{"violence against women"}, nil},
		{"red notices", "The central authority handles red notices and the transfer of sentenced persons under the extradition agreement.",
			[]string{"extradition and legal cooperation"}, nil},
		{"drug seizures", "Police seized drugs at the airport, and cocaine seizures at the land border doubled.",
			[]string{"interdiction and border security", "counternarcotics"}, nil},
		{"city names", "Container security officials met in Port-au-Prince and then in Port Harcourt.", nil,
			[]string{"container and port control"}},
		{"crack down", "The mayor, who once ran a narcotics unit, vowed to crack down on noise and crack down on litter.", nil,
			[]string{"counternarcotics"}},
		{"firearms training", "Recruits complete firearms training and firearms qualification before patrol.", nil,
			[]string{"arms trafficking"}},
		{"counterfeit currency", "A ring printing counterfeit currency and counterfeit banknotes was broken up.", nil,
			[]string{"cybercrime and intellectual property"}},
		{"poverty eradication", "The poverty eradication plan aims to eradicate poverty by 2030.", nil,
			[]string{"eradication and alternative development"}},
		{"under secretary's title", "INL reports to the Under Secretary for Civilian Security, Democracy, and Human Rights; so does the Office of the Under Secretary for Civilian Security, Democracy, and Human Rights.", nil,
			[]string{"rule of law"}},
		{"named armed group alone", "The FARC and the Taliban were mentioned in the minister's speech about roads.", nil,
			[]string{"terrorism"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tg.Tag(Input{Text: tc.text}).Topics
			checkTags(t, "Topics", tc.text, got, tc.want, tc.not)
		})
	}
}

// TestTopicDataConsistent checks topics.json: no signal is both strong and
// weak in one topic, and no signal is masked by a not_signals phrase.
func TestTopicDataConsistent(t *testing.T) {
	t.Parallel()
	var tf topicFile
	if err := loadJSON("topics.json", &tf); err != nil {
		t.Fatal(err)
	}
	masked := map[string]bool{}
	for _, p := range tf.NotSignals {
		masked[strings.ToLower(p)] = true
	}
	for _, td := range tf.Topics {
		strong := map[string]bool{}
		for _, p := range td.Strong {
			strong[p] = true
			if masked[strings.ToLower(p)] {
				t.Errorf("%s: strong signal %q is a not_signals phrase", td.Name, p)
			}
		}
		for _, p := range td.Weak {
			if strong[p] {
				t.Errorf("%s: %q is both strong and weak", td.Name, p)
			}
			if masked[strings.ToLower(p)] {
				t.Errorf("%s: weak signal %q is a not_signals phrase", td.Name, p)
			}
		}
	}
}
