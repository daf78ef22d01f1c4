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
// passage makes no candidate of the topic, unless the page-level lexical
// model gives it minLexCandidate or more: the page model leaves the others
// out of training and gives them 0.
const minPageCandidate = 0.05

// minLexCandidate is the page-level lexical model's probability at which a
// topic is a candidate of the page however weak each passage is: a topic a
// page gives one sentence of case narrative, or spreads thinly, scores low
// in every passage and plain in the page's words. Out of fold over 939
// pages, 591 of 4,229 page topics had no passage at 0.05, and 129 of the
// 295 candidates with a lexical probability of 0.5 or more were gold (100 of
// 457 from 0.3 to 0.5). Chosen on leaving one writer out (session 12, 23
// writers, 467 pages): at 0.4 and F-beta 0.9 P 0.836 R 0.845 (the writers
// of sets 9-26: P 0.856 R 0.812), against P 0.839 R 0.827 (0.860 / 0.791)
// without lexical candidates at 1.0; 0.5 at 1.0 gave 0.827 / 0.849.
const minLexCandidate = 0.4

// PageInputs returns the inputs of the page model for topic k of a page
// whose passages have the probabilities probs and the features feats, and
// whose page-level lexical model gives lex (nil: none), and the index of
// the most probable passage (-1, and nil inputs, when the topic is no
// candidate: no passage reaches minPageCandidate and lex stays below
// minLexCandidate).
func PageInputs(probs [][]float64, feats [][]Feature, lex []float64, k int) ([]float64, int) {
	best := -1
	for i, p := range probs {
		if best < 0 || p[k] > probs[best][k] {
			best = i
		}
	}
	if best < 0 || probs[best][k] < minPageCandidate && (lex == nil || lex[k] < minLexCandidate) {
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
