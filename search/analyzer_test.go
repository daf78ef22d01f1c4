package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

func tokenString(ts analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "[%s %d-%d p%d t%d k%v] ", t.Term, t.Start, t.End, t.Position, t.Type, t.KeyWord)
	}
	return b.String()
}

// randomText draws n bytes from an alphabet rich in the characters the
// word-break rules treat apart.
func randomText(r *rand.Rand, n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// TestAnalyzerMatchesEnglish: the text analyzer gives bleve's "en"
// analyzer's tokens (terms, positions, types; no offsets), and tokenSpans
// finds en's offsets of each token from its position, on random ASCII, on
// mixed text (which takes the slow path) and on prose.
func TestAnalyzerMatchesEnglish(t *testing.T) {
	t.Parallel()
	cache := registry.NewCache()
	want, err := cache.AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cache.AnalyzerNamed(textAnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var inputs []string
	for range 3000 {
		inputs = append(inputs, randomText(r, 1+r.IntN(40), "aZ9_:.',; \t\n\r-\"!?x1Ss"))
	}
	for range 300 {
		inputs = append(inputs, randomText(r, 1+r.IntN(200), "abcdefghijklmnopqrstuvwxyz ABC0123456789.,;:'_-()/\\\"\n\x00\x7f"))
	}
	inputs = append(inputs,
		"The Bureau's programs in Mexico's 32 states, e.g. U.S.-funded training (2019–2021): 1,250.5 officers' courses.",
		"Anti-money laundering: the FIU's analysts traced $3.5 million; rock'n'roll_band 3:15 p.m. café naïve",
		"", "   ", "'s", "John's", "JOHN'S", "it's_", "running runs ran runner",
	)
	for _, in := range inputs {
		en := want.Analyze([]byte(in))
		// The snippet's offsets: tokenSpans finds en's at each position.
		at := map[uint64]bool{}
		for _, tok := range en {
			at[uint64(tok.Position)] = true
		}
		spans := tokenSpans(in, at)
		for _, tok := range en {
			if sp, ok := spans[uint64(tok.Position)]; !ok || sp != [2]int{tok.Start, tok.End} {
				t.Fatalf("tokenSpans(%q) at %d = %v, %v; en: %d-%d", in, tok.Position, sp, ok, tok.Start, tok.End)
			}
			tok.Start, tok.End = 0, 0 // the index keeps no offsets
		}
		w, g := tokenString(en), tokenString(got.Analyze([]byte(in)))
		if w != g {
			t.Fatalf("Analyze(%q):\n en:     %s\n inl_en: %s", in, w, g)
		}
	}
}

func BenchmarkAnalyzer(b *testing.B) {
	cache := registry.NewCache()
	text := []byte(strings.Repeat("The Bureau supports police training and judicial reform programs in 32 countries. ", 60))
	for _, name := range []string{en.AnalyzerName, textAnalyzerName} {
		a, err := cache.AnalyzerNamed(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				a.Analyze(text)
			}
		})
	}
}
