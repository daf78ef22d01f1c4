package learn

import (
	"math"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
)

// TestTrainBinarySeparates checks that the regression learns a separable
// problem: a topic feature that marks the positives, shared across classes.
func TestTrainBinarySeparates(t *testing.T) {
	t.Parallel()
	var lists [][]tag.Feature
	var ys [][]int8
	for i := 0; i < 40; i++ {
		pos := i%2 == 0
		fs := []tag.Feature{{Name: "bias", Topic: 0, Value: 1}, {Name: "bias", Topic: 1, Value: 1}}
		y := []int8{0, -1}
		if pos {
			fs = append(fs, tag.Feature{Name: "r:score", Topic: 0, Value: 1})
			y[0] = 1
		}
		lists = append(lists, fs)
		ys = append(ys, y)
	}
	fi := buildIndex(lists, 2, false)
	var exs []example
	for i := range lists {
		exs = append(exs, fi.encode(lists[i], ys[i]))
	}
	o := DefaultOptions
	w, s := trainBinary(fi, exs, 2, o)
	c, b := fi.col["r:score"], fi.col["bias"]
	zPos := w[c][0] + s[c] + w[b][0] + s[b]
	zNeg := w[b][0] + s[b]
	if tag.Sigmoid(zPos) < 0.8 || tag.Sigmoid(zNeg) > 0.2 {
		t.Errorf("p(positive) = %.2f, p(negative) = %.2f; want > 0.8 and < 0.2", tag.Sigmoid(zPos), tag.Sigmoid(zNeg))
	}
	if w[b][1] != 0 {
		t.Errorf("class 1 (never labelled) bias weight = %v, want 0", w[b][1])
	}
}

func TestTrainSoftmaxPicksClass(t *testing.T) {
	t.Parallel()
	var lists [][]tag.Feature
	var ys [][]int8
	for i := 0; i < 30; i++ {
		k := i % 3
		lists = append(lists, []tag.Feature{{Name: "bias", Topic: -1, Value: 1}, {Name: "u:" + string(rune('a'+k)), Topic: -1, Value: 1}})
		y := make([]int8, 3)
		y[k] = 1
		ys = append(ys, y)
	}
	fi := buildIndex(lists, 1, true)
	var exs []example
	for i := range lists {
		exs = append(exs, fi.encode(lists[i], ys[i]))
	}
	w := trainSoftmax(fi, exs, 3, DefaultOptions)
	for k := 0; k < 3; k++ {
		c := fi.col["u:"+string(rune('a'+k))]
		for j := 0; j < 3; j++ {
			if j != k && w[c][k] <= w[c][j] {
				t.Errorf("weight of u:%c for class %d = %.3f, not above class %d's %.3f", 'a'+k, k, w[c][k], j, w[c][j])
			}
		}
	}
}

func TestMatchSections(t *testing.T) {
	t.Parallel()
	ps := []extract.Passage{
		{Headings: []string{"Page", "Overview"}},
		{Headings: []string{"Page", "Program Goals:"}},
		{Headings: []string{"Page", "Unlabelled"}},
		{Headings: []string{"Page", "overview"}},
	}
	secs := []SectionLabel{{Heading: "Overview"}, {Heading: "Program  Goals"}, {Heading: "Overview"}}
	got := matchSections(ps, secs)
	want := []int{0, 1, -1, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("matchSections() = %v, want %v", got, want)
			break
		}
	}
}

func TestPassageLabels(t *testing.T) {
	t.Parallel()
	topics := []string{"corruption", "terrorism", "aviation"}
	d := &Doc{
		Label:   Label{Topics: []string{"corruption", "terrorism"}, Sections: []SectionLabel{{Heading: "A", Topics: []string{"corruption"}}}},
		Page:    tag.Page{Passages: make([]tag.PagePassage, 2)},
		Section: []int{0, -1},
	}
	got := passageLabels(d, topics)
	want := [][]int8{{1, 0, 0}, {-1, -1, 0}}
	for i := range want {
		for k := range want[i] {
			if got[i][k] != want[i][k] {
				t.Fatalf("passageLabels() = %v, want %v", got, want)
			}
		}
	}
}

func TestCompareModels(t *testing.T) {
	t.Parallel()
	a := &tag.Model{Topics: []string{"corruption"}, Threshold: []float64{0.5},
		Weights: map[string][]float64{"r:score": {0, 1.5}}, Shared: map[string]float64{"bias": -2}}
	b := &tag.Model{Topics: []string{"corruption"}, Threshold: []float64{0.5},
		Weights: map[string][]float64{"r:score": {0, 1.5004}}, Shared: map[string]float64{"bias": -2}}
	if d := CompareModels(a, b, 1e-3); d != "" {
		t.Errorf("CompareModels(within tolerance) = %q, want none", d)
	}
	b.Shared["bias"] = -1
	b.Weights["w:x"] = []float64{0, 0.3}
	d := CompareModels(a, b, 1e-3)
	for _, w := range []string{`shared "bias"`, `weight "w:x"`} {
		if !strings.Contains(d, w) {
			t.Errorf("CompareModels() = %q, want %q in it", d, w)
		}
	}
}

func TestThresholdGrid(t *testing.T) {
	t.Parallel()
	g := thresholdGrid()
	if len(g) == 0 || g[0] != 0.1 || math.Abs(g[len(g)-1]-0.9) > 1e-9 {
		t.Errorf("thresholdGrid() = %v, want 0.1 … 0.9", g)
	}
}

// TestChooseThresholds checks the threshold choice: a topic whose positives
// score above 0.6 and negatives below 0.4 gets a threshold between, and a
// topic with too few positive pages takes the global one.
func TestChooseThresholds(t *testing.T) {
	t.Parallel()
	var probs [][]float64
	var gold [][]bool
	for i := 0; i < 20; i++ {
		pos := i%2 == 0
		p0 := 0.2 + 0.01*float64(i%5)
		if pos {
			p0 = 0.7 + 0.01*float64(i%5)
		}
		probs = append(probs, []float64{p0, 0.9})
		gold = append(gold, []bool{pos, i == 0})
	}
	th := chooseThresholds(probs, gold, 2, 1, 4)
	if th[0] <= 0.24 || th[0] > 0.7 {
		t.Errorf("threshold of the separable topic = %.3f, want in (0.24, 0.7]", th[0])
	}
	global := chooseThresholds(probs, gold, 2, 1, 1000)
	if th[1] != global[1] || global[0] != global[1] {
		t.Errorf("thresholds %v with per-topic choice, %v global only: a topic with one positive page must take the global one", th, global)
	}
}

// TestChoosePassageThreshold checks the passage threshold choice: where
// the pages' second passages hold their topic at 0.3 against the first's
// 0.8 and are not labelled with it, a threshold between is chosen; where
// they are, the threshold stays off.
func TestChoosePassageThreshold(t *testing.T) {
	t.Parallel()
	held := func(second bool) heldOut {
		var h heldOut
		for i := 0; i < 10; i++ {
			h.pages = append(h.pages, pagePred{gold: []bool{true}, pass: []passagePred{
				{probs: []float64{0.8}, gold: []bool{true}},
				{probs: []float64{0.3}, gold: []bool{second}},
				{probs: []float64{0.3}}, // not matched to a section: not scored
			}})
		}
		return h
	}
	th := []float64{0.2}
	if pt := choosePassageThreshold(held(false), th, nil); pt <= 0.3 || pt > 0.8 {
		t.Errorf("passage threshold = %v where passing mentions are not labelled, want in (0.3, 0.8]", pt)
	}
	if pt := choosePassageThreshold(held(true), th, nil); pt != 0 {
		t.Errorf("passage threshold = %v where every passage holds the topic, want 0 (off)", pt)
	}
}
