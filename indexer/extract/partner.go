package extract

import (
	"regexp"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"strings"
	"unicode"
	"unicode/utf8"
)

// labelWords are the labels of captions and forms ("Date: …", "Note: …"),
// which open a line like a partner's name does but name nothing.
var labelWords = map[string]bool{}

func init() {
	for _, w := range strings.Split(`date|dates|dated|time|description|note|notes|nota bene|source|sources|photo|photos|
image|caption|credit|credits|photo credit|location|place|venue|tel|telephone|phone|fax|email|e-mail|web|website|
url|address|contact|contacts|media contact|subject|re|title|by|author|posted|updated|last updated|published|
released|tags|keywords|category|categories|topics|filed under|related|see also|q|a|question|answer|example|
for example|e.g|i.e|summary|attachment|attachments|download|size|format|file|language|languages|share|print|
page|warning|caution|tip|update|editor's note|transcript|video|audio|prn|washington|when|where|who|what|why|how|
objective|objectives|indicator|indicators|goal|goals|target|targets|result|results|outcome|outcomes|output|
impact|baseline|measure|measures|status|milestone|performance|activity|activities|step|phase|priority|
recommendation|recommendations|finding|findings|issue|challenge|challenges|response|rationale|purpose|total|
funding|budget|cost|amount|fy|fiscal year`, "|") {
		labelWords[strings.TrimSpace(w)] = true
	}
}

var (
	reSentenceEnd = regexp.MustCompile(`\p{Ll}{2,}[.!?]\s`)
	reNameWord    = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’.&-]*`)
)

// nameStopwords may stay lower case inside a title-cased name.
var nameStopwords = map[string]bool{
	"of": true, "and": true, "the": true, "for": true, "on": true, "in": true, "to": true, "de": true,
	"del": true, "la": true, "y": true, "et": true, "des": true, "du": true, "a": true, "an": true,
	"at": true, "by": true, "with": true, "against": true, "&": true, "from": true,
}

// partnerName returns the name that opens b ("UN Office on Drugs and Crime
// (UNODC)" of "UN Office on Drugs and Crime (UNODC): INL supports …"), or ""
// when b is not a labelled block. A bold name may end with a colon or a dash;
// a plain one needs the colon and must be written as a name.
func partnerName(b *block) string {
	if b.kind != kindText || enumerated(b.li) {
		return ""
	}
	text := b.text
	if b.boldEnd > 0 && b.boldEnd < len(text) {
		name := strings.TrimSpace(text[:b.boldEnd])
		rest := strings.TrimSpace(text[b.boldEnd:])
		switch {
		case strings.HasSuffix(name, ":"):
			name = strings.TrimSpace(strings.TrimSuffix(name, ":"))
		case strings.HasPrefix(rest, ":"):
			rest = rest[1:]
		default:
			r, size := utf8.DecodeRuneInString(rest)
			if r != '–' && r != '—' && r != '-' || size == len(rest) {
				name = ""
			}
			rest = strings.TrimSpace(rest[size:])
		}
		if name != "" && validName(name, false) && countRunes(rest) >= 40 {
			return name
		}
	}
	i := strings.IndexByte(text, ':')
	if i <= 0 || i > 140 || i+1 >= len(text) || text[i+1] != ' ' {
		return ""
	}
	name := strings.TrimSpace(text[:i])
	if validName(name, true) && countRunes(text[i+1:]) >= 60 {
		return name
	}
	return ""
}

// validName reports whether s reads as the name of an organization or a
// group ("State and Local", "Federal", "Non-Governmental Organizations
// (NGOs)"), not a caption label, a date or part of a sentence.
func validName(s string, strict bool) bool {
	ws := words(s)
	if len(ws) == 0 || len(ws) > 14 || countRunes(s) > 120 || letters(s) < 2 {
		return false
	}
	lw := strings.ToLower(strings.Trim(s, " .*"))
	if labelWords[lw] || labelWords[strings.TrimRight(lw, " 0123456789ivx.")] || reSentenceEnd.MatchString(s+" ") || findDate(s) != nil {
		return false
	}
	if strings.ContainsAny(s, ";!?\"“”") {
		return false
	}
	if !strict {
		return true
	}
	real := 0
	for i, w := range reNameWord.FindAllString(s, -1) {
		r, _ := utf8.DecodeRuneInString(w)
		lw := strings.ToLower(w)
		switch {
		case nameStopwords[lw] && i > 0 && w == lw:
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			if !nameStopwords[lw] && letters(w) >= 2 {
				real++
			}
		default:
			return false
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	return real > 0 && (unicode.IsUpper(first) || unicode.IsDigit(first))
}

// enumerated reports whether list item li belongs to a list that reads as
// one sentence ("…: staffing and budgeting;" … "; and"), whose labels name
// the parts of a list, not partners.
func enumerated(li *html.Node) bool {
	if li == nil || li.Parent == nil {
		return false
	}
	for c := li.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			continue
		}
		t := strings.TrimSpace(nodeText(c))
		if strings.HasSuffix(t, ";") || strings.HasSuffix(t, "; and") || strings.HasSuffix(t, "; or") || strings.HasSuffix(t, ",") {
			return true
		}
	}
	return false
}
