package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cp1252 maps the bytes 0x80–0x9F and 0xA0 of Windows-1252, the commonest
// source of stray invalid bytes in pages labelled UTF-8, to what they mean, so
// that "don\x92t" and "a\xA0b" keep their words apart instead of gluing them.
var cp1252 = map[byte]string{
	0x85: "…", 0x91: "'", 0x92: "'", 0x93: "\"", 0x94: "\"", 0x95: "•",
	0x96: "-", 0x97: "-", 0xA0: " ",
}

// sanitize returns body as valid UTF-8 without NUL bytes: invalid bytes are
// mapped through cp1252 when they are common punctuation and dropped otherwise.
func sanitize(body []byte) []byte {
	if utf8.Valid(body) && !containsByte(body, 0) {
		return body
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			out = append(out, cp1252[body[i]]...)
		case r == 0:
		default:
			out = append(out, body[i:i+size]...)
		}
		i += size
	}
	return out
}

func containsByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// dropRune reports whether r is removed from extracted text: the replacement
// character, controls, and invisible format characters that would split words
// for the tokenizer without being seen by a reader.
func dropRune(r rune) bool {
	switch r {
	case utf8.RuneError, '\u00ad', '\u200b', '\u2060', '\ufeff':
		return true
	}
	if unicode.IsSpace(r) {
		return false
	}
	return unicode.IsControl(r)
}

// collapse returns s with runs of whitespace replaced by one space, trimmed,
// and dropped runes removed.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case dropRune(r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// collapseLines collapses whitespace inside each line of s and drops empty
// lines; lines are kept apart by "\n".
func collapseLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// countRunes counts the non-space runes of s.
func countRunes(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// words splits s into whitespace-separated words.
func words(s string) []string { return strings.Fields(s) }

// firstWords returns at most n words of the first line of s.
func firstWords(s string, n int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	w := words(s)
	if len(w) > n {
		w = w[:n]
	}
	return strings.Join(w, " ")
}

// textFragment returns the fragment directive (without '#') that makes a
// browser scroll to and highlight s: ":~:text=" and s percent-encoded, with
// '-', ',' and '&' encoded as the directive syntax requires.
func textFragment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString(":~:text=")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// sameText reports whether a and b are the same words, ignoring case,
// punctuation at the ends and spacing.
func sameText(a, b string) bool {
	norm := func(s string) string {
		return strings.ToLower(strings.TrimFunc(collapse(s), func(r rune) bool {
			return unicode.IsPunct(r) || unicode.IsSpace(r)
		}))
	}
	return a != "" && norm(a) == norm(b)
}
