package tag_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
	"github.com/inlsearch/inlsearch/indexer/tag/learn"
)

// corpusLabel is the part of a corpus label (testdata/corpus/SPEC.md) that
// the organization figures read.
type corpusLabel struct {
	URL                string   `json:"url"`
	Genre              string   `json:"genre"`
	Split              string   `json:"split"`
	Organizations      []string `json:"organizations"`
	OtherOrganizations []struct {
		Name    string `json:"name"`
		Acronym string `json:"acronym"`
	} `json:"other_organizations"`
}

// TestCorpusDevOrganizations measures organizations on the dev split of the
// labelled corpus: taxonomy organizations against "organizations", found
// organizations against the acronyms of "other_organizations" that the
// page writes (as train -report scores them: the tagger's value is the
// acronym as written, and labels list bodies a page names without one). It never
// reads a page whose label says "test" (the blind split): the split is
// checked before anything else of the label is used. CORPUS_DEV=1 runs it;
// -v prints each page's organization misses.
func TestCorpusDevOrganizations(t *testing.T) {
	if os.Getenv("CORPUS_DEV") == "" {
		t.Skip("set CORPUS_DEV=1")
	}
	split := os.Getenv("CORPUS_SPLIT")
	if split == "" {
		split = "dev"
	}
	if split == "test" {
		t.Fatal("the test split is blind: run it once, at the end, from its own harness")
	}
	names, err := filepath.Glob("testdata/corpus/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	tg := tag.MustNew()
	var orgs, found learn.Score
	pages := 0
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var l corpusLabel
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if l.Split != split {
			continue
		}
		body, err := os.ReadFile(strings.TrimSuffix(n, ".json") + ".html")
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got, _, text := tagHTMLText(t, tg, l.URL, body, "text/html")
		fp, fn := orgs.Compare(got.Organizations, l.Organizations)
		var acr []string
		for _, o := range l.OtherOrganizations {
			if o.Acronym != "" && extract.ContainsWords(text, o.Acronym) {
				acr = append(acr, o.Acronym)
			}
		}
		ffp, ffn := found.Compare(got.FoundOrganizations, acr)
		if testing.Verbose() && len(fp)+len(fn)+len(ffp)+len(ffn) > 0 {
			t.Logf("%s: organization +%q -%q; found +%q (written, not found: %q)", n, fp, fn, ffp, ffn)
		}
	}
	p, r, f1 := orgs.PRF()
	t.Logf("%s: %d pages; organization P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d)", split, pages, p, r, f1, orgs.TP, orgs.FP, orgs.FN)
	p, r, f1 = found.PRF()
	t.Logf("%s: found organizations P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d; against the acronyms of other_organizations the page writes)",
		split, p, r, f1, found.TP, found.FP, found.FN)
}
