package tag

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a text, with its byte span in the source.
type token struct {
	orig  string // as written, possessive 's removed, ’ normalised to '
	key   string // lower case, accents folded; "u.s." for U.S./US
	start int
	end   int
	// brk is set when a sentence or clause break (. ; : ! ? ( ) [ ] | tab,
	// newline, quotes, em dash) separates this token from the previous one.
	brk bool
	// comma is set when a comma separates this token from the previous one.
	comma bool
}

// abbreviations whose final period ends no sentence.
var abbreviations = map[string]bool{
	"st": true, "mr": true, "mrs": true, "ms": true, "dr": true, "no": true, "inc": true, "jr": true,
	"sr": true, "ft": true, "mt": true, "gen": true, "col": true, "lt": true, "amb": true, "sen": true,
	"rep": true, "vs": true, "co": true, "corp": true, "ltd": true, "dept": true, "gov": true, "sec": true,
	"approx": true, "est": true, "vol": true, "nos": true, "hon": true, "capt": true, "maj": true, "sgt": true,
}

// tokenize splits text into word tokens. Words are runs of letters and digits
// with inner apostrophes and periods; "U.S."-style initials become one token.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/6)
	brk, comma := true, false
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			switch r {
			case '.', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '|', '\t', '\n', '\r', '"', '“', '”', '—', '•', '·', '*':
				brk = true
			case ',':
				comma = true
			case '&':
				toks = append(toks, token{orig: "&", key: "and", start: i, end: i + w, brk: brk, comma: comma})
				brk, comma = false, false
			}
			i += w
			continue
		}
		j := i
		for j < len(s) {
			r2, w2 := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r2) {
				j += w2
				continue
			}
			// inner apostrophe or period followed by a word rune stays in the word
			if (r2 == '\'' || r2 == '’' || r2 == '.') && j+w2 < len(s) {
				r3, _ := utf8.DecodeRuneInString(s[j+w2:])
				if isWordRune(r3) {
					j += w2
					continue
				}
			}
			break
		}
		word := s[i:j]
		end := j
		// a final period after initials (U.S.) or an abbreviation belongs to the word
		trailingDot := j < len(s) && s[j] == '.'
		tk := makeToken(word, trailingDot)
		tk.start, tk.end, tk.brk, tk.comma = i, end, brk, comma
		if tk.orig != "" {
			toks = append(toks, tk)
		}
		brk, comma = false, false
		i = j
		if trailingDot {
			lw := strings.ToLower(strings.ReplaceAll(word, ".", ""))
			if isInitials(word) || abbreviations[lw] {
				i++ // swallow the period: no break
			}
		}
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isInitials reports whether w looks like "U.S" or "e.g" (single letters joined by periods).
func isInitials(w string) bool {
	if len(w) < 3 {
		return false
	}
	for k, r := range w {
		if k%2 == 0 {
			if !unicode.IsLetter(r) {
				return false
			}
		} else if r != '.' {
			return false
		}
	}
	return true
}

func makeToken(word string, trailingDot bool) token {
	word = strings.ReplaceAll(word, "’", "'")
	for _, suf := range []string{"'s", "'S"} {
		if strings.HasSuffix(word, suf) && len(word) > len(suf) {
			word = word[:len(word)-len(suf)]
		}
	}
	word = strings.Trim(word, "'")
	orig := word
	if isInitials(word) || (trailingDot && len(word) == 1 && unicode.IsUpper(rune(word[0]))) {
		orig = strings.ReplaceAll(word, ".", "")
	}
	key := fold(strings.ToLower(orig))
	if orig == "US" {
		key = "u.s."
	}
	return token{orig: orig, key: key}
}

// fold removes the accents of common Latin letters.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := foldMap[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldMap = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'ş': "s", 'ș': "s", 'ţ': "t", 'ț': "t", 'ğ': "g",
	'ı': "i", 'č': "c", 'ć': "c", 'ž': "z", 'š': "s", 'ł': "l", 'ő': "o", 'ű': "u",
}

// isCapitalized reports whether w starts with an upper-case letter or a digit.
func isCapitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// isAllUpper reports whether every letter of w is upper case (and w has one).
func isAllUpper(w string) bool {
	has := false
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			has = true
		}
	}
	return has
}

// sentenceBounds returns the byte span of the sentence around pos.
func sentenceBounds(s string, pos int) (int, int) {
	start := 0
	for k := pos - 1; k > 0; k-- {
		if isSentenceEnd(s, k) {
			start = k + 1
			break
		}
	}
	end := len(s)
	for k := pos; k < len(s); k++ {
		if isSentenceEnd(s, k) {
			end = k
			break
		}
	}
	return start, end
}

// isSentenceEnd reports whether s[k] ends a sentence: a newline, or . ! ? ;
// before a space or the end, but not the period of initials ("U.S.", "M.").
func isSentenceEnd(s string, k int) bool {
	c := s[k]
	if c == '\n' || c == '|' || c == '\t' {
		return true
	}
	if c != '.' && c != '!' && c != '?' && c != ';' {
		return false
	}
	if k+1 < len(s) && s[k+1] != ' ' && s[k+1] != '\n' {
		return false
	}
	if c == '.' && k >= 1 && s[k-1] >= 'A' && s[k-1] <= 'Z' && (k < 2 || s[k-2] == '.' || s[k-2] == ' ') {
		return false
	}
	return true
}

// lineAround returns the bounds of the line of text that holds
// [start, stop): from the byte after the newline before start to the
// newline after stop (or the text's end).
func lineAround(text string, start, stop int) (from, to int) {
	from = strings.LastIndexByte(text[:start], '\n') + 1
	to = strings.IndexByte(text[stop:], '\n')
	if to < 0 {
		return from, len(text)
	}
	return from, to + stop
}
