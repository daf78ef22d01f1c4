package search

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// Snippet sizes, in characters.
const (
	snippetLen  = 200
	snippetLead = 40 // context kept before the first match
)

// span is a matched term in the text, in bytes.
type span struct {
	start, end int
	term       string
}

// snippet is the best window of about snippetLen characters of text, with
// the matched terms (bleve's term locations, by position) in <mark> and everything else
// escaped. Without matches it is the start of the text.
func snippet(text string, locs bsearch.TermLocationMap) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	spans := spansOf(text, locs)
	if len(spans) == 0 {
		end := cutAfter(text, 0, snippetLen)
		return render(text, 0, end, nil)
	}
	// The window that starts at a match and covers the most distinct terms,
	// then the most matches; the earliest wins a tie.
	best, bestScore := 0, -1
	for i := range spans {
		limit := advance(text, spans[i].start, snippetLen-snippetLead)
		seen := map[string]bool{}
		n := 0
		for j := i; j < len(spans) && spans[j].end <= limit; j++ {
			seen[spans[j].term] = true
			n++
		}
		if score := len(seen)*1000 + n; score > bestScore {
			best, bestScore = i, score
		}
	}
	start := cutBefore(text, spans[best].start, snippetLead)
	end := cutAfter(text, start, snippetLen)
	if end < spans[best].end {
		end = spans[best].end
	}
	return render(text, start, end, spans)
}

// spansOf lists the locations in byte order, overlaps merged. A location's
// bytes are those of the token at its position in text (the index keeps
// positions, not offsets: noOffsets).
func spansOf(text string, locs bsearch.TermLocationMap) []span {
	want := map[uint64]bool{}
	for _, ls := range locs {
		for _, l := range ls {
			want[l.Pos] = true
		}
	}
	at := tokenSpans(text, want)
	var spans []span
	for term, ls := range locs {
		for _, l := range ls {
			sp, ok := at[l.Pos]
			if !ok || sp[0] < 0 || sp[1] > len(text) || sp[0] >= sp[1] {
				continue
			}
			spans = append(spans, span{sp[0], sp[1], term})
		}
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && s.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// advance moves n characters forward from i.
func advance(text string, i, n int) int {
	for ; n > 0 && i < len(text); n-- {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return i
}

// cutBefore moves up to n characters back from i, to the start of a word
// (or of a sentence, if one starts within reach).
func cutBefore(text string, i, n int) int {
	lo := i
	for k := 0; k < n && lo > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(text[:lo])
		lo -= size
	}
	if lo == 0 {
		return 0
	}
	if k := strings.Index(text[lo:i], ". "); k >= 0 {
		return lo + k + 2
	}
	for j := lo; j < i; {
		r, size := utf8.DecodeRuneInString(text[j:])
		j += size
		if unicode.IsSpace(r) {
			return j
		}
	}
	return i
}

// cutAfter is the end of a window of n characters from start, moved back to
// the last space so that no word is cut.
func cutAfter(text string, start, n int) int {
	end := advance(text, start, n)
	if end >= len(text) {
		return len(text)
	}
	if k := strings.LastIndexFunc(text[start:end], unicode.IsSpace); k > 0 {
		return start + k
	}
	return end
}

// render escapes text[start:end], marks the spans inside it and adds an
// ellipsis where the text goes on.
func render(text string, start, end int, spans []span) string {
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	cur := start
	for _, s := range spans {
		if s.start < cur || s.end > end {
			continue
		}
		b.WriteString(html.EscapeString(text[cur:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		cur = s.end
	}
	b.WriteString(html.EscapeString(strings.TrimRightFunc(text[cur:end], unicode.IsSpace)))
	if end < len(text) {
		b.WriteString(" …")
	}
	return b.String()
}
