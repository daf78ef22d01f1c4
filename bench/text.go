package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// stopWords are common English function words; about 45 % of the tokens of
// a passage are drawn from them, as in real prose.
var stopWords = strings.Fields(`the the the of of of and and and to to in in a a is that for
	it as was with be by on not this are or from at which but have an had they
	were their been has its more will would who there can all also than other into
	these some such only when may over under between through during after about`)

var headings = []string{
	"Program Overview", "Challenges", "Partners", "Results", "Funding",
	"Background", "Assistance", "Training", "Priorities", "Cooperation",
}

// text writes the title, section and text of passage i. Planted items each get
// a sentence of their own, away from its first and last word, so that no two
// planted words are ever adjacent and the punctuation between sentences never
// joins them into a phrase.
func (c *Corpus) text(i int, t *Tags) (title, section, text string) {
	r := rand.New(rand.NewPCG(c.Seed, uint64(i)<<1|1))
	title = fmt.Sprintf("%s: %s programs %s", t.Countries[0], t.Topics[0], c.vocab[c.words.pick(r)])
	section = headings[r.IntN(len(headings))]
	if r.IntN(3) == 0 {
		section = t.Organizations[0]
	}

	var planted [][]string
	for l := range Levels {
		for k, w := range c.Terms[l] {
			if c.has(kindTerm, l, k, i) {
				for range 1 + r.IntN(3) {
					planted = append(planted, []string{w})
				}
			}
		}
		for k, p := range c.Phrases[l] {
			if c.has(kindPhrase, l, k, i) {
				for range 1 + r.IntN(2) {
					planted = append(planted, p)
				}
			}
		}
	}
	for k, w := range c.Pool {
		if c.has(kindPool, 0, k, i) {
			for range 1 + r.IntN(2) {
				planted = append(planted, []string{w})
			}
		}
	}
	var mentions []string
	for _, vs := range [][]string{t.Organizations, t.Countries, t.Regions, t.Topics} {
		for _, v := range vs {
			for range 1 + r.IntN(2) {
				mentions = append(mentions, v)
			}
		}
	}
	for _, y := range t.Years {
		mentions = append(mentions, fmt.Sprintf("in %d", y))
	}
	for _, a := range t.Amounts {
		mentions = append(mentions, fmt.Sprintf("$%.1f million", a/1e6))
	}

	target := minTextBytes + r.IntN(maxTextBytes-minTextBytes+1)
	sentences := max(target/95, len(planted))
	slotOf := make(map[int][]string, len(planted))
	for j, s := range r.Perm(sentences)[:len(planted)] {
		slotOf[s] = planted[j]
	}
	mentionOf := map[int][]string{}
	for _, m := range mentions {
		s := r.IntN(sentences)
		mentionOf[s] = append(mentionOf[s], m)
	}

	var b strings.Builder
	b.Grow(target + 256)
	toks := make([]string, 0, 32)
	for s := 0; s < sentences || b.Len() < target; s++ {
		n := 8 + r.IntN(11)
		toks = toks[:0]
		for range n {
			if r.Float64() < 0.45 {
				toks = append(toks, stopWords[r.IntN(len(stopWords))])
			} else {
				toks = append(toks, c.vocab[c.words.pick(r)])
			}
		}
		for _, m := range mentionOf[s] {
			toks = insert(toks, r.IntN(len(toks)+1), []string{m})
		}
		if p, ok := slotOf[s]; ok {
			toks = insert(toks, 1+r.IntN(len(toks)-1), p)
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		first := toks[0]
		b.WriteString(strings.ToUpper(first[:1]))
		b.WriteString(first[1:])
		for _, w := range toks[1:] {
			b.WriteByte(' ')
			b.WriteString(w)
		}
		b.WriteByte('.')
	}
	return title, section, b.String()
}

func insert(toks []string, at int, words []string) []string {
	out := make([]string, 0, len(toks)+len(words))
	out = append(out, toks[:at]...)
	out = append(out, words...)
	return append(out, toks[at:]...)
}
