package search

import (
	"strings"
	"testing"
)

func TestExpensive(t *testing.T) {
	t.Parallel()
	e, err := NewEngine(testVocabulary, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    Query
		want bool
	}{
		{Query{Q: "police training"}, false},
		{Query{Q: `"rule of law"`, Page: 3}, false},
		{Query{Q: "", Filters: map[string][]string{FacetCountry: {"Mexico"}}}, false},
		{Query{Q: "", YearFrom: 2010}, false},
		{Query{Q: ""}, true},
		{Query{Q: "*"}, true},
		{Query{Q: "??????"}, true},
		{Query{Q: "traffick*"}, false},
		{Query{Q: strings.Repeat("police ", 30)}, true}, // 30 words × 3 fields
		{Query{Q: "police", Page: 11, PerPage: 100}, true},
		{Query{Q: `"open`}, false}, // refused at once
	}
	for _, tt := range tests {
		if got := e.Expensive(tt.q); got != tt.want {
			t.Errorf("Expensive(%+v) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
