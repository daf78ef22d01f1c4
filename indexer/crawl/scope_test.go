package crawl

import (
	"net/url"
	"testing"
)

func TestScopeRules(t *testing.T) {
	s, err := NewScope(
		[]string{"/bureau-of-international-narcotics-and-law-enforcement-affairs*", "/j/inl/", "https://archive.example/docs/"},
		[]string{"/j/inl/rls/prsrl/*.htm", "*/feed/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		url      string
		document bool
		rule     string
		ok       bool
	}{
		{"https://www.state.gov/bureau-of-international-narcotics-and-law-enforcement-affairs/", false, "", true},
		{"https://www.state.gov/bureau-of-international-narcotics-and-law-enforcement-affairs-work-by-country/mexico-summary/", false, "", true},
		{"https://www.state.gov/visas/", false, ScopeNotIncluded, false},
		{"https://www.state.gov/", false, ScopeNotIncluded, false},
		{"https://2009-2017.state.gov/j/inl/rls/nrcrpt/2016/", false, "", true},
		{"https://2009-2017.state.gov/j/inl", false, ScopeNotIncluded, false}, // a prefix, not a glob
		{"https://2009-2017.state.gov/j/inl/rls/prsrl/2016/12345.htm", false, "exclude /j/inl/rls/prsrl/*.htm", false},
		{"https://www.state.gov/bureau-of-international-narcotics-and-law-enforcement-affairs/feed/", false, "exclude */feed/", false},
		{"https://www.state.gov/wp-content/uploads/2024/03/INCSR-Vol-1.pdf", true, "", true},
		{"https://www.state.gov/wp-content/uploads/2024/03/INCSR-Vol-1.pdf", false, ScopeNotIncluded, false},
		{"https://archive.example/docs/a.html", false, "", true},
		{"https://other.example/docs/a.html", false, ScopeNotIncluded, false},
	} {
		u, err := normalizeURL(c.url)
		if err != nil {
			t.Fatal(err)
		}
		rule, ok := s.Check(u, c.document)
		if rule != c.rule || ok != c.ok {
			t.Errorf("Check(%s, %v) = %q, %v; want %q, %v", c.url, c.document, rule, ok, c.rule, c.ok)
		}
	}
	s.Documents = false
	u, _ := url.Parse("https://www.state.gov/wp-content/uploads/a.pdf")
	if _, ok := s.Check(u, true); ok {
		t.Error("a document outside the include rules is in scope with Documents off")
	}
	var none *Scope
	if _, ok := none.Check(u, false); !ok {
		t.Error("a nil scope refuses a URL")
	}
	for _, bad := range []string{"", "bureau*", "ftp://x/"} {
		if _, err := NewScope([]string{bad}, nil); err == nil {
			t.Errorf("rule %q accepted", bad)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		pat, s string
		want   bool
	}{
		{"/a*", "/a/b/c", true}, {"/a*c", "/a/b/c", true}, {"/a*c", "/a/b/cd", false},
		{"*?*", "/a?b=1", true}, {"*?*", "/ab", false}, {"*", "", true}, {"/x/*/y", "/x/1/2/y", true},
	} {
		if got := globMatch(c.pat, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.pat, c.s, got)
		}
	}
}
