package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

func TestSimilar(t *testing.T) {
	t.Parallel()
	doc := func(id, page, text string, countries ...string) Document {
		return Document{ID: id, URL: "https://example.gov/" + page + "#" + id, PageURL: "https://example.gov/" + page,
			Title: "Page " + page, Text: text, Countries: countries}
	}
	docs := []Document{
		doc("a", "p1", "The program program program program trains chemists to stop precursor diversion to methamphetamine labs.", "Mexico"),
		doc("b", "p1", "Precursor diversion to methamphetamine labs is the program's focus.", "Mexico"),
		doc("c", "p2", "Inspectors stop precursor diversion feeding methamphetamine labs.", "Peru"),
		doc("d", "p3", "The program program program program funds program staff in the program office.", "Ghana"),
		doc("e", "p4", "Courts hear extradition cases.", "Mexico"),
		doc("f", "p5", "Prison officers learn about classification.", "Laos"),
	}
	for i := range 20 { // "program" is common, the precursor words are rare
		docs = append(docs, doc(fmt.Sprintf("z%02d", i), fmt.Sprintf("z%d", i), "The program supports partner agencies with training and equipment."))
	}
	ix := MustIndex(t, Vocabulary{}, docs)
	ids := func(res *Result) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	ctx := context.Background()
	res, err := ix.Similar(ctx, "a", SimilarOptions{Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(res)
	if len(got) == 0 || got[0] != "c" {
		t.Errorf("Similar(a) = %v, want c (other page, same distinctive words) first", got)
	}
	if slices.Contains(got, "a") || slices.Contains(got, "b") {
		t.Errorf("Similar(a) = %v: holds the passage itself or one of its page", got)
	}
	// d repeats the frequent word "program" as often as a does: frequency
	// alone would rank it high; weight ranks the tag match e above it.
	if i, j := slices.Index(got, "e"), slices.Index(got, "d"); i < 0 || (j >= 0 && j < i) {
		t.Errorf("Similar(a) = %v, want e (shared tag) before d (shared common word)", got)
	}
	if slices.Contains(got, "f") {
		t.Errorf("Similar(a) = %v holds f, which shares nothing", got)
	}
	if res.Hits[0].Snippet == "" || !containsMark(res.Hits[0].Snippet) {
		t.Errorf("snippet of the first similar passage = %q, want the shared words marked", res.Hits[0].Snippet)
	}
	res, err = ix.Similar(ctx, "a", SimilarOptions{Size: 5, SamePage: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); len(got) < 2 || !slices.Contains(got[:2], "b") || slices.Contains(got, "a") {
		t.Errorf("Similar(a, same page) = %v, want b among the first two, never a", got)
	}
	if _, err := ix.Similar(ctx, "nope", SimilarOptions{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Similar(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := ix.Similar(ctx, "a", SimilarOptions{Size: 101}); !errors.Is(err, ErrBadPagination) {
		t.Errorf("Similar(size 101) = %v, want ErrBadPagination", err)
	}
}

func containsMark(s string) bool { return strings.Contains(s, "<mark>") }

// TestSimilarSameTheme: among passages on three themes, each drawn from
// its theme's words and a vocabulary every theme shares, with tags drawn
// regardless of theme, the similar passages of a passage are on its
// theme: it is the distinctive words, not the common ones or the tags,
// that make them similar.
func TestSimilarSameTheme(t *testing.T) {
	t.Parallel()
	themes := [][]string{
		{"precursor", "diversion", "methamphetamine", "laboratory", "chemist", "ephedrine", "reagent", "clandestine", "pseudoephedrine", "acetone"},
		{"extradition", "treaty", "prosecutor", "magistrate", "indictment", "appellate", "fugitive", "warrant", "tribunal", "testimony"},
		{"prison", "inmate", "warden", "classification", "parole", "cellblock", "custody", "rehabilitation", "sentencing", "incarceration"},
	}
	common := []string{"program", "support", "partner", "training", "government", "capacity", "assistance", "development", "equipment", "officials", "national", "strengthen"}
	countries := []string{"Mexico", "Peru", "Ghana", "Laos", "Colombia"}
	var docs []Document
	theme := map[string]int{}
	seed := uint32(7)
	rnd := func(n int) int { // xorshift: a fixed sequence
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		return int(seed % uint32(n))
	}
	for i := range 240 {
		th := i % len(themes)
		var words []string
		for range 40 {
			words = append(words, common[rnd(len(common))])
		}
		for range 6 {
			words = append(words, themes[th][rnd(len(themes[th]))])
		}
		id := fmt.Sprintf("t%03d", i)
		theme[id] = th
		docs = append(docs, Document{ID: id, URL: "https://example.gov/p" + id, PageURL: "https://example.gov/p" + id,
			Title: "Report", Text: strings.Join(words, " ") + ".", Countries: []string{countries[rnd(len(countries))]}})
	}
	ix := MustIndex(t, Vocabulary{}, docs)
	for _, id := range []string{"t000", "t001", "t002", "t100", "t131", "t239"} {
		res, err := ix.Similar(context.Background(), id, SimilarOptions{Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 10 {
			t.Fatalf("Similar(%s) = %d hits, want 10", id, len(res.Hits))
		}
		for _, h := range res.Hits {
			if theme[h.ID] != theme[id] || h.ID == id {
				t.Errorf("Similar(%s) holds %s (theme %d), want only other passages of theme %d", id, h.ID, theme[h.ID], theme[id])
			}
		}
	}
}

// TestTermDocFreqsDeadline: a call whose context has ended returns its
// error; the read it started goes on, and the next call gets the table.
func TestTermDocFreqsDeadline(t *testing.T) {
	t.Parallel()
	ix := MustIndex(t, Vocabulary{}, []Document{
		{ID: "a", Text: "extradition treaty signed"}, {ID: "b", Text: "extradition treaty ratified"},
		{ID: "c", Text: "prison reform"}, {ID: "d", Text: "court ruling"}, {ID: "e", Text: "police training"},
	})
	adv, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	reader := func() index.IndexReader {
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := reader()
	fx, err := facetIndexOf(r)
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fx.termDocFreqs(done, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("termDocFreqs(cancelled) = %v, want context.Canceled", err)
	}
	df, err := fx.termDocFreqs(context.Background(), reader())
	if err != nil {
		t.Fatal(err)
	}
	// The two words of a and b are in two of five passages; every other
	// word is in one (it matches nothing else).
	if len(df) != 2 {
		t.Errorf("termDocFreqs = %v, want the two words of a and b", df)
	}
	for term, n := range df {
		if n != 2 {
			t.Errorf("termDocFreqs[%q] = %d, want 2", term, n)
		}
	}
}
