package learn

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/inlsearch/inlsearch/indexer/tag"
)

// features computes (once) the features of every passage and of the page
// type, and which topics each passage names only in lists
// (tag.Tagger.PageFeatures): those the tagger never gives the passage.
func (d *Doc) features(tg *tag.Tagger) ([][]tag.Feature, []tag.Feature) {
	if d.feats == nil {
		d.feats, d.listed, d.terms = tg.PageFeatures(d.Page)
		d.typeFeats = tg.TypeFeatures(d.URL, d.Page.Title, d.Page.Site, d.Text)
	}
	return d.feats, d.typeFeats
}

// passageLabels returns per passage and topic the label: 1 or 0 where the
// passage matched a labelled section; where it did not, 0 for the topics
// the page lacks and -1 (unknown) for the others.
func passageLabels(d *Doc, topics []string) [][]int8 {
	onPage := set(d.Label.Topics)
	out := make([][]int8, len(d.Page.Passages))
	for i := range out {
		y := make([]int8, len(topics))
		sec := -1
		if i < len(d.Section) {
			sec = d.Section[i]
		}
		var mine map[string]bool
		if sec >= 0 {
			mine = set(d.Label.Sections[sec].Topics)
		}
		for k, name := range topics {
			switch {
			case sec >= 0 && mine[name]:
				y[k] = 1
			case sec >= 0 || !onPage[name]:
				y[k] = 0
			default:
				y[k] = -1
			}
		}
		out[i] = y
	}
	return out
}

// bestPassages makes, on a page labelled at page level only, the passage
// with the highest rule score (r:score) for each topic of the page a positive
// of that topic; the other passages stay unknown for it.
func bestPassages(feats [][]tag.Feature, labels [][]int8) {
	if len(labels) == 0 {
		return
	}
	n := len(labels[0])
	best := make([]int, n)
	score := make([]float64, n)
	for k := range best {
		best[k] = -1
	}
	for i, fs := range feats {
		for _, f := range fs {
			if f.Topic >= 0 && f.Name == "r:score" && f.Value > score[f.Topic] {
				best[f.Topic], score[f.Topic] = i, f.Value
			}
		}
	}
	for k, i := range best {
		if i >= 0 && labels[i][k] < 0 {
			labels[i][k] = 1
		}
	}
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, x := range list {
		m[x] = true
	}
	return m
}

// ErrNoData reports a training set without labelled passages.
var ErrNoData = errors.New("no training pages")

// Train fits the topic and type models on docs: the weights on the train
// and dev pages (and the auxiliary pages with o.Aux), the topic thresholds
// by genre-grouped cross-validation over the same pages (o.Folds; below 2,
// on the dev split with weights fitted on train). tg supplies the features;
// its own model, if any, plays no part in them.
func Train(tg *tag.Tagger, docs []*Doc, o Options) (*tag.Model, error) {
	return train(tg, docs, o, true)
}

// TrainDev is Train on the train split alone (weights and, with o.Folds,
// thresholds), so that the dev pages measure them.
func TrainDev(tg *tag.Tagger, docs []*Doc, o Options) (*tag.Model, error) {
	return train(tg, docs, o, false)
}

func train(tg *tag.Tagger, docs []*Doc, o Options, refit bool) (*tag.Model, error) {
	var train, all, dev, typeDocs []*Doc
	for _, d := range docs {
		if (!d.Aux || o.TypeAux) && (refit || d.Label.Split != "dev") {
			typeDocs = append(typeDocs, d)
		}
		switch {
		case d.Aux && !o.Aux:
		case d.Aux || d.Label.Split == "train":
			train = append(train, d)
			all = append(all, d)
		case d.Label.Split == "dev":
			dev = append(dev, d)
			all = append(all, d)
		}
	}
	if len(train) == 0 {
		return nil, ErrNoData
	}
	trained := all
	if !refit {
		trained = train
	}
	if o.FreshRepeat > 0 {
		train, all = withFresh(train, o.FreshRepeat), withFresh(all, o.FreshRepeat)
	}
	topics := tg.TopicNames()
	m := &tag.Model{Topics: topics, Types: tag.DocumentTypes, Trained: map[string]int{}}
	m.Threshold = make([]float64, len(topics))
	for k := range m.Threshold {
		m.Threshold[k] = 0.5
	}
	fitOn := all
	if !refit {
		fitOn = train
	}
	switch {
	case o.Folds > 1:
		// thresholds from genre-grouped cross-validation over the pages the
		// weights are fitted on (train, or train and dev)
		setThresholds(m, outOfFold(tg, fitOn, topics, o, o.Folds), o)
	case len(dev) > 0:
		fi, w, sh := fitTopics(tg, train, topics, o)
		setThresholds(m, pageProbs(tg, fi, w, sh, o.lexOf(tg, train, topics), dev, topics), o)
	}
	fi, w, sh := fitTopics(tg, fitOn, topics, o)
	m.PageLex = o.lexOf(tg, fitOn, topics)
	m.Weights = weightsOf(fi, w, o)
	m.Shared = sharedOf(fi, sh, o)
	tfi, tw := fitTypes(tg, typeDocs, o)
	m.TypeWeights = weightsOf(tfi, tw, o)
	for _, d := range trained {
		m.Trained["pages"]++
		if d.Aux {
			m.Trained["aux_pages"]++
		}
		for _, s := range d.Section {
			if s >= 0 {
				m.Trained["labelled_passages"]++
			}
		}
	}
	return m, nil
}

// withFresh returns docs with each page of a later writer (Label.Set, the
// spent blind sets) n more times: readers who came to the pages fresh, as an
// outside tester does, weigh more than the first writers, who tagged more
// topics per page than any of them (see FreshRepeat).
func withFresh(docs []*Doc, n int) []*Doc {
	out := append([]*Doc(nil), docs...)
	for _, d := range docs {
		if d.Label.Set != "" {
			for range n {
				out = append(out, d)
			}
		}
	}
	return out
}

// setThresholds chooses m's thresholds on held-out predictions: the topic
// thresholds on the pages, then with o.PassageThreshold the passage
// threshold on the labelled passages.
func setThresholds(m *tag.Model, h heldOut, o Options) {
	if o.PageModel {
		m.PageWeights = fitPage(h)
	}
	probs, gold := h.pageLevel(m.PageWeights)
	m.Threshold = chooseThresholds(probs, gold, len(m.Topics), o.Beta, o.minTopicPages())
	if o.PassageThreshold {
		m.PassageThreshold = choosePassageThreshold(h, m.Threshold, m.PageWeights)
	}
}

// fitTopics trains the topic regressions on the passages of docs.
func fitTopics(tg *tag.Tagger, docs []*Doc, topics []string, o Options) (*featureIndex, [][]float64, []float64) {
	var lists [][]tag.Feature
	var ys [][]int8
	for _, d := range docs {
		feats, _ := d.features(tg)
		labels := passageLabels(d, topics)
		if d.Aux {
			bestPassages(feats, labels)
		}
		for i, fs := range feats {
			lists = append(lists, fs)
			ys = append(ys, labels[i])
		}
	}
	fi := buildIndex(lists, o.MinDF, o.Lexical)
	exs := make([]example, len(lists))
	for i := range lists {
		exs[i] = fi.encode(lists[i], ys[i])
	}
	w, sh := trainBinary(fi, exs, len(topics), o)
	return fi, w, sh
}

// fitLex trains the page-level lexical model (tag.PageLex) on the pages of
// docs: the word stems of at least o.MinDF pages, weighed tf-idf, and per
// topic the page's labels.
func fitLex(tg *tag.Tagger, docs []*Doc, topics []string, o Options) *tag.PageLex {
	df := map[string]int{}
	for _, d := range docs {
		d.features(tg)
		for k := range d.terms {
			df[k]++
		}
	}
	n := float64(len(docs))
	idf := map[string]float64{}
	for k, c := range df {
		if c >= o.MinDF {
			idf[k] = tag.RoundSig(math.Log((1+n)/(1+float64(c)))+1, o.Digits)
		}
	}
	lists := make([][]tag.Feature, len(docs))
	ys := make([][]int8, len(docs))
	for i, d := range docs {
		lists[i] = tag.PageLexFeatures(d.terms, idf, len(topics))
		on := set(d.Label.Topics)
		ys[i] = make([]int8, len(topics))
		for k, name := range topics {
			if on[name] {
				ys[i][k] = 1
			}
		}
	}
	fi := buildIndex(lists, 0, true)
	exs := make([]example, len(lists))
	for i := range lists {
		exs[i] = fi.encode(lists[i], ys[i])
	}
	lo := o
	lo.Epochs, lo.L2, lo.TopicL2 = o.LexEpochs, o.LexL2, o.LexL2
	w, sh := trainBinary(fi, exs, len(topics), lo)
	return &tag.PageLex{IDF: idf, Weights: weightsOf(fi, w, o), Shared: sharedOf(fi, sh, o)}
}

// fitTypes trains the type model on the pages of docs.
func fitTypes(tg *tag.Tagger, docs []*Doc, o Options) (*featureIndex, [][]float64) {
	idx := map[string]int{}
	for i, ty := range tag.DocumentTypes {
		idx[ty] = i
	}
	var lists [][]tag.Feature
	var ys [][]int8
	for _, d := range docs {
		k, ok := idx[d.Label.Type]
		if !ok {
			continue
		}
		_, tf := d.features(tg)
		y := make([]int8, len(tag.DocumentTypes))
		y[k] = 1
		lists = append(lists, tf)
		ys = append(ys, y)
	}
	fi := buildIndex(lists, o.MinDF, true)
	exs := make([]example, len(lists))
	for i := range lists {
		exs[i] = fi.encode(lists[i], ys[i])
	}
	to := o
	to.L2 = o.TypeL2
	return fi, trainSoftmax(fi, exs, len(tag.DocumentTypes), to)
}

// passageProbs returns, per passage of d and topic, the probability under
// the weights fi, w, sh.
func passageProbs(tg *tag.Tagger, fi *featureIndex, w [][]float64, sh []float64, d *Doc, n int) [][]float64 {
	feats, _ := d.features(tg)
	out := make([][]float64, len(feats))
	z := make([]float64, n)
	for i, fs := range feats {
		for k := range z {
			z[k] = 0
		}
		for _, f := range fs {
			c, ok := fi.col[f.Name]
			if !ok {
				continue
			}
			if f.Topic >= 0 {
				z[f.Topic] += (w[c][f.Topic] + sh[c]) * f.Value
				continue
			}
			for k := range z {
				z[k] += w[c][k] * f.Value
			}
		}
		p := make([]float64, n)
		for k := range z {
			p[k] = tag.Sigmoid(z[k])
		}
		out[i] = p
	}
	tag.DropListed(out, d.listed)
	return out
}

// thresholdGrid are the thresholds tried.
func thresholdGrid() []float64 {
	var g []float64
	for x := 0.1; x < 0.91; x += 0.025 {
		g = append(g, math.Round(x*1000)/1000)
	}
	return g
}

// minTopicPages is the number of pages with a topic needed to give the
// topic its own threshold; below, it takes the global one.
const minTopicPages = 4

func (o Options) minTopicPages() int {
	if o.TopicPages > 0 {
		return o.TopicPages
	}
	return minTopicPages
}

// chooseThresholds picks the thresholds on pages whose per-topic page
// probabilities (the highest of any passage, from a model that did not see
// them) are probs and whose topics are gold: the global threshold that
// maximises the micro F-beta, then per topic with minTopicPages pages or
// more the one that maximises its own F1, halfway back to the global one.
func chooseThresholds(probs [][]float64, gold [][]bool, n int, beta float64, minPages int) []float64 {
	f1At := func(th float64, only int) (float64, int) {
		var tp, fp, fn, pos int
		for i := range probs {
			for k := 0; k < n; k++ {
				if only >= 0 && k != only {
					continue
				}
				got := probs[i][k] >= th
				switch {
				case got && gold[i][k]:
					tp++
				case got:
					fp++
				case gold[i][k]:
					fn++
				}
				if gold[i][k] {
					pos++
				}
			}
		}
		if tp == 0 {
			return 0, pos
		}
		b2 := beta * beta
		return (1 + b2) * float64(tp) / ((1+b2)*float64(tp) + b2*float64(fn) + float64(fp)), pos
	}
	global, bestF := 0.5, -1.0
	for _, th := range thresholdGrid() {
		if f, _ := f1At(th, -1); f > bestF+1e-12 {
			global, bestF = th, f
		}
	}
	out := make([]float64, n)
	for k := range out {
		out[k] = global
		if _, pos := f1At(global, k); pos < minPages {
			continue
		}
		best, bf := global, -1.0
		for _, th := range thresholdGrid() {
			f, _ := f1At(th, k)
			if f > bf+1e-12 || (math.Abs(f-bf) <= 1e-12 && math.Abs(th-global) < math.Abs(best-global)) {
				best, bf = th, f
			}
		}
		out[k] = math.Round((best+global)/2*1000) / 1000
	}
	return out
}

// heldOut are the predictions of a model for pages it was not fitted on.
type heldOut struct {
	pages []pagePred
}

// pagePred is one page's prediction: its gold topics and its passages'.
type pagePred struct {
	gold []bool
	pass []passagePred
	// feats are the passages' features (the page model's inputs)
	feats [][]tag.Feature
	// lex is the page-level lexical model's probability per topic (nil: none)
	lex []float64
}

// passagePred is one passage's prediction: per topic its probability and,
// for a passage matched to a labelled section, the gold (nil otherwise).
type passagePred struct {
	probs []float64
	gold  []bool
}

func (h *heldOut) add(o heldOut) { h.pages = append(h.pages, o.pages...) }

// pageLevel returns per page and topic the page model's probability under
// the weights w (nil: the highest probability of any passage), and the gold.
func (h *heldOut) pageLevel(w []float64) ([][]float64, [][]bool) {
	probs := make([][]float64, len(h.pages))
	gold := make([][]bool, len(h.pages))
	for i, pg := range h.pages {
		gold[i] = pg.gold
		probs[i] = tag.PageScores(pg.probs(), pg.feats, pg.lex, len(pg.gold), w)
	}
	return probs, gold
}

// probs returns the probabilities of the page's passages.
func (pg *pagePred) probs() [][]float64 {
	out := make([][]float64, len(pg.pass))
	for i, ps := range pg.pass {
		out[i] = ps.probs
	}
	return out
}

// pageProbs returns the held-out predictions of docs under the weights fi,
// w, sh and the page-level lexical model lex (nil: none).
func pageProbs(tg *tag.Tagger, fi *featureIndex, w [][]float64, sh []float64, lex *tag.PageLex, docs []*Doc, topics []string) heldOut {
	n := len(topics)
	var lexProbs func(map[string]int) []float64
	if lex != nil {
		var err error
		if lexProbs, err = lex.Reader(n); err != nil {
			panic(err) // the trainer's own model: a bug
		}
	}
	var h heldOut
	for _, d := range docs {
		on := set(d.Label.Topics)
		feats, _ := d.features(tg)
		pg := pagePred{gold: make([]bool, n), feats: feats}
		if lexProbs != nil {
			pg.lex = lexProbs(d.terms)
		}
		for k, name := range topics {
			pg.gold[k] = on[name]
		}
		for i, p := range passageProbs(tg, fi, w, sh, d, n) {
			ps := passagePred{probs: p}
			if i < len(d.Section) && d.Section[i] >= 0 {
				mine := set(d.Label.Sections[d.Section[i]].Topics)
				ps.gold = make([]bool, n)
				for k, name := range topics {
					ps.gold[k] = mine[name]
				}
			}
			pg.pass = append(pg.pass, ps)
		}
		h.pages = append(h.pages, pg)
	}
	return h
}

// decide applies tag.DecidePage to a held-out page (w: the page model's weights).
func (pg *pagePred) decide(th []float64, passage float64, w []float64) [][]bool {
	probs := pg.probs()
	var page []float64
	if w != nil {
		page = tag.PageScores(probs, pg.feats, pg.lex, len(th), w)
	}
	return tag.DecidePage(probs, page, th, passage)
}

// fbeta is the F-beta of tp, fp, fn.
func fbeta(tp, fp, fn int, beta float64) float64 {
	if tp == 0 {
		return 0
	}
	b2 := beta * beta
	return (1 + b2) * float64(tp) / ((1+b2)*float64(tp) + b2*float64(fn) + float64(fp))
}

// choosePassageThreshold picks the model's PassageThreshold, the
// probability that a passage other than its page's most probable one needs
// for a topic of the page, that maximises the micro F1 of the held-out
// passages matched to a labelled section. Page topics do not depend on it.
// 0 (off) when no value beats it.
func choosePassageThreshold(h heldOut, th []float64, w []float64) float64 {
	score := func(pt float64) float64 {
		var tp, fp, fn int
		for _, pg := range h.pages {
			for i, row := range pg.decide(th, pt, w) {
				gold := pg.pass[i].gold
				if gold == nil {
					continue
				}
				for k, g := range row {
					switch {
					case g && gold[k]:
						tp++
					case g:
						fp++
					case gold[k]:
						fn++
					}
				}
			}
		}
		return fbeta(tp, fp, fn, 1)
	}
	best, bf := 0.0, score(0)
	for _, x := range thresholdGrid() {
		if f := score(x); f > bf+1e-12 {
			best, bf = x, f
		}
	}
	return best
}

// outOfFold returns the page probabilities of the labelled pages of docs
// (not the auxiliary ones), each from a model fitted without its genre:
// the genres are dealt into folds (sorted, in turn), and each fold's pages
// are predicted by the weights fitted on the other folds and the auxiliary
// pages. Thresholds chosen on them see every page once, as a page of a genre
// the model was not fitted on.
func outOfFold(tg *tag.Tagger, docs []*Doc, topics []string, o Options, folds int) heldOut {
	var genres []string
	seen := map[string]bool{}
	for _, d := range docs {
		if !d.Aux && !seen[d.Label.Genre] {
			seen[d.Label.Genre] = true
			genres = append(genres, d.Label.Genre)
		}
	}
	sort.Strings(genres)
	fold := map[string]int{}
	for i, g := range genres {
		fold[g] = i % folds
	}
	var h heldOut
	for f := 0; f < min(folds, len(genres)); f++ {
		var fit, held []*Doc
		for _, d := range docs {
			switch {
			case d.Aux:
				if o.Aux {
					fit = append(fit, d)
				}
			case fold[d.Label.Genre] == f:
				held = append(held, d)
			default:
				fit = append(fit, d)
			}
		}
		fi, w, sh := fitTopics(tg, fit, topics, o)
		h.add(pageProbs(tg, fi, w, sh, o.lexOf(tg, fit, topics), held, topics))
	}
	return h
}

// Describe summarises a model: its size and what it was trained on.
func Describe(m *tag.Model) string {
	n := 0
	for _, p := range m.Weights {
		n += len(p) / 2
	}
	t := 0
	for _, p := range m.TypeWeights {
		t += len(p) / 2
	}
	s := fmt.Sprintf("%d pages (%d auxiliary), %d labelled passages; %d topic weights over %d features, %d type weights",
		m.Trained["pages"], m.Trained["aux_pages"], m.Trained["labelled_passages"], n, len(m.Weights), t)
	if pl := m.PageLex; pl != nil {
		l := 0
		for _, p := range pl.Weights {
			l += len(p) / 2
		}
		s += fmt.Sprintf(", %d page-level word weights over %d stems", l, len(pl.IDF))
	}
	return s
}

// fitPage fits the page model (tag.PageInputs) on held-out predictions: one
// example per page and topic whose most probable passage is a candidate,
// labelled by the page's gold; a logistic regression with a weight per input
// shared by all topics, by full-batch gradient descent with AdaGrad steps
// and a light decay.
func fitPage(h heldOut) []float64 {
	var xs [][]float64
	var ys []float64
	for _, pg := range h.pages {
		probs := pg.probs()
		for k := range pg.gold {
			x, _ := tag.PageInputs(probs, pg.feats, pg.lex, k)
			if x == nil {
				continue
			}
			xs = append(xs, x)
			y := 0.0
			if pg.gold[k] {
				y = 1
			}
			ys = append(ys, y)
		}
	}
	n := len(tag.PageInputNames)
	w := make([]float64, n)
	if len(xs) == 0 {
		return nil
	}
	w[1] = 1 // start from the most probable passage's own logit
	g2 := make([]float64, n)
	grad := make([]float64, n)
	const steps, rate, l2 = 400, 0.5, 1e-3
	for range steps {
		for j := range grad {
			grad[j] = 0
		}
		for i, x := range xs {
			z := 0.0
			for j, v := range x {
				z += w[j] * v
			}
			d := tag.Sigmoid(z) - ys[i]
			for j, v := range x {
				grad[j] += d * v
			}
		}
		for j := range w {
			g := grad[j]/float64(len(xs)) + l2*w[j]
			g2[j] += g * g
			w[j] -= rate * g / (math.Sqrt(g2[j]) + 1e-8)
		}
	}
	for j := range w {
		w[j] = tag.RoundSig(w[j], 4)
	}
	return w
}

// lexOf returns the page-level lexical model fitted on docs, or nil
// without o.PageLex (or without the page model, its only reader).
func (o Options) lexOf(tg *tag.Tagger, docs []*Doc, topics []string) *tag.PageLex {
	if !o.PageLex || !o.PageModel {
		return nil
	}
	return fitLex(tg, docs, topics, o)
}
