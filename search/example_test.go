package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/inlsearch/inlsearch/search"
)

func ExampleIndex_Search() {
	dir, err := os.MkdirTemp("", "inlsearch-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	voc := search.Vocabulary{
		Synonyms: [][]string{{"money laundering", "AML", "anti-money laundering"}},
		Aliases:  map[string]map[string]string{search.FacetCountry: {"the bahamas": "Bahamas"}},
	}
	ix, err := search.Create(filepath.Join(dir, "index"), voc)
	if err != nil {
		panic(err)
	}
	defer ix.Close()
	err = ix.Add(context.Background(), []search.Document{
		{ID: "a", Title: "Financial Crimes", Text: "Advisers help AML regulators supervise banks.",
			Countries: []string{"Bahamas"}, Topics: []string{"money laundering"}},
		{ID: "b", Title: "Money Laundering", Text: "Financial intelligence units trace money laundering.",
			Countries: []string{"Jamaica"}, Topics: []string{"money laundering"}},
		{ID: "c", Title: "Maritime Security", Text: "Interceptor boats patrol the coast.",
			Countries: []string{"Bahamas"}, Topics: []string{"maritime security"}},
	})
	if err != nil {
		panic(err)
	}

	res, err := ix.Search(context.Background(), search.Query{
		Q:       "money laundering",
		Filters: map[string][]string{search.FacetCountry: {"the Bahamas"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("total:", res.Total)
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Snippet)
	}
	for _, v := range res.Facets[search.FacetCountry] {
		fmt.Println(v.Value, v.Count, v.Selected)
	}
	// Output:
	// total: 1
	// a Advisers help <mark>AML</mark> regulators supervise banks.
	// Bahamas 1 true
	// Jamaica 1 false
}
