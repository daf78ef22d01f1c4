package search

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// scores runs q and returns the score of each hit by id.
func scores(tb testing.TB, ix *Index, q Query) map[string]float64 {
	tb.Helper()
	q.PerPage, q.NoFacets = 100, true
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out
}

// A word that is common in passage text but rare in titles must not weigh
// many times more in a title than its boost says.
func TestTitleWeighsItsBoost(t *testing.T) {
	t.Parallel()
	var docs []Document
	for i := range 30 {
		text := "patrol vehicles radios and training for officers"
		if i < 20 {
			text = "patrol vehicles radios and training for police"
		}
		docs = append(docs, Document{ID: fmt.Sprintf("filler-%02d", i), Title: "annual review part", Section: "summary", Text: text})
	}
	docs = append(docs,
		Document{ID: "title", Title: "police review part", Section: "summary", Text: "patrol vehicles radios and training for officers"},
		Document{ID: "text", Title: "annual review part", Section: "summary", Text: "patrol vehicles radios and training for police"},
	)
	s := scores(t, MustIndex(t, Vocabulary{}, docs), Query{Q: "police"})
	if s["title"] == 0 || s["text"] == 0 {
		t.Fatalf("scores %v: both passages should match", s)
	}
	ratio := s["title"] / s["text"]
	boost := textFields[0].boost
	if ratio < 1 || ratio > 2*boost {
		t.Errorf("title match / text match = %.2f, want between 1 and %.1f (title boost %.1f)", ratio, 2*boost, boost)
	}
}

// A word that names a facet value also finds the passages tagged with it,
// below the passages that say it; a quoted phrase stays literal.
func TestWordsMatchTags(t *testing.T) {
	t.Parallel()
	voc := Vocabulary{
		Synonyms: [][]string{{"money laundering", "AML"}},
		Aliases: map[string]map[string]string{
			FacetRegion: {"caribbean": "Caribbean", "west indies": "Caribbean"},
			FacetTopic:  {"money laundering": "money laundering", "aml": "money laundering"},
		},
	}
	docs := []Document{
		{ID: "says", Text: "Caribbean banks and money laundering", Regions: []string{"Caribbean"}, Topics: []string{"money laundering"}},
		{ID: "tagged", Text: "Bahamas banks report suspicious transactions", Regions: []string{"Caribbean"}, Topics: []string{"money laundering"}},
		{ID: "region-only", Text: "Jamaica police training", Regions: []string{"Caribbean"}},
		{ID: "other", Text: "Andean coca eradication", Regions: []string{"Andean region"}},
	}
	ix := MustIndex(t, voc, docs)
	tests := []struct {
		q     string
		first string   // the best hit, when it matters
		want  []string // every hit, sorted
	}{
		{"Caribbean", "says", []string{"region-only", "says", "tagged"}},
		{"west indies", "", []string{"region-only", "says", "tagged"}},
		{"AML Caribbean", "says", []string{"says", "tagged"}},
		{`"Caribbean"`, "says", []string{"says"}},
		{"text:Caribbean", "says", []string{"says"}},
		{"police -Caribbean", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Query{Q: tt.q, NoFacets: true, Match: MatchAll})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("Search(%q) = %v, want %s first", tt.q, got, tt.first)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}
