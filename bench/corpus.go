package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/search"
)

// Levels are the planted document frequencies: 0.01 %, 0.1 %, 1 %, 10 %, 50 %.
var Levels = []float64{0.0001, 0.001, 0.01, 0.1, 0.5}

// LevelNames label Levels in reports.
var LevelNames = []string{"0.01%", "0.1%", "1%", "10%", "50%"}

// Corpus shape.
const (
	vocabSize       = 50000 // synthetic Zipf words
	termsPerLevel   = 10    // planted single terms per level
	phrasesPerLevel = 6     // planted phrases per level (half of two words, half of three)
	poolSize        = 24    // words phrases are made of
	poolDF          = 0.15  // each pool word also occurs alone in 15 % of passages
	minTextBytes    = 3000
	maxTextBytes    = 8000
)

// Corpus generates passages deterministically: passage i depends only on the
// seed and i, so any process can regenerate any part of it. Planted words are
// made of letters no other word uses and are placed inside sentences, never
// next to one another, so the exact answer to every planted query is known.
type Corpus struct {
	Seed    uint64
	N       int
	vocab   []string
	words   *zipf
	Terms   [][]string   // [level][k]
	Pool    []string     // words of the phrases
	Phrases [][][]string // [level][k] → words
	Tax     Taxonomy
	fac     map[string]*zipf
}

// Taxonomy holds the facet values passages are tagged with, most frequent first.
type Taxonomy struct {
	Organizations, Countries, Regions, Topics, Types []string
	// RegionCountries maps a region to its countries (the tagger's
	// hierarchy, which inlsearch's region filter follows).
	RegionCountries map[string][]string
	regionsOf       map[string][]string // country → the regions holding it
}

// LoadTaxonomy takes the display names of the project's own taxonomy (the
// tagger's vocabulary), in a fixed shuffled order so that popularity does not
// follow the alphabet.
func LoadTaxonomy() (Taxonomy, error) {
	tg, err := tag.New()
	if err != nil {
		return Taxonomy{}, fmt.Errorf("load taxonomy: %w", err)
	}
	voc := tg.Vocabulary()
	values := func(facet string) []string {
		set := map[string]bool{}
		for _, v := range voc.Aliases[facet] {
			set[v] = true
		}
		out := make([]string, 0, len(set))
		for v := range set {
			out = append(out, v)
		}
		sort.Strings(out)
		r := rand.New(rand.NewPCG(7, uint64(len(out))))
		r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out
	}
	tx := Taxonomy{
		Organizations:   values(search.FacetOrganization),
		Countries:       values(search.FacetCountry),
		Regions:         values(search.FacetRegion),
		Topics:          append([]string(nil), tag.CanonicalTopics...),
		Types:           append([]string(nil), tag.DocumentTypes...),
		RegionCountries: voc.Regions,
	}
	tx.regionsOf = map[string][]string{}
	for _, r := range sortedKeys(tx.RegionCountries) {
		for _, country := range tx.RegionCountries[r] {
			tx.regionsOf[country] = append(tx.regionsOf[country], r)
		}
	}
	if len(tx.Organizations) < 5 || len(tx.Countries) < 5 || len(tx.Regions) < 3 {
		return tx, fmt.Errorf("load taxonomy: too few values (%d organizations, %d countries, %d regions)",
			len(tx.Organizations), len(tx.Countries), len(tx.Regions))
	}
	return tx, nil
}

// NewCorpus prepares the generator of n passages.
func NewCorpus(seed uint64, n int, tx Taxonomy) *Corpus {
	c := &Corpus{Seed: seed, N: n, Tax: tx, words: newZipf(vocabSize, 1.05)}
	c.vocab = make([]string, vocabSize)
	for j := range c.vocab {
		c.vocab[j] = synthWord("", j)
	}
	next := 0
	for range Levels {
		var ts []string
		for range termsPerLevel {
			ts = append(ts, synthWord("zo", next))
			next++
		}
		c.Terms = append(c.Terms, ts)
	}
	for j := range poolSize {
		c.Pool = append(c.Pool, synthWord("zu", j*7+3))
	}
	// Phrases share no ordered pair of adjacent words, so one never occurs
	// inside another and each is found exactly where it was planted.
	r := rand.New(rand.NewPCG(seed, 0xF00D))
	used := map[[2]int]bool{}
	for range Levels {
		var ps [][]string
		for k := 0; k < phrasesPerLevel; {
			n := 2 + k%2
			idx := r.Perm(poolSize)[:n]
			ok := true
			for a := 0; a+1 < n; a++ {
				if used[[2]int{idx[a], idx[a+1]}] {
					ok = false
				}
			}
			if !ok {
				continue
			}
			var p []string
			for a := range n {
				if a+1 < n {
					used[[2]int{idx[a], idx[a+1]}] = true
				}
				p = append(p, c.Pool[idx[a]])
			}
			ps = append(ps, p)
			k++
		}
		c.Phrases = append(c.Phrases, ps)
	}
	c.fac = map[string]*zipf{
		search.FacetOrganization: newZipf(len(tx.Organizations), 1.1),
		search.FacetCountry:      newZipf(len(tx.Countries), 1.0),
		search.FacetRegion:       newZipf(len(tx.Regions), 0.9),
		search.FacetTopic:        newZipf(len(tx.Topics), 0.8),
		search.FacetType:         newZipf(len(tx.Types), 1.2),
	}
	return c
}

// synthWord spells number j as consonant-vowel syllables ending in a, o or
// u: words the Porter stemmer leaves as they are.
func synthWord(prefix string, j int) string {
	const cons, vows, fins = "bdfgklmnprstv", "aeiou", "aou"
	syl := func(b *strings.Builder, s int) { b.WriteByte(cons[s/5]); b.WriteByte(vows[s%5]) }
	fin := func(b *strings.Builder, s int) { b.WriteByte(cons[s/3]); b.WriteByte(fins[s%3]) }
	var b strings.Builder
	b.WriteString(prefix)
	const two = 65 * 39
	if j < two {
		syl(&b, j/39)
		fin(&b, j%39)
		return b.String()
	}
	j -= two
	syl(&b, j/(65*39))
	syl(&b, (j/39)%65)
	fin(&b, j%39)
	return b.String()
}

// Planted item kinds for has.
const (
	kindTerm = iota + 1
	kindPool
	kindPhrase
)

// has reports whether passage i holds the planted item (kind, level, k).
func (c *Corpus) has(kind, level, k, i int) bool {
	p := poolDF
	if kind != kindPool {
		p = Levels[level]
	}
	h := mix(c.Seed ^ mix(uint64(kind)<<56|uint64(level)<<48|uint64(k)<<32|uint64(i)))
	return float64(h>>11)/(1<<53) < p
}

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Tags are the facet values of one passage.
type Tags struct {
	Organizations, Countries, Regions, Topics []string
	Type                                      string
	Years                                     []int
	Amounts                                   []float64
}

// Values returns the values of one facet ("year" as four digits).
func (t *Tags) Values(facet string) []string {
	switch facet {
	case search.FacetOrganization:
		return t.Organizations
	case search.FacetCountry:
		return t.Countries
	case search.FacetRegion:
		return t.Regions
	case search.FacetTopic:
		return t.Topics
	case search.FacetType:
		return []string{t.Type}
	case search.FacetPublishedYear:
		// Passage dates a passage in its last year.
		return []string{fmt.Sprintf("%04d", t.Years[len(t.Years)-1])}
	case search.FacetYear:
		out := make([]string, len(t.Years))
		for i, y := range t.Years {
			out[i] = fmt.Sprintf("%04d", y)
		}
		return out
	}
	return nil
}

// TagsOf draws the tags of passage i: several skewed values per facet.
func (c *Corpus) TagsOf(i int) Tags {
	r := rand.New(rand.NewPCG(c.Seed, uint64(i)<<1))
	pick := func(facet string, vals []string, lo, hi int) []string {
		n := lo + r.IntN(hi-lo+1)
		set := map[string]bool{}
		var out []string
		for try := 0; len(out) < n && try < 4*n; try++ {
			v := vals[c.fac[facet].pick(r)]
			if !set[v] {
				set[v] = true
				out = append(out, v)
			}
		}
		sort.Strings(out)
		return out
	}
	t := Tags{
		Organizations: pick(search.FacetOrganization, c.Tax.Organizations, 1, 3),
		Countries:     pick(search.FacetCountry, c.Tax.Countries, 1, 4),
		Regions:       pick(search.FacetRegion, c.Tax.Regions, 1, 2),
		Topics:        pick(search.FacetTopic, c.Tax.Topics, 1, 3),
		Type:          c.Tax.Types[c.fac[search.FacetType].pick(r)],
	}
	years := map[int]bool{}
	for range 1 + r.IntN(3) {
		u := r.Float64()
		years[2025-int(31*u*u)] = true // recent years are the most frequent
	}
	for y := range years {
		t.Years = append(t.Years, y)
	}
	sort.Ints(t.Years)
	for range r.IntN(3) {
		t.Amounts = append(t.Amounts, float64(1+r.IntN(900))*100000)
	}
	return t
}

// zipf draws ranks 0..n-1 with probability ∝ 1/(rank+1)^s.
type zipf struct{ cdf []float64 }

func newZipf(n int, s float64) *zipf {
	z := &zipf{cdf: make([]float64, n)}
	sum := 0.0
	for k := range n {
		sum += 1 / math.Pow(float64(k+1), s)
		z.cdf[k] = sum
	}
	for k := range z.cdf {
		z.cdf[k] /= sum
	}
	return z
}

func (z *zipf) pick(r *rand.Rand) int {
	k := sort.SearchFloat64s(z.cdf, r.Float64())
	return min(k, len(z.cdf)-1)
}

// Passage returns passage i with its tags.
func (c *Corpus) Passage(i int) search.Document {
	t := c.TagsOf(i)
	d := search.Document{
		ID:            fmt.Sprintf("p%07d", i),
		PageURL:       fmt.Sprintf("https://bench.example/programs/%d.htm", i/8),
		Organizations: t.Organizations, Countries: t.Countries, Regions: t.Regions, Topics: t.Topics,
		Type: t.Type, Years: t.Years, Amounts: t.Amounts,
	}
	d.URL = fmt.Sprintf("%s#part-%d", d.PageURL, i%8)
	d.Published = time.Date(t.Years[len(t.Years)-1], time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
	d.Title, d.Section, d.Text = c.text(i, &t)
	return d
}
