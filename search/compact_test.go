package search

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// analysisOf is a field's analysis in a comparable form: its length, then
// each term with its frequency and locations, sorted.
func analysisOf(f document.Field) string {
	var lines []string
	for term, tf := range f.AnalyzedTokenFrequencies() {
		var locs []string
		for _, l := range tf.Locations {
			locs = append(locs, fmt.Sprintf("%d/%d-%d%v", l.Position, l.Start, l.End, l.ArrayPositions))
		}
		slices.Sort(locs)
		lines = append(lines, fmt.Sprintf("%q ×%d %v", term, tf.Frequency(), locs))
	}
	slices.Sort(lines)
	return fmt.Sprintf("length %d\n%s", f.AnalyzedLength(), strings.Join(lines, "\n"))
}

// compactTexts returns texts for the analyzer comparison: edge cases,
// random ASCII and non-ASCII strings, and the labelled corpus's pages.
func compactTexts(t *testing.T) []string {
	t.Helper()
	texts := []string{
		"", " ", "a", "'s", "s", "The INL's Bureau's programs", "DON'T can't O'Neil's rock'n'roll",
		"U.S. 1,000.50 3.14 a.b.c 1;2 x:y 12:30 foo_bar _x 2024's", "THE AND OF to be Or",
		"police training police TRAINING Police-training", "naïve café résumé — Σίσυφος ΣΑΣ",
		"INL’s partner’s ＇s", "Ⱥ Ⱦ İstanbul", strings.Repeat("word ", 300),
	}
	r := rand.New(rand.NewSource(7))
	alphabet := []string{"a", "B", "s", "S", "'", ".", ",", ";", ":", "_", "1", "9", " ", " ", "-", "é", "’", "Σ", "\t", "x"}
	for range 3000 {
		var b strings.Builder
		for range r.Intn(40) {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, d := range benchDocs(300) {
		texts = append(texts, d.Text, d.Title, d.Section)
	}
	pages, _ := filepath.Glob("../indexer/tag/testdata/corpus/*/*.html")
	if len(pages) == 0 {
		t.Fatal("no corpus pages")
	}
	for _, p := range pages[:min(len(pages), 200)] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	return texts
}

// TestCompactTextMatchesAnalyzer checks that a compactText's analysis is
// token for token the text analyzer's, as bleve's TextField makes it,
// and that its compact terms say the same.
func TestCompactTextMatchesAnalyzer(t *testing.T) {
	texts := compactTexts(t)
	t.Run("default", func(t *testing.T) { compareCompact(t, texts) })
	t.Run("small scratch", func(t *testing.T) {
		// Scratches that forget their words and terms every few fields.
		defer maxScratchTerms.Store(maxScratchTerms.Swap(64))
		compareCompact(t, texts)
	})
}

func compareCompact(t *testing.T, texts []string) {
	an := NewMapping().AnalyzerNamed(textAnalyzerName)
	opts := index.IndexField | index.StoreField | index.IncludeTermVectors
	for i, text := range texts {
		want := document.NewTextFieldCustom("text", nil, []byte(text), opts, an)
		want.Analyze()
		got := &compactText{name: "text", options: opts, value: []byte(text), analyzer: an}
		got.Analyze()
		if g, w := analysisOf(got), analysisOf(want); g != w {
			t.Fatalf("text %d %.80q:\ngot  %s\nwant %s", i, text, g, w)
		}
		terms, offsets, positions := got.CompactTerms()
		if len(offsets) != len(terms)+1 || int(offsets[len(terms)]) != len(positions) {
			t.Fatalf("text %d: %d terms, %d offsets, %d positions", i, len(terms), len(offsets), len(positions))
		}
		for k, term := range terms {
			ps := positions[offsets[k]:offsets[k+1]]
			tf := want.AnalyzedTokenFrequencies()[term]
			if tf == nil || len(ps) != tf.Frequency() || !slices.IsSorted(ps) {
				t.Fatalf("text %d: term %q positions %v, want %d sorted", i, term, ps, tf.Frequency())
			}
		}
		if string(got.Value()) != text {
			t.Fatalf("text %d: the analysis changed the value", i)
		}
	}
}

// TestCompactDocument checks that compactDocument turns exactly the text
// analyzer's fields into compactText and keeps every other field.
func TestCompactDocument(t *testing.T) {
	d := benchDocs(1)[0]
	m, err := fields(&d, d.LastSeen)
	if err != nil {
		t.Fatal(err)
	}
	im := NewMapping()
	doc, err := compactDocument(im, d.ID, m)
	if err != nil {
		t.Fatal(err)
	}
	compact := map[string]bool{}
	for _, f := range doc.Fields {
		if _, ok := f.(*compactText); ok {
			compact[f.Name()] = true
		}
	}
	for _, tf := range textFields {
		if !compact[tf.name] {
			t.Errorf("field %s is not compact", tf.name)
		}
	}
	if len(compact) != len(textFields) {
		t.Errorf("compact fields %v, want the text fields only", compact)
	}
}

// BenchmarkCompactAnalyze measures the analysis of passages' text fields
// into compactText, against bleve's TextField with the same analyzer.
func BenchmarkCompactAnalyze(b *testing.B) {
	an := NewMapping().AnalyzerNamed(textAnalyzerName)
	opts := index.IndexField | index.StoreField | index.IncludeTermVectors
	docs := benchDocs(2000)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Text))
	}
	b.Run("compact", func(b *testing.B) {
		b.SetBytes(bytes)
		for b.Loop() {
			for _, d := range docs {
				f := &compactText{name: "text", options: opts, value: []byte(d.Text), analyzer: an}
				f.Analyze()
			}
		}
	})
	b.Run("bleve", func(b *testing.B) {
		b.SetBytes(bytes)
		for b.Loop() {
			for _, d := range docs {
				f := document.NewTextFieldCustom("text", nil, []byte(d.Text), opts, an)
				f.Analyze()
			}
		}
	})
}
