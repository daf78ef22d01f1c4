package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// locate makes the term locations (positions, as the index keeps them) of
// every token of text equal to one of words.
func locate(text string, words ...string) bsearch.TermLocationMap {
	m := bsearch.TermLocationMap{}
	for _, tok := range unicode.NewUnicodeTokenizer().Tokenize([]byte(text)) {
		if w := string(tok.Term); slices.Contains(words, w) {
			m[w] = append(m[w], &bsearch.Location{Pos: uint64(tok.Position)})
		}
	}
	return m
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Filler words about other programs. ", 12) +
		"The ports unit seized cocaine in containers. " + strings.Repeat("More text follows here. ", 10)
	tests := []struct {
		name, text string
		words      []string
		want       string
	}{
		{"short, no match", "Short text.", nil, "Short text."},
		{"short, a match", "Police train police.", []string{"Police", "police"},
			"<mark>Police</mark> train <mark>police</mark>."},
		{"escaped", `a <b> & "c"`, []string{"b"}, "a &lt;<mark>b</mark>&gt; &amp; &#34;c&#34;"},
		{"late match: window from its sentence", long, []string{"cocaine", "containers"},
			"… The ports unit seized <mark>cocaine</mark> in <mark>containers</mark>. More text follows here."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := snippet(tt.text, locate(tt.text, tt.words...))
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("snippet(%.30q…) = %q, want it to start with %q", tt.text, got, tt.want)
			}
			plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
			if n := utf8.RuneCountInString(plain); n > snippetLen+10 {
				t.Errorf("snippet(%.30q…) has %d characters, want about %d", tt.text, n, snippetLen)
			}
		})
	}
}

func TestSnippetWithoutMatchCutsAtAWord(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("ééé word ", 60)
	got := snippet(text, nil)
	if !strings.HasSuffix(got, "word …") && !strings.HasSuffix(got, "ééé …") {
		t.Errorf("snippet(long) = %q, want it cut after a whole word, then an ellipsis", got)
	}
	if !utf8.ValidString(got) {
		t.Errorf("snippet(long) = %q: invalid UTF-8", got)
	}
}

func TestSnippetPrefersWindowWithMoreTerms(t *testing.T) {
	t.Parallel()
	text := "Ports matter. " + strings.Repeat("Unrelated filler sentence here. ", 10) +
		"Ports and cocaine together. " + strings.Repeat("Tail text. ", 10)
	got := snippet(text, locate(text, "Ports", "cocaine"))
	if !strings.Contains(got, "<mark>Ports</mark> and <mark>cocaine</mark>") {
		t.Errorf("snippet = %q, want the window holding both terms", got)
	}
}

// TestSnippetFromPositions: the index keeps term positions without byte
// offsets, and a hit's snippet marks exactly the words that matched, found
// from their positions in the stored text, on ASCII and non-ASCII text
// (the tokenizer's two paths), with a possessive and stop words between.
func TestSnippetFromPositions(t *testing.T) {
	t.Parallel()
	ix := MustReadOnly(t, []Document{
		{ID: "a", Title: "A", Text: "The Bureau's police trained the police of Peru's ports, and the ports' police."},
		{ID: "b", Title: "B", Text: "Café naïve: the police in São Paulo trained — police, again; «police» officers."},
	})
	want := map[string]string{
		"a": "The Bureau&#39;s <mark>police</mark> trained the <mark>police</mark> of Peru&#39;s ports, and the ports&#39; <mark>police</mark>.",
		"b": "Café naïve: the <mark>police</mark> in São Paulo trained — <mark>police</mark>, again; «<mark>police</mark>» officers.",
	}
	res, err := ix.Search(context.Background(), Query{Q: "police"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Fatalf("%d hits, want 2", len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.Snippet != want[h.ID] {
			t.Errorf("snippet of %s:\n got %s\nwant %s", h.ID, h.Snippet, want[h.ID])
		}
	}
	// The term vectors hold positions, no offsets.
	tq := query.NewTermQuery("polic")
	tq.SetField(fieldText)
	req := bleve.NewSearchRequest(tq)
	req.IncludeLocations = true
	sr, err := ix.bi.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, h := range sr.Hits {
		for _, l := range h.Locations[fieldText]["polic"] {
			n++
			if l.Start != 0 || l.End != 0 || l.Pos == 0 {
				t.Errorf("%s: location %+v, want a position and no offsets", h.ID, *l)
			}
		}
	}
	if n != 6 {
		t.Errorf("%d locations of polic, want 6", n)
	}
}
