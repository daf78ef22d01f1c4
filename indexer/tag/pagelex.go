package tag

import (
	"fmt"
	"math"
	"sort"
)

// The page's words. The topic model reads passages, and a reader tags a
// page: a topic the page gives one sentence of a case narrative, or
// spreads thinly over its sections, is weak in every passage and plain in
// the page's vocabulary as a whole. PageLex is a second, page-level reader:
// per topic, a logistic regression over the page's word stems (title,
// distinct headings and passages' text, organization names masked),
// weighted tf-idf (1 + ln count, times the word's inverse document
// frequency in the training pages) and scaled to unit length. Its
// probability is one input of the page model (PageInputNames: "lex"), so
// the page calibration weighs it against the passages' own evidence, and the
// topic thresholds apply to the result. Before it was built, a page-level
// tf-idf regression tried beside the tagger's decisions (leaving one
// writer out, 401 pages of 17 later writers) reached F1 0.79 alone against
// the tagger's 0.83, and vetoing the tagger's topics it gave below 0.2 made
// 0.84. Built (798 pages, thresholds by F-beta 0.9): leaving one genre out
// P 0.857 R 0.812 F1 0.834 → P 0.872 R 0.817 F1 0.844; leaving one writer
// out P 0.840 R 0.821 F1 0.830 → P 0.851 R 0.826 F1 0.838. 30 passes and a
// decay of 0.001; 60 passes or a decay of 0.01 gave the same.

// PageLex is the page-level lexical model's data in the model file: the
// inverse document frequency of every word stem it reads, and its weights
// in Model.Weights' form (feature "pw:<stem>"; the per-topic bias in
// Shared and Weights as "bias").
type PageLex struct {
	IDF     map[string]float64   `json:"idf"`
	Weights map[string][]float64 `json:"weights"`
	Shared  map[string]float64   `json:"shared,omitempty"`
}

// pageTerms counts the word stems of a page as the page-level model reads
// them: every passage's text (organization names masked), its headings
// (each distinct heading once) and the title.
func (t *Tagger) pageTerms(tis []topicInput) map[string]int {
	counts := map[string]int{}
	seen := map[string]bool{}
	addToks := func(s *source, mask []bool) {
		for i, tk := range s.toks {
			if mask != nil && mask[i] {
				continue
			}
			if k := wordKey(tk); k != "" && k != "#" {
				counts[k]++
			}
		}
	}
	for _, ti := range tis {
		last := len(ti.srcs) - 1
		for _, s := range ti.srcs[:last] {
			if !seen[s.text] {
				seen[s.text] = true
				addToks(s, nil)
			}
		}
		mask := []bool(nil)
		if ti.cues != nil {
			mask = ti.cues.mask // maskOf's, computed once for the passage's cues
		} else {
			mask = maskOf(ti.srcs[last], ti.spans[last])
		}
		addToks(ti.srcs[last], mask)
	}
	return counts
}

// PageLexFeatures returns the page-level model's features of a page whose
// word stems counts are terms: "pw:<stem>" for every stem idf knows, tf-idf
// scaled to unit length, in sorted order, and a bias per topic (n topics).
func PageLexFeatures(terms map[string]int, idf map[string]float64, n int) []Feature {
	keys := make([]string, 0, len(terms))
	for k, c := range terms {
		if _, ok := idf[k]; ok && c > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	fs := make([]Feature, 0, len(keys)+n)
	norm := 0.0
	for _, k := range keys {
		v := (1 + math.Log(float64(terms[k]))) * idf[k]
		norm += v * v
		fs = append(fs, Feature{"pw:" + k, -1, v})
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for i := range fs {
			fs[i].Value /= norm
		}
	}
	for k := range n {
		fs = append(fs, Feature{"bias", k, 1})
	}
	return fs
}

// Reader returns the page-level model's reader for the trainer: per topic
// (the model file's order, n topics) its probability for a page whose word
// stems counts are terms.
func (pl *PageLex) Reader(n int) (func(terms map[string]int) []float64, error) {
	id := make([]int, n)
	for k := range id {
		id[k] = k
	}
	cl, err := compileLex(pl, id, n)
	if err != nil {
		return nil, err
	}
	return func(terms map[string]int) []float64 { return cl.lexProbs(terms, n) }, nil
}

// compiledLex is PageLex indexed for the tagger.
type compiledLex struct {
	idf   map[string]float64
	model *compiledModel // its topic and shared weights
}

// compileLex indexes pl for n topics, its classes mapped by remap.
func compileLex(pl *PageLex, remap []int, n int) (*compiledLex, error) {
	cw, err := compileWeights(pl.Weights, remap)
	if err != nil {
		return nil, fmt.Errorf("page lex: %w", err)
	}
	return &compiledLex{idf: pl.IDF, model: &compiledModel{topic: denseRows(cw, n), shared: pl.Shared}}, nil
}

// lexProbs returns per topic the page-level model's probability.
func (cl *compiledLex) lexProbs(terms map[string]int, n int) []float64 {
	z := cl.model.topicLogits(PageLexFeatures(terms, cl.idf, n), n)
	for k := range z {
		z[k] = Sigmoid(z[k])
	}
	return z
}
