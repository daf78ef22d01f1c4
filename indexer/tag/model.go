package tag

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ModelFile is the embedded file of the learned weights, written by
// `go run ./indexer/tag/train` (go generate).
const ModelFile = "model.json"

// Model holds the learned weights: a logistic regression per topic over the
// passage features (features.go) and a multinomial one over the document
// type features (doctype.go). Weights maps a feature name to pairs of
// (class index, weight) flattened into one list; absent features weigh
// nothing. The topics follow from the passages' probabilities by Decide.
type Model struct {
	Topics    []string  `json:"topics"`
	Threshold []float64 `json:"threshold"`
	// PassageThreshold is the probability that a passage other than the
	// page's most probable one needs for a topic of the page (0: Threshold).
	PassageThreshold float64 `json:"passage_threshold,omitempty"`
	// PageWeights are the page model's weights (pagemodel.go), in the order
	// of PageInputNames; empty: a page's topic rests on its most probable
	// passage's probability.
	PageWeights []float64            `json:"page_weights,omitempty"`
	Weights     map[string][]float64 `json:"weights"`
	// Shared weighs the topic features once for every topic (their Name
	// without the topic), on top of their per-topic weight in Weights.
	Shared      map[string]float64   `json:"shared"`
	Types       []string             `json:"types"`
	TypeWeights map[string][]float64 `json:"type_weights"`
	// PageLex is the page-level lexical model (pagelex.go), one input of the
	// page model; nil: none.
	PageLex *PageLex `json:"page_lex,omitempty"`
	// Trained records what the weights were trained on (pages and passages).
	Trained map[string]int `json:"trained,omitempty"`
}

// classWeight is one class's weight of a feature.
type classWeight struct {
	class  int
	weight float64
}

// compiledModel is a Model indexed for the tagger: class indexes are the
// tagger's topic indexes and DocumentTypes' order.
type compiledModel struct {
	topic     map[string][]float64 // feature → weight per tagger topic
	shared    map[string]float64
	threshold []float64
	passage   float64   // Model.PassageThreshold
	page      []float64 // Model.PageWeights, nil when empty
	doctype   map[string][]classWeight
	types     []string
	// lexical is set when the topic model weighs words (w:, b:, h:, T:, o:).
	lexical bool
	lex     *compiledLex // Model.PageLex, nil when absent
}

// compile checks m against the taxonomy and indexes it.
func (t *Tagger) compile(m *Model) (*compiledModel, error) {
	if len(m.Threshold) != len(m.Topics) {
		return nil, fmt.Errorf("model: %d thresholds for %d topics", len(m.Threshold), len(m.Topics))
	}
	if m.PassageThreshold < 0 || m.PassageThreshold > 1 {
		return nil, fmt.Errorf("model: passage threshold %v out of [0, 1]", m.PassageThreshold)
	}
	if len(m.PageWeights) > len(PageInputNames) {
		return nil, fmt.Errorf("model: %d page weights for %d inputs", len(m.PageWeights), len(PageInputNames))
	}
	cm := &compiledModel{threshold: make([]float64, len(t.topics)), passage: m.PassageThreshold, types: m.Types}
	if len(m.PageWeights) != 0 {
		// a model written before the last inputs were added weighs them 0
		cm.page = append(slices.Clip(m.PageWeights), make([]float64, len(PageInputNames)-len(m.PageWeights))...)
	}
	for i := range cm.threshold {
		cm.threshold[i] = math.Inf(1) // a topic the model does not know is never tagged by it
	}
	remap := make([]int, len(m.Topics))
	for i, name := range m.Topics {
		k, ok := t.topicIdx[name]
		if !ok {
			return nil, fmt.Errorf("model: unknown topic %q", name)
		}
		remap[i] = k
		cm.threshold[k] = m.Threshold[i]
	}
	cw, err := compileWeights(m.Weights, remap)
	if err != nil {
		return nil, err
	}
	cm.topic = denseRows(cw, len(t.topics))
	cm.shared = m.Shared
	if m.PageLex != nil {
		if cm.lex, err = compileLex(m.PageLex, remap, len(t.topics)); err != nil {
			return nil, err
		}
	}
	for f := range cm.topic {
		if _, ok := cm.shared[f]; !ok && !topicFeatureName(f) && !strings.HasPrefix(f, "len:") {
			cm.lexical = true
			break
		}
	}
	typeIdx := make([]int, len(m.Types))
	known := map[string]bool{}
	for _, ty := range DocumentTypes {
		known[ty] = true
	}
	for i, ty := range m.Types {
		if !known[ty] {
			return nil, fmt.Errorf("model: unknown document type %q", ty)
		}
		typeIdx[i] = i
	}
	if cm.doctype, err = compileWeights(m.TypeWeights, typeIdx); err != nil {
		return nil, err
	}
	return cm, nil
}

// denseRows returns the weights cw as one row of n classes per feature.
func denseRows(cw map[string][]classWeight, n int) map[string][]float64 {
	out := make(map[string][]float64, len(cw))
	for f, list := range cw {
		row := make([]float64, n)
		for _, c := range list {
			row[c.class] = c.weight
		}
		out[f] = row
	}
	return out
}

func compileWeights(w map[string][]float64, remap []int) (map[string][]classWeight, error) {
	out := make(map[string][]classWeight, len(w))
	for f, pairs := range w {
		if len(pairs)%2 != 0 {
			return nil, fmt.Errorf("model: feature %q: odd weight list", f)
		}
		cw := make([]classWeight, 0, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			c := int(pairs[i])
			if float64(c) != pairs[i] || c < 0 || c >= len(remap) {
				return nil, fmt.Errorf("model: feature %q: bad class %v", f, pairs[i])
			}
			cw = append(cw, classWeight{remap[c], pairs[i+1]})
		}
		out[f] = cw
	}
	return out, nil
}

// loadModel reads the embedded model; a missing file leaves the tagger on its rules.
func (t *Tagger) loadModel() error {
	b, err := dataFS.ReadFile("data/" + ModelFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // no model: the rules tag alone
	}
	if err != nil {
		return err
	}
	m, err := ParseModel(b)
	if err != nil {
		return err
	}
	t.model, err = t.compile(m)
	return err
}

// ParseModel parses a model file.
func ParseModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parse model: %w", err)
	}
	return &m, nil
}

// EmbeddedModel returns the model embedded in the package, or nil when there is none.
func EmbeddedModel() (*Model, error) {
	b, err := dataFS.ReadFile("data/" + ModelFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseModel(b)
}

// WithModel returns a copy of t that tags with m instead of the embedded
// model (the trainer's cross-validation); nil leaves topics and types to the rules.
func (t *Tagger) WithModel(m *Model) (*Tagger, error) {
	c := *t
	c.model = nil
	if m == nil {
		return &c, nil
	}
	cm, err := t.compile(m)
	if err != nil {
		return nil, err
	}
	c.model = cm
	return &c, nil
}

// topicLogits returns the score of every topic (the tagger's order) for a feature list.
func (cm *compiledModel) topicLogits(fs []Feature, n int) []float64 {
	z := make([]float64, n)
	for _, f := range fs {
		row := cm.topic[f.Name]
		if f.Topic >= 0 {
			w := cm.shared[f.Name]
			if row != nil {
				w += row[f.Topic]
			}
			z[f.Topic] += w * f.Value
			continue
		}
		for k, w := range row {
			z[k] += w * f.Value
		}
	}
	return z
}

// topicWeight is the weight of feature name for topic k (shared part included
// for topic features).
func (cm *compiledModel) topicWeight(name string, k int, topicFeature bool) float64 {
	w := 0.0
	if row := cm.topic[name]; row != nil {
		w = row[k]
	}
	if topicFeature {
		w += cm.shared[name]
	}
	return w
}

// topicFeatureName reports whether a feature name is a topic feature's (see Feature).
func topicFeatureName(f string) bool {
	for _, p := range []string{"r:", "p:", "c:", "ch:", "pc:"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return f == "bias"
}

// Sigmoid is the logistic function.
func Sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// RoundSig rounds x to digits significant digits (the model file's precision).
func RoundSig(x float64, digits int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	return v
}

// appendLines appends to b the object name of m, one key per line, sorted,
// and a comma after it.
func appendLines[V any](b []byte, name string, m map[string]V) ([]byte, error) {
	b = append(b, fmt.Sprintf(" %q: {\n", name)...)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		kj, _ := json.Marshal(k)
		vj, err := json.Marshal(m[k])
		if err != nil {
			return nil, err
		}
		b = append(b, "  "...)
		b = append(b, kj...)
		b = append(b, ": "...)
		b = append(b, vj...)
		if i < len(keys)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	return append(b, " },\n"...), nil
}

// MarshalModel writes m as the model file: one feature per line, sorted, so
// that a retrained model diffs line by line.
func MarshalModel(m *Model) ([]byte, error) {
	var b []byte
	b = append(b, "{\n"...)
	field := func(name string, v any, last bool) error {
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b = append(b, fmt.Sprintf(" %q: %s", name, j)...)
		if !last {
			b = append(b, ',')
		}
		b = append(b, '\n')
		return nil
	}
	weights := func(name string, w map[string][]float64) (err error) {
		b, err = appendLines(b, name, w)
		return err
	}
	if err := field("trained", m.Trained, false); err != nil {
		return nil, err
	}
	if err := field("topics", m.Topics, false); err != nil {
		return nil, err
	}
	if err := field("threshold", m.Threshold, false); err != nil {
		return nil, err
	}
	if m.PassageThreshold != 0 {
		if err := field("passage_threshold", m.PassageThreshold, false); err != nil {
			return nil, err
		}
	}
	if len(m.PageWeights) != 0 {
		if err := field("page_weights", m.PageWeights, false); err != nil {
			return nil, err
		}
	}
	if err := field("shared", m.Shared, false); err != nil {
		return nil, err
	}
	if err := field("types", m.Types, false); err != nil {
		return nil, err
	}
	if pl := m.PageLex; pl != nil {
		b = append(b, " \"page_lex\": {\n"...)
		if err := field("shared", pl.Shared, false); err != nil {
			return nil, err
		}
		var err error
		if b, err = appendLines(b, "idf", pl.IDF); err != nil {
			return nil, err
		}
		if err := weights("weights", pl.Weights); err != nil {
			return nil, err
		}
		b = b[:len(b)-2]
		b = append(b, "\n },\n"...)
	}
	if err := weights("type_weights", m.TypeWeights); err != nil {
		return nil, err
	}
	if err := weights("weights", m.Weights); err != nil {
		return nil, err
	}
	b = b[:len(b)-2] // the last weights' ",\n"
	b = append(b, "\n}\n"...)
	return b, nil
}
