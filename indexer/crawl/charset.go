package crawl

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// decodeBody converts an HTML body to valid UTF-8 and names the encoding it came from.
// The order is WHATWG's, as charset.DetermineEncoding applies it: byte-order mark, then
// the Content-Type charset, then a <meta> declaration in the first 1024 bytes. An
// undeclared body is UTF-8 when the whole of it is valid UTF-8, windows-1252 otherwise
// (DetermineEncoding alone would judge by the first 1024 bytes only).
func decodeBody(body []byte, contentType string, sniffed bool) ([]byte, string) {
	if sniffed {
		contentType = "" // a sniffed type carries a guessed charset, not a declared one
	}
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain && !declaresInMeta(body) {
		if utf8.Valid(trimPartialRune(body)) {
			enc, name = encoding.Nop, "utf-8"
		} else {
			enc, name = charmap.Windows1252, "windows-1252"
		}
	}
	out := body
	if name != "utf-8" {
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			out = dec
		}
	}
	out = bytes.TrimPrefix(out, []byte("\uFEFF"))
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), name
}

// declaresInMeta reports whether the first 1024 bytes carry a <meta> charset other than
// windows-1252. High bytes are masked so that DetermineEncoding's own guess always comes
// out as windows-1252 and only a declaration can name something else; a page declaring
// windows-1252 itself is then treated as undeclared, which decodes it the same way unless
// the whole body is valid UTF-8.
func declaresInMeta(body []byte) bool {
	n := min(len(body), 1024)
	masked := make([]byte, n)
	for i, b := range body[:n] {
		if b >= 0x80 {
			b = 'x'
		}
		masked[i] = b
	}
	_, name, _ := charset.DetermineEncoding(masked, "")
	return name != "windows-1252"
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end (a body cut at the cap).
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i > len(b)-4; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}
