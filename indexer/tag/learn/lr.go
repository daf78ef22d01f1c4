package learn

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/inlsearch/inlsearch/indexer/tag"
)

// Options are the trainer's settings; DefaultOptions are the committed model's.
type Options struct {
	Epochs int     // passes over the examples, in their fixed order
	Rate   float64 // AdaGrad step size
	L2     float64 // weight decay per update of a weight (not the bias)
	// TopicL2 is the decay of the per-topic part of the topic features' weights.
	TopicL2 float64
	MinDF   int // a word or pair feature needs this many training examples
	// Prune drops weights smaller in magnitude from the model file.
	Prune float64
	// Digits is the number of significant digits the model file keeps.
	Digits int
	// Aux adds the demo gold and held-out tuning pages (page labels only) as
	// negatives of the topics their pages lack, and to the type model.
	Aux bool
	// Lexical keeps the word, pair, heading and organization features of the
	// topic model; without it the model reads the topic features only.
	Lexical bool
	// TypeAux trains the type model on the auxiliary pages too (they carry types).
	TypeAux bool
	// FreshRepeat counts each page of a later writer (Label.Set: the spent
	// blind sets, labelled by readers who never saw the tagger, the first
	// writers' pages or each other's) that many more times in the topic
	// model's training and threshold choice. Every later reader tagged fewer
	// topics per page than the first writers did on the same genres; an
	// outside tester is a later reader.
	FreshRepeat int
	// Beta weighs recall against precision in the threshold choice (F-beta):
	// below 1 favours precision, which a page's union of passages needs.
	// Chosen in session 10 on leaving one writer out (train -cv -by set:
	// each later writer's set scored by a model that never learnt from its
	// writer, as a fresh reader is) and leaving one genre out. Over 700
	// pages and ten writers (303 pages), one writer out gave P 0.832 R 0.827
	// at 1.0, P 0.842 R 0.822 at 0.85 and P 0.845 R 0.819 at 0.8 (F1 flat
	// at 0.829-0.832), while one genre out needed 0.85 or more for its
	// recall; blind sets 14-18 were run at 0.85. Over 742 pages and 13
	// writers (345 pages): one genre out P 0.868 R 0.795 at 0.85 and
	// P 0.864 R 0.801 at 0.9, one writer out P 0.839 R 0.813 and
	// P 0.836 R 0.818 — so 0.9. Over the final 768 pages at 0.9: one genre
	// out P 0.861 R 0.804, one writer out (15 writers, 371 pages) P 0.839
	// R 0.819. Session 11, 798 pages, with the page-level lexical model
	// (PageLex), which raised precision: at 0.9 one genre out P 0.872
	// R 0.817, one writer out (17 writers, 401 pages) P 0.851 R 0.826; at
	// 1.0 P 0.865 R 0.826 and P 0.842 R 0.836 (the writers of sets 9-20
	// P 0.866 R 0.796, against P 0.873 R 0.784 at 0.9; at 1.15 P 0.848
	// R 0.812, F1 no higher) — so 1.0. Session 12, 864 pages, with the
	// lexical model's candidates (tag.PageInputs): one writer out (23
	// writers, 467 pages) P 0.825 R 0.853 at 1.0 (sets 9-26: P 0.842
	// R 0.822), P 0.836 R 0.845 at 0.9 (P 0.856 R 0.812) — so 0.9.
	Beta float64
	// PageLex fits the page-level lexical model (tag.PageLex), an input of
	// the page model, in LexEpochs passes with weight decay LexL2.
	PageLex   bool
	LexEpochs int
	LexL2     float64
	// TypeL2 is the weight decay of the type model.
	TypeL2 float64
	// Folds, above 1, chooses the topic thresholds by genre-grouped
	// cross-validation in that many folds over the pages the weights are
	// fitted on; otherwise on the dev split.
	Folds int
	// TopicPages is the number of pages with a topic that gives the topic a
	// threshold of its own (0: minTopicPages).
	TopicPages int
	// PassageThreshold chooses the model's passage threshold with the topic
	// thresholds (see choosePassageThreshold); without it a passage takes
	// every topic whose probability reaches the topic threshold.
	PassageThreshold bool
	// PageModel fits the page model (tag.PageInputs) on the held-out
	// predictions the thresholds are chosen on, and the thresholds apply
	// to its probabilities.
	PageModel bool
}

// DefaultOptions are the settings of the committed model.
var DefaultOptions = Options{Epochs: 12, Rate: 0.3, L2: 1e-2, TopicL2: 0.1, MinDF: 5, Prune: 0.005, Digits: 4, Aux: true, Lexical: true, TypeAux: true, TypeL2: 1e-2, Beta: 0.9, Folds: 5, PassageThreshold: true, PageModel: true,
	PageLex: true, LexEpochs: 30, LexL2: 1e-3}

// example is one training example: its features (indexes and values) and
// per class a label: 1, 0, or -1 (unknown).
type example struct {
	idx []int
	val []float64
	// topic features: the topic, the column and the value
	tk   []int
	tidx []int
	tval []float64
	y    []int8
}

// featureIndex maps feature names to columns.
type featureIndex struct {
	names []string
	col   map[string]int
}

// lexical reports whether a feature is a word or word-pair feature, kept
// only when frequent enough.
func lexical(name string) bool {
	for _, p := range []string{"w:", "b:", "h:", "T:", "x:", "f:", "t:", "u:", "host:", "o:"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// buildIndex keeps the features of the example lists that are not lexical
// or occur in minDF lists or more; columns follow the sorted names.
func buildIndex(lists [][]tag.Feature, minDF int, lex bool) *featureIndex {
	df := map[string]int{}
	for _, fs := range lists {
		for _, f := range fs {
			df[f.Name]++
		}
	}
	fi := &featureIndex{col: map[string]int{}}
	for n, c := range df {
		if !lexical(n) || (lex && c >= minDF) {
			fi.names = append(fi.names, n)
		}
	}
	sort.Strings(fi.names)
	for i, n := range fi.names {
		fi.col[n] = i
	}
	return fi
}

func (fi *featureIndex) encode(fs []tag.Feature, y []int8) example {
	ex := example{y: y}
	for _, f := range fs {
		c, ok := fi.col[f.Name]
		switch {
		case !ok:
		case f.Topic >= 0:
			ex.tk = append(ex.tk, f.Topic)
			ex.tidx = append(ex.tidx, c)
			ex.tval = append(ex.tval, f.Value)
		default:
			ex.idx = append(ex.idx, c)
			ex.val = append(ex.val, f.Value)
		}
	}
	return ex
}

// trainBinary fits one logistic regression per class (joint passes, each
// class on the examples that label it) by AdaGrad in the examples' order.
// Plain features have a weight per class, w[column][class]; topic features
// have a shared weight s[column] plus a per-class one, the latter decayed
// o.TopicL2 instead of o.L2 (a topic departs from the shared weight only
// where its examples insist).
func trainBinary(fi *featureIndex, exs []example, classes int, o Options) (w [][]float64, s []float64) {
	w = make([][]float64, len(fi.names))
	g2 := make([][]float64, len(fi.names))
	for i := range w {
		w[i] = make([]float64, classes)
		g2[i] = make([]float64, classes)
	}
	s = make([]float64, len(fi.names))
	sg2 := make([]float64, len(fi.names))
	sgrad := make([]float64, len(fi.names))
	z := make([]float64, classes)
	d := make([]float64, classes)
	step := func(x *float64, acc *float64, g float64) {
		*acc += g * g
		*x -= o.Rate * g / (math.Sqrt(*acc) + 1e-8)
	}
	for ep := 0; ep < o.Epochs; ep++ {
		for _, ex := range exs {
			for k := range z {
				z[k] = 0
			}
			for j, c := range ex.idx {
				row := w[c]
				v := ex.val[j]
				for k := range z {
					z[k] += row[k] * v
				}
			}
			for j, c := range ex.tidx {
				k := ex.tk[j]
				z[k] += (w[c][k] + s[c]) * ex.tval[j]
			}
			for k := range d {
				d[k] = 0
				if ex.y[k] >= 0 {
					d[k] = tag.Sigmoid(z[k]) - float64(ex.y[k])
				}
			}
			for j, c := range ex.idx {
				row, gr := w[c], g2[c]
				v := ex.val[j]
				for k := 0; k < classes; k++ {
					if ex.y[k] < 0 {
						continue
					}
					step(&row[k], &gr[k], d[k]*v+o.L2*row[k])
				}
			}
			for j, c := range ex.tidx {
				k := ex.tk[j]
				if ex.y[k] < 0 {
					continue
				}
				g := d[k] * ex.tval[j]
				step(&w[c][k], &g2[c][k], g+o.TopicL2*w[c][k])
				sgrad[c] += g
			}
			for _, c := range ex.tidx {
				if sgrad[c] != 0 {
					g := sgrad[c]
					if fi.names[c] != "bias" {
						g += o.L2 * s[c]
					}
					step(&s[c], &sg2[c], g)
					sgrad[c] = 0
				}
			}
		}
	}
	return w, s
}

// trainSoftmax fits a multinomial logistic regression by AdaGrad; each
// example's y holds 1 for its class. It returns w[column][class].
func trainSoftmax(fi *featureIndex, exs []example, classes int, o Options) [][]float64 {
	w := make([][]float64, len(fi.names))
	g2 := make([][]float64, len(fi.names))
	for i := range w {
		w[i] = make([]float64, classes)
		g2[i] = make([]float64, classes)
	}
	bias, hasBias := fi.col["bias"]
	z := make([]float64, classes)
	p := make([]float64, classes)
	for ep := 0; ep < o.Epochs; ep++ {
		for _, ex := range exs {
			for k := range z {
				z[k] = 0
			}
			for j, c := range ex.idx {
				for k := range z {
					z[k] += w[c][k] * ex.val[j]
				}
			}
			softmax(z, p)
			for j, c := range ex.idx {
				row, gr := w[c], g2[c]
				v := ex.val[j]
				for k := 0; k < classes; k++ {
					g := (p[k] - float64(max(ex.y[k], 0))) * v
					if !(hasBias && c == bias) {
						g += o.L2 * row[k]
					}
					gr[k] += g * g
					row[k] -= o.Rate * g / (math.Sqrt(gr[k]) + 1e-8)
				}
			}
		}
	}
	return w
}

func softmax(z, p []float64) {
	m := z[0]
	for _, v := range z {
		m = math.Max(m, v)
	}
	s := 0.0
	for k, v := range z {
		p[k] = math.Exp(v - m)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
}

// sharedOf rounds and prunes the shared weights of the topic features.
func sharedOf(fi *featureIndex, s []float64, o Options) map[string]float64 {
	out := map[string]float64{}
	for c, v := range s {
		if v = tag.RoundSig(v, o.Digits); math.Abs(v) >= o.Prune {
			out[fi.names[c]] = v
		}
	}
	return out
}

// weightsOf rounds and prunes w into the model file's form.
func weightsOf(fi *featureIndex, w [][]float64, o Options) map[string][]float64 {
	out := map[string][]float64{}
	for c, row := range w {
		var pairs []float64
		for k, v := range row {
			v = tag.RoundSig(v, o.Digits)
			if math.Abs(v) >= o.Prune || (fi.names[c] == "bias" && v != 0) {
				pairs = append(pairs, float64(k), v)
			}
		}
		if len(pairs) > 0 {
			out[fi.names[c]] = pairs
		}
	}
	return out
}

// CompareModels lists the differences between two models beyond tol
// (relative, on weights and thresholds), one per line; "" when they agree.
func CompareModels(a, b *tag.Model, tol float64) string {
	var out []string
	near := func(x, y float64) bool {
		return math.Abs(x-y) <= tol*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
	}
	if strings.Join(a.Topics, "|") != strings.Join(b.Topics, "|") || strings.Join(a.Types, "|") != strings.Join(b.Types, "|") {
		out = append(out, "topics or types differ")
	}
	for k := range a.Threshold {
		if k < len(b.Threshold) && !near(a.Threshold[k], b.Threshold[k]) {
			out = append(out, fmt.Sprintf("threshold %d: %v vs %v", k, a.Threshold[k], b.Threshold[k]))
		}
	}
	for name, v := range a.Trained {
		if b.Trained[name] != v {
			out = append(out, fmt.Sprintf("trained %s: %d vs %d", name, v, b.Trained[name]))
		}
	}
	cmpMap := func(what string, x, y map[string][]float64) {
		for _, f := range sortedKeys(x, y) {
			p, q := x[f], y[f]
			if len(p) != len(q) {
				out = append(out, fmt.Sprintf("%s %q: %v vs %v", what, f, p, q))
				continue
			}
			for i := range p {
				if !near(p[i], q[i]) {
					out = append(out, fmt.Sprintf("%s %q: %v vs %v", what, f, p, q))
					break
				}
			}
		}
	}
	cmpMap("weight", a.Weights, b.Weights)
	cmpMap("type weight", a.TypeWeights, b.TypeWeights)
	for _, f := range sortedKeys(wrap(a.Shared), wrap(b.Shared)) {
		if !near(a.Shared[f], b.Shared[f]) {
			out = append(out, fmt.Sprintf("shared %q: %v vs %v", f, a.Shared[f], b.Shared[f]))
		}
	}
	switch la, lb := a.PageLex, b.PageLex; {
	case (la == nil) != (lb == nil):
		out = append(out, "page lex: one model has none")
	case la != nil:
		cmpMap("page lex weight", la.Weights, lb.Weights)
		cmpMap("page lex idf", wrap(la.IDF), wrap(lb.IDF))
		cmpMap("page lex shared", wrap(la.Shared), wrap(lb.Shared))
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("… and %d more", len(out)-20))
	}
	return strings.Join(out, "\n")
}

func wrap(m map[string]float64) map[string][]float64 {
	out := make(map[string][]float64, len(m))
	for k, v := range m {
		out[k] = []float64{v}
	}
	return out
}

func sortedKeys(x, y map[string][]float64) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string][]float64{x, y} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
