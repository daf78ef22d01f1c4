// Command train fits the tagger's topic and document type models on the
// labelled corpus and writes indexer/tag/data/model.json (go generate
// ./indexer/tag runs it). The blind test pages are never read.
//
//	go run ./indexer/tag/train            train and write the model
//	go run ./indexer/tag/train -dev       only print the dev figures (quick checks)
//	go run ./indexer/tag/train -report    also print the dev and leave-one-genre-out
//	                                      figures and write testdata/corpus/RESULTS.md
//	go run ./indexer/tag/train -cv -by set  leave one later writer's set out at a time
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/indexer/tag/learn"
)

func main() {
	report := flag.Bool("report", false, "print dev and leave-one-genre-out figures and write RESULTS.md")
	misses := flag.Bool("misses", false, "with -report, print each page's misses")
	cv := flag.Bool("cv", false, "only print the leave-one-genre-out figures of the options given (writes nothing)")
	flag.StringVar(&by, "by", by, `with -cv: leave out one "genre" or one "set" (a later writer's set: each writer in turn unseen; the other pages always train)`)
	dev := flag.Bool("dev", false, "only print the dev split figures of the options given: weights and thresholds from train alone (writes nothing)")
	diag := flag.Bool("diag", false, "only print the rules' organization, country and year errors and the committed model's topic and type errors on the open pages, by value (writes nothing)")
	o := &opts
	flag.IntVar(&o.Epochs, "epochs", o.Epochs, "with -cv: training passes")
	flag.Float64Var(&o.Rate, "rate", o.Rate, "with -cv: AdaGrad step")
	flag.Float64Var(&o.L2, "l2", o.L2, "with -cv: weight decay")
	flag.Float64Var(&o.TopicL2, "topic-l2", o.TopicL2, "with -cv: decay of per-topic weights of topic features")
	flag.IntVar(&o.MinDF, "min-df", o.MinDF, "with -cv: minimum examples of a word feature")
	flag.BoolVar(&o.Aux, "aux", o.Aux, "with -cv: train on the auxiliary pages too")
	flag.BoolVar(&o.TypeAux, "type-aux", o.TypeAux, "with -cv: train the type model on the auxiliary pages too")
	flag.Float64Var(&o.TypeL2, "type-l2", o.TypeL2, "with -cv: weight decay of the type model")
	flag.Float64Var(&o.Beta, "beta", o.Beta, "with -cv: F-beta of the threshold choice")
	flag.IntVar(&o.FreshRepeat, "fresh", o.FreshRepeat, "with -cv: times more each later writer's page counts (Label.Set)")
	flag.BoolVar(&o.PageLex, "lex", o.PageLex, "with -cv: fit the page-level lexical model (an input of the page model)")
	flag.IntVar(&o.LexEpochs, "lex-epochs", o.LexEpochs, "with -cv: training passes of the page-level lexical model")
	flag.Float64Var(&o.LexL2, "lex-l2", o.LexL2, "with -cv: weight decay of the page-level lexical model")
	flag.BoolVar(&o.Lexical, "lexical", o.Lexical, "with -cv: word features in the topic model")
	flag.IntVar(&o.TopicPages, "topic-pages", o.TopicPages, "with -cv: pages with a topic that give it its own threshold")
	flag.BoolVar(&o.PassageThreshold, "passage-threshold", o.PassageThreshold, "with -cv or -dev: choose a passage threshold above the topic thresholds")
	flag.IntVar(&o.Folds, "folds", o.Folds, "with -cv: genre-grouped folds of the threshold choice (below 2: the dev split)")
	flag.Parse()
	var err error
	if *diag {
		err = diagnose()
	} else if *dev {
		err = devOnly(*misses)
	} else if *cv {
		err = crossValidate(*misses)
	} else {
		err = run(*report, *misses)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// openCorpus finds the repository, makes the tagger of the rules alone and
// loads the open pages (train and dev) and the auxiliary ones.
func openCorpus() (root string, rules *tag.Tagger, corpus, aux []*learn.Doc, err error) {
	if root, err = learn.Root("."); err != nil {
		return "", nil, nil, nil, err
	}
	if rules, err = tag.MustNew().WithModel(nil); err != nil {
		return "", nil, nil, nil, err
	}
	corpus, aux, err = learn.LoadOpen(root)
	return root, rules, corpus, aux, err
}

// opts are the options of -cv (the committed model always uses learn.DefaultOptions).
var opts = learn.DefaultOptions

// by is what -cv leaves out in turn: "genre" or "set".
var by = "genre"

func crossValidate(misses bool) error {
	root, rules, corpus, aux, err := openCorpus()
	if err != nil {
		return err
	}
	var group func(*learn.Doc) string
	switch by {
	case "genre":
		group = func(d *learn.Doc) string { return d.Label.Genre }
	case "set":
		group = func(d *learn.Doc) string { return d.Label.Set }
	default:
		return fmt.Errorf("-by %q: want genre or set", by)
	}
	res, err := learn.CrossValidateBy(rules, corpus, aux, opts, group)
	if err != nil {
		return err
	}
	fmt.Print(learn.TableBy(res, by))
	for _, g := range learn.Genres(res) {
		t := res[g].Topic
		fmt.Printf("%s: topic tp %d fp %d fn %d\n", g, t.TP, t.FP, t.FN)
	}
	all := res[""]
	tp, tr, tf := all.Topic.PRF()
	pp, pr, pf := all.Passage.PRF()
	fmt.Printf("all pages: topic P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d); passage topic P %.3f R %.3f F1 %.3f\n",
		tp, tr, tf, all.Topic.TP, all.Topic.FP, all.Topic.FN, pp, pr, pf)
	m, err := learn.Train(rules, append(append([]*learn.Doc(nil), corpus...), aux...), opts)
	if err != nil {
		return err
	}
	mt, err := rules.WithModel(m)
	if err != nil {
		return err
	}
	hold, err := learn.LoadHoldout(filepath.Join(root, learn.HoldoutDir), func(string) bool { return true })
	if err != nil {
		return err
	}
	demo, err := learn.LoadDemoGold([]string{filepath.Join(root, "corpus/gold/a.json"), filepath.Join(root, "corpus/gold/b.json")})
	if err != nil {
		return err
	}
	for _, set := range []struct {
		name string
		docs []*learn.Doc
	}{{"demo gold", demo}, {"holdout (all, finals included)", hold}} {
		r := learn.Evaluate(mt, set.docs)[""]
		p, rc, f := r.Topic.PRF()
		fmt.Printf("%s: topic P %.2f R %.2f F1 %.2f, type %.2f\n", set.name, p, rc, f, r.TypeAccuracy())
	}
	if misses {
		for _, m := range res[""].Misses {
			fmt.Println("  " + m)
		}
	}
	return nil
}

// devOnly prints the dev split figures of a model trained on train with opts.
func devOnly(misses bool) error {
	_, rules, corpus, aux, err := openCorpus()
	if err != nil {
		return err
	}
	var dev []*learn.Doc
	for _, d := range corpus {
		if d.Label.Split == "dev" {
			dev = append(dev, d)
		}
	}
	m, err := learn.TrainDev(rules, append(append([]*learn.Doc(nil), corpus...), aux...), opts)
	if err != nil {
		return err
	}
	mt, err := rules.WithModel(m)
	if err != nil {
		return err
	}
	res := learn.Evaluate(mt, dev)
	fmt.Print(learn.Table(res))
	fmt.Printf("topic thresholds %v, passage threshold %v\n", m.Threshold, m.PassageThreshold)
	if misses {
		for _, m := range res[""].Misses {
			fmt.Println("  " + m)
		}
	}
	return nil
}

// diagnose prints the errors of the committed tagger on the open corpus
// pages (train and dev; never the blind test), by facet and value.
func diagnose() error {
	root, err := learn.Root(".")
	if err != nil {
		return err
	}
	corpus, _, err := learn.LoadOpen(root)
	if err != nil {
		return err
	}
	fmt.Print(learn.Diagnose(tag.MustNew(), corpus))
	return nil
}

func run(report, misses bool) error {
	root, err := learn.Root(".")
	if err != nil {
		return err
	}
	base, err := tag.New()
	if err != nil {
		return err
	}
	rules, err := base.WithModel(nil)
	if err != nil {
		return err
	}
	corpus, aux, err := learn.LoadOpen(root)
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := learn.Train(rules, append(append([]*learn.Doc(nil), corpus...), aux...), learn.DefaultOptions)
	if err != nil {
		return err
	}
	b, err := tag.MarshalModel(m)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, learn.ModelPath), b, 0o644); err != nil {
		return err
	}
	fmt.Printf("trained in %v: %s; wrote %s (%d bytes)\n", time.Since(start).Round(time.Millisecond),
		learn.Describe(m), learn.ModelPath, len(b))
	if !report {
		return nil
	}
	return writeReport(root, rules, corpus, aux, misses)
}

// writeReport measures the rules alone and the model on dev (trained on
// train) and by leave-one-genre-out, prints the tables and writes RESULTS.md.
func writeReport(root string, rules *tag.Tagger, corpus, aux []*learn.Doc, misses bool) error {
	var dev []*learn.Doc
	for _, d := range corpus {
		if d.Label.Split == "dev" {
			dev = append(dev, d)
		}
	}
	o := learn.DefaultOptions
	var sb strings.Builder
	sb.WriteString("# Tagger figures on the labelled corpus\n\n")
	sb.WriteString("Written by `go run ./indexer/tag/train -report` (the blind test split is never read; its figures are added by hand after the one blind run of `INLSEARCH_BLIND=1 go test -run TestCorpusBlind ./indexer/tag/`).\n")
	sb.WriteString("Topic P/R/F1 are page level (a page's topics are the union of its passages'); passage level counts the passages matched to a labelled section. Organizations are the taxonomy's (the label's `organizations`); organizations found beyond it are scored apart against the acronyms of `other_organizations`. Organizations, countries and years do not depend on the learned model. Topic thresholds come from genre-grouped cross-validation inside each training set, so no table's pages chose their own thresholds.\n\n")
	fmt.Fprintf(&sb, "%d open pages (train and dev) in %d genres, %d auxiliary pages with page labels only (demo gold, held-out tuning pages).\n\n",
		len(corpus), len(genresOf(corpus)), len(aux))

	section := func(title string, res map[string]*learn.Result) {
		fmt.Printf("\n%s\n%s", title, learn.Table(res))
		fmt.Fprintf(&sb, "## %s\n\n%s\n", title, learn.Table(res))
		if misses {
			for _, m := range res[""].Misses {
				fmt.Println("  " + m)
			}
		}
	}
	section("Rules only (the tagger before the model), all open pages", learn.Evaluate(rules, corpus))
	if len(dev) > 0 {
		m, err := learn.TrainDev(rules, append(append([]*learn.Doc(nil), corpus...), aux...), o)
		if err != nil {
			return err
		}
		mt, err := rules.WithModel(m)
		if err != nil {
			return err
		}
		section("Dev split (model trained on train, thresholds by cross-validation on train; dev unseen)", learn.Evaluate(mt, dev))
	}
	cv, err := learn.CrossValidate(rules, corpus, aux, o)
	if err != nil {
		return err
	}
	section("Leave one genre out (trained on the other genres' train and dev pages)", cv)
	path := filepath.Join(root, learn.ResultsMD)
	// the earlier models' and the blind run's figures were added by hand: keep them
	if old, err := os.ReadFile(path); err == nil {
		k := -1
		for _, h := range keptHeadings {
			if i := strings.Index(string(old), h); i >= 0 && (k < 0 || i < k) {
				k = i
			}
		}
		if k >= 0 {
			sb.WriteString("\n" + string(old[k:]))
		}
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}

// keptHeadings open the sections of RESULTS.md written by hand (an earlier
// model's figures, the one blind run's); the report keeps them, and what
// follows the first of them, as they are.
var keptHeadings = []string{"## Earlier models", "## Blind test split", "## Second blind set"}

func genresOf(docs []*learn.Doc) map[string]bool {
	g := map[string]bool{}
	for _, d := range docs {
		g[d.Label.Genre] = true
	}
	return g
}
