package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// benchDocs generates n passages from a small vocabulary of the field.
func benchDocs(n int) []Document {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("police training border security cocaine heroin seizures courts judges " +
		"prosecutors corruption money laundering financial intelligence units ports containers " +
		"traffickers smuggling networks alternative development eradication coca poppy treatment " +
		"prevention gangs youth prisons corrections maritime patrol boats aviation helicopters")
	countries := []string{"Mexico", "Colombia", "Peru", "Afghanistan", "Pakistan", "Liberia", "Haiti", "Laos"}
	topics := []string{"counternarcotics", "money laundering", "corruption", "police training", "corrections"}
	docs := make([]Document, n)
	for i := range docs {
		text := make([]string, 60)
		for k := range text {
			text[k] = words[r.IntN(len(words))]
		}
		docs[i] = Document{
			ID: fmt.Sprintf("doc-%05d", i), Title: strings.Join(text[:4], " "), Section: text[4],
			Text:      strings.Join(text, " "),
			Countries: []string{countries[r.IntN(len(countries))]}, Topics: []string{topics[r.IntN(len(topics))]},
			Years: []int{2005 + r.IntN(15)}, Published: time.Date(2005+r.IntN(15), 1, 1, 0, 0, 0, 0, time.UTC),
			Evidence: benchEvidence(text),
		}
	}
	return docs
}

// benchEvidence is the evidence of a tagged passage: eight sentences of
// about 25 words, as the tagger stores per passage (search must not pay for it).
func benchEvidence(text []string) map[string]string {
	ev := map[string]string{}
	for k := range 8 {
		ev[fmt.Sprintf("topic:t%d", k)] = strings.Join(text[k*4:k*4+25], " ") + "."
	}
	return ev
}

func BenchmarkSearch(b *testing.B) {
	ix := MustIndex(b, testVocabulary, benchDocs(3000))
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"term", Query{Q: "cocaine"}},
		{"words", Query{Q: "police training border"}},
		{"phrase", Query{Q: `"money laundering"`}},
		{"synonym", Query{Q: "AML"}},
		{"prefix", Query{Q: "traffick*"}},
		{"browse", Query{}},
		{"faceted", Query{Q: "police", Filters: map[string][]string{FacetCountry: {"Mexico", "Peru"}, FacetTopic: {"corruption"}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
