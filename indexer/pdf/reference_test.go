package pdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestAgainstPdftotext compares the words of each demo PDF with those Debian's
// pdftotext (poppler-utils) finds, where it is installed: every word we give
// must be one of its words (we invent nothing: joined hyphenations and
// unfolded ligatures are words it also joins), and we must keep nearly all of
// its distinct words (what we drop are running headers and page numbers).
func TestAgainstPdftotext(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	for name, data := range MustSiteFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "in.pdf")
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			ref, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			theirs := words(string(ref))
			doc := MustExtract(t, data)
			var ours strings.Builder
			ours.WriteString(doc.Title + "\n")
			for _, p := range doc.Passages {
				ours.WriteString(strings.Join(p.Headings, "\n") + "\n" + p.Text + "\n")
			}
			mine := words(ours.String())
			for w := range mine {
				if !theirs[w] {
					t.Errorf("word %q is not in pdftotext's text", w)
				}
			}
			kept := 0
			for w := range theirs {
				if mine[w] {
					kept++
				}
			}
			if share := float64(kept) / float64(len(theirs)); share < 0.95 {
				t.Errorf("kept %d of pdftotext's %d distinct words (%.0f%%), want 95%% or more", kept, len(theirs), 100*share)
			}
		})
	}
}

// words are the distinct lower-case words of s, digits dropped.
func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		out[w] = true
	}
	delete(out, "")
	return out
}
