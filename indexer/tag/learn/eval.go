package learn

import (
	"fmt"
	"sort"
	"strings"

	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
)

// Score counts true positives, false positives and false negatives.
type Score struct{ TP, FP, FN int }

// PRF returns precision, recall and F1 (0 where undefined).
func (s Score) PRF() (p, r, f float64) {
	if s.TP+s.FP > 0 {
		p = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		r = float64(s.TP) / float64(s.TP+s.FN)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func (s *Score) add(o Score) { s.TP += o.TP; s.FP += o.FP; s.FN += o.FN }

// Compare adds got against want and returns the false positives and negatives.
func (s *Score) Compare(got, want []string) (fp, fn []string) {
	w, g := set(want), set(got)
	for x := range g {
		if w[x] {
			s.TP++
		} else {
			s.FP++
			fp = append(fp, x)
		}
	}
	for x := range w {
		if !g[x] {
			s.FN++
			fn = append(fn, x)
		}
	}
	sort.Strings(fp)
	sort.Strings(fn)
	return fp, fn
}

// Result is the measurement of a tagger on a set of pages.
type Result struct {
	Pages, TypeOK int
	// Topic is page level (the union of the passages' topics against the
	// page's); Passage is passage level, on the passages matched to a
	// labelled section.
	Topic, Passage, Org, Country, Year Score
	// Found scores the organizations found beyond the taxonomy against the
	// acronyms of the label's other_organizations that the page writes (its
	// title, headings or text): the tagger's value is the acronym as written,
	// and writers list bodies whose acronym the page never gives ("African
	// Wildlife Foundation", AWF), which no tagger could answer. Org leaves
	// them out (the label's organizations are taxonomy names only, SPEC.md),
	// as the holdout and corpus organization tests do.
	Found Score
	// Misses lists, per page, what the tagger got wrong (topics and type).
	Misses []string
}

func (r *Result) add(o *Result) {
	r.Pages += o.Pages
	r.TypeOK += o.TypeOK
	r.Topic.add(o.Topic)
	r.Passage.add(o.Passage)
	r.Org.add(o.Org)
	r.Country.add(o.Country)
	r.Year.add(o.Year)
	r.Found.add(o.Found)
	r.Misses = append(r.Misses, o.Misses...)
}

// TypeAccuracy is the share of pages with the right type.
func (r *Result) TypeAccuracy() float64 {
	if r.Pages == 0 {
		return 0
	}
	return float64(r.TypeOK) / float64(r.Pages)
}

// Evaluate tags every page of docs with tg as the crawl does (TagPage and
// Type) and scores it against the labels, per genre; the "" key holds all.
func Evaluate(tg *tag.Tagger, docs []*Doc) map[string]*Result {
	out := map[string]*Result{"": {}}
	for _, d := range docs {
		r := evaluatePage(tg, d)
		g := d.Label.Genre
		if out[g] == nil {
			out[g] = &Result{}
		}
		out[g].add(r)
		out[""].add(r)
	}
	return out
}

func evaluatePage(tg *tag.Tagger, d *Doc) *Result {
	r := &Result{Pages: 1}
	tags := tg.TagPage(d.Page)
	for i, t := range tags {
		if i < len(d.Section) && d.Section[i] >= 0 {
			r.Passage.Compare(t.Topics, d.Label.Sections[d.Section[i]].Topics)
		}
	}
	got, want := gotValues(tags, d), wantValues(d)
	fp, fn := r.Topic.Compare(got.topics, want.topics)
	r.Org.Compare(got.orgs, want.orgs)
	r.Found.Compare(got.found, want.found)
	r.Country.Compare(got.countries, want.countries)
	r.Year.Compare(got.years, want.years)
	var miss []string
	if len(fp)+len(fn) > 0 {
		miss = append(miss, fmt.Sprintf("topics +%q -%q", fp, fn))
	}
	typ := tg.TypeOf(d.URL, d.Page.Title, d.Page.Site, d.Text)
	if typ == d.Label.Type {
		r.TypeOK++
	} else {
		miss = append(miss, fmt.Sprintf("type %q, want %q", typ, d.Label.Type))
	}
	if len(miss) > 0 {
		r.Misses = append(r.Misses, d.Path+": "+strings.Join(miss, "; "))
	}
	return r
}

// pageValues are a page's values of each facet scored: its passages' tags
// together (gotValues), or its labels (wantValues).
type pageValues struct {
	topics, orgs, found, countries, years []string
}

// gotValues returns the union of a page's passage tags, by facet: the
// taxonomy organizations apart from those found beyond it, and the page's
// published year among its years.
func gotValues(tags []tag.Tags, d *Doc) pageValues {
	var v pageValues
	for _, t := range tags {
		v.topics = append(v.topics, t.Topics...)
		v.orgs = append(v.orgs, taxonomyOrgs(t)...)
		v.found = append(v.found, t.FoundOrganizations...)
		v.countries = append(v.countries, t.Countries...)
		for _, y := range t.Years {
			v.years = append(v.years, fmt.Sprint(y))
		}
	}
	if !d.Page.Published.IsZero() {
		v.years = append(v.years, fmt.Sprint(d.Page.Published.Year()))
	}
	return v
}

// wantValues returns a page's labels by facet: found organizations by the
// acronyms of its other organizations that the page writes.
func wantValues(d *Doc) pageValues {
	l := d.Label
	v := pageValues{topics: l.Topics, orgs: l.Organizations, found: writtenAcronyms(l, d.Page.Title+"\n"+d.Text),
		countries: l.Countries}
	for _, y := range l.Years {
		v.years = append(v.years, fmt.Sprint(y))
	}
	return v
}

// taxonomyOrgs returns a passage's organizations without those it found
// beyond the taxonomy.
func taxonomyOrgs(t tag.Tags) []string {
	if len(t.FoundOrganizations) == 0 {
		return t.Organizations
	}
	f := set(t.FoundOrganizations)
	var out []string
	for _, o := range t.Organizations {
		if !f[o] {
			out = append(out, o)
		}
	}
	return out
}

// writtenAcronyms returns the acronyms of a label's other organizations
// that text holds as a whole word, as written.
func writtenAcronyms(l Label, text string) []string {
	var out []string
	for _, o := range l.OtherOrganizations {
		if o.Acronym != "" && extract.ContainsWords(text, o.Acronym) {
			out = append(out, o.Acronym)
		}
	}
	return out
}

// Genres returns the genre keys of a result map, sorted, without "".
func Genres(res map[string]*Result) []string {
	var out []string
	for g := range res {
		if g != "" {
			out = append(out, g)
		}
	}
	sort.Strings(out)
	return out
}

// Table renders results as a markdown table, one row per genre and a last
// "all" row.
func Table(res map[string]*Result) string { return TableBy(res, "genre") }

// TableBy is Table with the first column named col (the groups of
// CrossValidateBy).
func TableBy(res map[string]*Result, col string) string {
	var b strings.Builder
	b.WriteString("| " + col + " | pages | topic P | topic R | topic F1 | passage topic P / R / F1 | organization P / R / F1 | country F1 | year F1 | type accuracy | found organization P / R |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	row := func(name string, r *Result) {
		tp, tr, tf := r.Topic.PRF()
		pp, pr, pf := r.Passage.PRF()
		op, or, of := r.Org.PRF()
		_, _, cf := r.Country.PRF()
		_, _, yf := r.Year.PRF()
		fp, fr, _ := r.Found.PRF()
		fmt.Fprintf(&b, "| %s | %d | %.2f | %.2f | %.2f | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.2f | %.2f | %.2f | %.2f / %.2f |\n",
			name, r.Pages, tp, tr, tf, pp, pr, pf, op, or, of, cf, yf, r.TypeAccuracy(), fp, fr)
	}
	for _, g := range Genres(res) {
		row(g, res[g])
	}
	row("**all**", res[""])
	return b.String()
}

// CrossValidate trains on every genre but one (train and dev pages, with
// the auxiliary pages when o.Aux) and scores the left-out genre's pages, for
// each genre of corpus in turn.
func CrossValidate(tg *tag.Tagger, corpus, aux []*Doc, o Options) (map[string]*Result, error) {
	return CrossValidateBy(tg, corpus, aux, o, func(d *Doc) string { return d.Label.Genre })
}

// CrossValidateBy is CrossValidate over the groups that group gives the
// pages: each group in turn is scored by a model trained on the rest; pages
// of group "" are always trained on, never scored. By writer (Label.Set:
// the later writers' sets, each a fresh reader with templates of its own)
// it asks what CrossValidate by genre cannot: how the tagger agrees with a
// reader it has never learnt from.
func CrossValidateBy(tg *tag.Tagger, corpus, aux []*Doc, o Options, group func(*Doc) string) (map[string]*Result, error) {
	groups := map[string]bool{}
	for _, d := range corpus {
		if g := group(d); g != "" {
			groups[g] = true
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	out := map[string]*Result{"": {}}
	for _, g := range names {
		var train, test []*Doc
		for _, d := range corpus {
			if group(d) == g {
				test = append(test, d)
			} else {
				train = append(train, d)
			}
		}
		m, err := Train(tg, append(train, aux...), o)
		if err != nil {
			return nil, fmt.Errorf("fold %s: %w", g, err)
		}
		mt, err := tg.WithModel(m)
		if err != nil {
			return nil, err
		}
		r := Evaluate(mt, test)
		out[g] = r[""]
		out[""].add(r[""])
	}
	return out, nil
}
