package tag

import "math"

// The page calibration. The topic model scores passages, and a page's
// topic used to rest on its most probable passage alone: a passage that
// names a topic in one sentence of a case narrative ("laundered its fees
// through money transfer businesses") or a lead that sums up every subject
// of a page could carry it as far as a page that treats it throughout. The
// page model weighs, per page and topic, that passage's probability with
// what the page as a whole holds of the topic (its rule score and whether
// it passes, its sentences of cue co-occurrences, whether the rules tag it
// on some passage), whether the most probable passage is the page's first
// (a lead or summary), the number of passages, and the page-level lexical
// model's probability (pagelex.go): a logistic regression
// with one weight per input, shared by all topics, fitted by the trainer on
// held-out predictions (PageInputNames; Model.PageWeights). Its probability
// is what the topic thresholds apply to.

// PageInputNames are the inputs of the page model, in the order of
// PageInputs.
var PageInputNames = []string{"bias", "max", "p:score", "p:pass", "pc:", "p:tag", "first", "passages", "lex"}

// minPageCandidate is the probability below which a page's most probable
// passage makes no candidate of the topic: the page model leaves it out of
// training and gives it 0.
const minPageCandidate = 0.05

// PageInputs returns the inputs of the page model for topic k of a page
// whose passages have the probabilities probs and the features feats, and
// whose page-level lexical model gives lex (nil: none), and the index of
// the most probable passage (-1, and nil inputs, when no passage reaches
// minPageCandidate).
func PageInputs(probs [][]float64, feats [][]Feature, lex []float64, k int) ([]float64, int) {
	best := -1
	for i, p := range probs {
		if p[k] >= minPageCandidate && (best < 0 || p[k] > probs[best][k]) {
			best = i
		}
	}
	if best < 0 {
		return nil, -1
	}
	x := make([]float64, len(PageInputNames))
	x[0] = 1
	p := math.Min(math.Max(probs[best][k], 1e-4), 1-1e-4)
	x[1] = math.Log(p / (1 - p))
	for _, f := range feats[best] {
		if f.Topic != k {
			continue
		}
		switch f.Name {
		case "p:score":
			x[2] = f.Value
		case "p:pass":
			x[3] = f.Value
		case "pc:":
			x[4] = f.Value
		case "p:tag":
			x[5] = f.Value
		}
	}
	if best == 0 && len(probs) > 1 {
		x[6] = 1
	}
	x[7] = math.Log(float64(len(probs)))
	if lex != nil {
		q := math.Min(math.Max(lex[k], 1e-4), 1-1e-4)
		x[8] = math.Log(q / (1 - q))
	}
	return x, best
}

// PageScores returns per topic the page model's probability (w: weights in
// the order of PageInputNames; nil: the most probable passage's
// probability, the page model off; lex: the page-level lexical model's
// probabilities, nil for none).
func PageScores(probs [][]float64, feats [][]Feature, lex []float64, n int, w []float64) []float64 {
	out := make([]float64, n)
	for k := range out {
		for _, p := range probs {
			out[k] = math.Max(out[k], p[k])
		}
		if w == nil {
			continue
		}
		x, _ := PageInputs(probs, feats, lex, k)
		if x == nil {
			out[k] = 0
			continue
		}
		z := 0.0
		for j, v := range x {
			z += w[j] * v
		}
		out[k] = Sigmoid(z)
	}
	return out
}
