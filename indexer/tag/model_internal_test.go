package tag

import (
	"strings"
	"testing"
)

// mustRules returns the tagger without its learned model: topics and types
// by the rules alone, whose behaviour the rule tests pin down (the model
// reads the rules' scores as features).
func mustRules(tb testing.TB) *Tagger {
	tb.Helper()
	t, err := mustTagger(tb).WithModel(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestEmbeddedModelLoads(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	if tg.model == nil {
		t.Fatal("the embedded model did not load (data/model.json)")
	}
	for k, th := range tg.model.threshold {
		if !(th > 0 && th < 1) {
			t.Errorf("topic %q threshold %v, want in (0, 1)", tg.topics[k].Name, th)
		}
	}
}

func TestCompileRejectsBadModels(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	tests := []struct {
		name string
		m    Model
	}{
		{"unknown topic", Model{Topics: []string{"knitting"}, Threshold: []float64{0.5}}},
		{"thresholds missing", Model{Topics: []string{"corruption"}}},
		{"odd weights", Model{Topics: []string{"corruption"}, Threshold: []float64{0.5}, Weights: map[string][]float64{"w:x": {0}}}},
		{"class out of range", Model{Topics: []string{"corruption"}, Threshold: []float64{0.5}, Weights: map[string][]float64{"w:x": {3, 1}}}},
		{"unknown type", Model{Types: []string{"poem"}}},
		{"passage threshold above 1", Model{Topics: []string{"corruption"}, Threshold: []float64{0.5}, PassageThreshold: 1.5}},
		{"negative passage threshold", Model{Topics: []string{"corruption"}, Threshold: []float64{0.5}, PassageThreshold: -0.1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := tg.WithModel(&tc.m); err == nil {
				t.Errorf("WithModel(%s) = nil error, want one", tc.name)
			}
		})
	}
}

// TestEvidenceForEveryTopic checks that every topic the model gives a
// passage comes with a sentence of that passage (or its heading) as evidence.
func TestEvidenceForEveryTopic(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	p := Page{URL: "https://example.org/academy", Title: "Regional Academy",
		Passages: []PagePassage{
			{Headings: []string{"Regional Academy", "Courses"}, Text: "The academy trained 900 police officers and prosecutors in investigation courses. " +
				"Cadets follow a curriculum on crime scenes and interviews."},
			{Headings: []string{"Regional Academy", "Prisons"}, Text: "Prison guards took payments from gang intermediaries to let phones into the cells. " +
				"Inmates ran extortion rings from overcrowded prisons."},
		}}
	tagged := 0
	for i, tags := range tg.TagPage(p) {
		for _, x := range tags.Topics {
			tagged++
			ev := tags.Evidence["topic:"+x]
			ps := p.Passages[i]
			if ev == "" || !(strings.Contains(ps.Text, strings.Trim(ev, "…")) || strings.Contains(strings.Join(ps.Headings, "\n"), ev)) {
				t.Errorf("passage %d topic %q evidence %q, want a sentence or heading of the passage", i, x, ev)
			}
		}
	}
	if tagged == 0 {
		t.Error("no topic tagged on a page about police courses and prison corruption")
	}
}
