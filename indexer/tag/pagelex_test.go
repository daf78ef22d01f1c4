package tag

import (
	"math"
	"testing"
)

func TestPageLexFeatures(t *testing.T) {
	t.Parallel()
	fs := PageLexFeatures(map[string]int{"polic": 3, "train": 1, "unknown": 2}, map[string]float64{"polic": 1.5, "train": 2}, 2)
	if len(fs) != 4 || fs[0].Name != "pw:polic" || fs[1].Name != "pw:train" || fs[2] != (Feature{"bias", 0, 1}) || fs[3] != (Feature{"bias", 1, 1}) {
		t.Fatalf("features = %v, want pw:polic, pw:train and a bias per topic", fs)
	}
	a, b := (1+math.Log(3))*1.5, 2.0
	n := math.Hypot(a, b)
	if math.Abs(fs[0].Value-a/n) > 1e-12 || math.Abs(fs[1].Value-b/n) > 1e-12 {
		t.Errorf("values = %v, %v, want tf-idf of unit length %v, %v", fs[0].Value, fs[1].Value, a/n, b/n)
	}
	if fs := PageLexFeatures(map[string]int{"unknown": 1}, map[string]float64{"polic": 1}, 1); len(fs) != 1 {
		t.Errorf("a page of unknown words: features = %v, want the bias alone", fs)
	}
}

// TestPageLexProbs checks that the trainer's reading of the page-level
// model (PageLex.Reader, the model file's topic order) and the tagger's
// (compiled, the tagger's order) agree on the embedded model.
func TestPageLexProbs(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	m, err := EmbeddedModel()
	if err != nil || m == nil || m.PageLex == nil || tg.model.lex == nil {
		t.Fatalf("embedded model without a page-level lexical model (err %v)", err)
	}
	terms := map[string]int{"polic": 4, "academi": 2, "cadet": 1, "launder": 3, "bank": 2}
	read, err := m.PageLex.Reader(len(m.Topics))
	if err != nil {
		t.Fatal(err)
	}
	file := read(terms)
	tagger := tg.model.lex.lexProbs(terms, len(tg.topics))
	for i, name := range m.Topics {
		k := tg.topicIdx[name]
		if math.Abs(file[i]-tagger[k]) > 1e-9 {
			t.Errorf("%s: %v (model file order) vs %v (tagger)", name, file[i], tagger[k])
		}
	}
	pt, ml := indexOf(m.Topics, "police training"), indexOf(m.Topics, "money laundering")
	police := read(map[string]int{"polic": 4, "academi": 2, "cadet": 2, "curriculum": 1})
	money := read(map[string]int{"launder": 3, "bank": 2, "suspici": 1, "transact": 2})
	if police[pt] <= police[ml] || money[ml] <= money[pt] {
		t.Errorf("police page: police training %.3f, money laundering %.3f; banking page: %.3f, %.3f",
			police[pt], police[ml], money[pt], money[ml])
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
