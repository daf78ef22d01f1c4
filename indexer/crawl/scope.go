package crawl

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// Scope narrows a crawl to parts of its seed hosts. A page is in scope when
// it matches an include rule (or there are none) and no exclude rule.
// Documents (a .pdf link) linked from an in-scope page are in scope wherever
// they live on the seed hosts unless Documents is false or an exclude rule
// matches them.
//
// A rule is a URL path prefix ("/j/inl/") or a glob over the path and query
// ("/bureau-of-international-narcotics-and-law-enforcement-affairs*"), where
// '*' matches any run of characters, '/' included; a glob must match the
// whole path and query. '?' is itself ("*?*": any URL with a query). A rule that starts with http:// or
// https:// is matched against the whole normalised URL instead, so that it
// names one host ("https://2009-2017.state.gov/j/inl/").
type Scope struct {
	include, exclude []rule
	// Documents fetches documents linked from in-scope pages outside the
	// include rules (on by default in NewScope).
	Documents bool
}

type rule struct {
	text string // as written, for the summary
	full bool   // matched against the whole URL
	glob bool
	pat  string
}

// Scope rule names in Report.ScopeSkipped for a URL that matched no
// include rule; an excluded URL is counted under "exclude " + the rule.
const ScopeNotIncluded = "not_included"

// NewScope parses include and exclude rules. Documents is on.
func NewScope(include, exclude []string) (*Scope, error) {
	s := &Scope{Documents: true}
	for _, spec := range []struct {
		in  []string
		out *[]rule
	}{{include, &s.include}, {exclude, &s.exclude}} {
		for _, t := range spec.in {
			r, err := parseRule(t)
			if err != nil {
				return nil, err
			}
			*spec.out = append(*spec.out, r)
		}
	}
	return s, nil
}

func parseRule(t string) (rule, error) {
	t = strings.TrimSpace(t)
	r := rule{text: t, pat: t, glob: strings.Contains(t, "*")}
	switch {
	case t == "":
		return r, fmt.Errorf("scope rule: empty")
	case strings.HasPrefix(t, "/"), strings.HasPrefix(t, "*"):
	case strings.HasPrefix(t, "http://"), strings.HasPrefix(t, "https://"):
		r.full = true
		if !r.glob { // normalise the host part as URLs are
			n, err := Normalize(t)
			if err != nil {
				return r, fmt.Errorf("scope rule %q: %w", t, err)
			}
			if !strings.HasSuffix(t, "/") {
				n = strings.TrimSuffix(n, "/")
			}
			r.pat = n
		}
	default:
		return r, fmt.Errorf("scope rule %q: want a path (/j/inl/), a glob (/bureau-*, */feed/) or an http(s):// URL", t)
	}
	return r, nil
}

func (r rule) match(u *url.URL) bool {
	subject := u.EscapedPath()
	if subject == "" {
		subject = "/"
	}
	if u.RawQuery != "" {
		subject += "?" + u.RawQuery
	}
	if r.full {
		subject = u.Scheme + "://" + u.Host + subject
	}
	if r.glob {
		return globMatch(r.pat, subject)
	}
	return strings.HasPrefix(subject, r.pat)
}

// Check tells whether the normalised URL u is in scope; when it is not,
// rule names why (ScopeNotIncluded, or "exclude " and the rule).
// document is true for a document linked from an in-scope page.
func (s *Scope) Check(u *url.URL, document bool) (rule string, ok bool) {
	if s == nil {
		return "", true
	}
	for _, r := range s.exclude {
		if r.match(u) {
			return "exclude " + r.text, false
		}
	}
	if len(s.include) == 0 || (document && s.Documents) {
		return "", true
	}
	for _, r := range s.include {
		if r.match(u) {
			return "", true
		}
	}
	return ScopeNotIncluded, false
}

// CheckURL is Check on a URL string, normalised first.
func (s *Scope) CheckURL(raw string) (rule string, ok bool) {
	if s == nil {
		return "", true
	}
	u, err := normalizeURL(raw)
	if err != nil {
		return "", false
	}
	return s.Check(u, false)
}

// documentExts are the path endings of links taken to be documents.
var documentExts = map[string]bool{".pdf": true}

// IsDocumentURL tells a link to a document (a PDF) by its path.
func IsDocumentURL(u *url.URL) bool {
	return documentExts[strings.ToLower(path.Ext(u.Path))]
}

// globMatch matches s against a glob in which '*' matches any run of
// characters ('/' included); every other byte matches itself.
func globMatch(pat, s string) bool {
	// Iterative matching with backtracking to the last '*'.
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && pat[p] != '*' && pat[p] == s[i]:
			p++
			i++
		case p < len(pat) && pat[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}
