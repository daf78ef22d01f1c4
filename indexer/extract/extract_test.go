package extract

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// navWords are strings that only the navigation, sidebars, banners and
// footers of the test pages contain.
var navWords = []string{
	"Country Page", "Hub", "Desk", "Menu", "Nav", "Footer", "Related", "Bureau Links",
	"Great Seal", "Diplomacy in Action", "printable banner", "OpenID", "sign in", "endorsement",
	"official website of the United States", "how you know", "ARCHIVED", "Recent Posts",
	"Follow Us", "Back to top", "Under Secretary", "Site Index", "Search Tool", "Tags:",
	"Turkmenistan", "Eritrea", "Micronesia", "Tajikistan", "Burundi", "Suriname", "Bolivia",
	"Ecuador", "Laos", "Kazakhstan", "Uzbekistan", "Nepal", "Haiti", "Grenada", "Barbados",
	"Guyana", "Cyber Fraud", "Wildlife Rangers", "Privacy", "FOIA", "Share", "Print", "Email",
	"Report", "Skip to", "Contact the Department", "Example Department Home",
}

// hiddenTokens appear only in script, style, noscript and hidden elements.
var hiddenTokens = []string{"SCRIPTTOKEN", "STYLETOKEN", "HIDDENTOKEN", "NOSCRIPTTOKEN", "WRITTENTOKEN"}

func TestTemplates(t *testing.T) {
	tests := []struct {
		name     string
		title    string
		date     string
		partners []string // last heading of each partner passage, in order
	}{
		{name: "cms2012", title: "Partnerships & Cooperation", partners: []string{
			"UN Office on Drugs and Crime (UNODC)", "Inter-American Drug Abuse Control Commission (CICAD)",
			"International Development Law Organization (IDLO)", "Federal", "State and Local",
			"Non-Governmental Organizations (NGOs)"}},
		{name: "table2005", title: "Colombia -- FY 2006 Budget Justification", date: "2005-06-01"},
		{name: "uswds2020", title: "Colombia Summary", date: "2019-03-14"},
		{name: "tdcell", title: "Afghanistan Justice Sector Support Fact Sheet", date: "2010-05-03"},
		{name: "nosemantic", title: "Cooperation on Maritime Interdiction in the Caribbean", date: "2011-11-23"},
		{name: "embassy", title: "Narcotics Affairs Section", date: "2016-09-12", partners: []string{
			"Drug Enforcement Administration (DEA)", "U.S. Coast Guard",
			"Office of Overseas Prosecutorial Development, Assistance and Training (OPDAT)",
			"U.S. Customs and Border Protection (CBP)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := MustExtractFile(t, tt.name)
			if p.Title != tt.title {
				t.Errorf("Extract(%s).Title = %q, want %q", tt.name, p.Title, tt.title)
			}
			date := ""
			if !p.Published.IsZero() {
				date = p.Published.Format(time.DateOnly)
			}
			if date != tt.date {
				t.Errorf("Extract(%s).Published = %q, want %q", tt.name, date, tt.date)
			}
			if len(p.Passages) == 0 {
				t.Fatalf("Extract(%s) gave no passages", tt.name)
			}
			var partners []string
			for _, ps := range p.Passages {
				all := strings.Join(append(append([]string{}, ps.Headings...), ps.Text), "\n")
				for _, w := range append(navWords, hiddenTokens...) {
					if strings.Contains(all, w) {
						t.Errorf("Extract(%s): passage %q contains %q", tt.name, ps.Headings, w)
					}
				}
				if len(ps.Headings) == 0 || ps.Headings[0] != p.Title && tt.name != "table2005" && tt.name != "tdcell" {
					t.Errorf("Extract(%s): passage headings %q do not start with the title", tt.name, ps.Headings)
				}
				for _, want := range tt.partners {
					if ps.Headings[len(ps.Headings)-1] == want {
						partners = append(partners, want)
						if !strings.HasPrefix(ps.Text, want) {
							t.Errorf("Extract(%s): partner passage %q starts %q", tt.name, want, firstWords(ps.Text, 6))
						}
					}
				}
			}
			if strings.Join(partners, "|") != strings.Join(tt.partners, "|") {
				t.Errorf("Extract(%s) partner passages = %q, want %q", tt.name, partners, tt.partners)
			}
			checkInvariants(t, p)
		})
	}
}

// checkInvariants fails t unless every link is absolute http(s) without a
// fragment, and every passage has valid, non-empty text and a unique anchor.
func checkInvariants(tb testing.TB, p *Page) {
	tb.Helper()
	seen := map[string]bool{}
	for _, l := range p.Links {
		u, err := url.Parse(l)
		if err != nil || !u.IsAbs() || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Fragment != "" || seen[l] {
			tb.Errorf("link %q is not an absolute unique http(s) URL without fragment", l)
		}
		seen[l] = true
	}
	anchors := map[string]bool{}
	for _, ps := range p.Passages {
		if strings.TrimSpace(ps.Text) == "" || !utf8.ValidString(ps.Text) || strings.ContainsRune(ps.Text, utf8.RuneError) {
			tb.Errorf("passage %q has empty or invalid text %q", ps.Headings, ps.Text)
		}
		if ps.Anchor == "" || anchors[ps.Anchor] || strings.ContainsAny(ps.Anchor, " #") {
			tb.Errorf("passage %q has a bad or repeated anchor %q", ps.Headings, ps.Anchor)
		}
		anchors[ps.Anchor] = true
		for _, h := range ps.Headings {
			if h == "" || !utf8.ValidString(h) {
				tb.Errorf("passage has an empty or invalid heading in %q", ps.Headings)
			}
		}
	}
	if !utf8.ValidString(p.Title) {
		tb.Errorf("title %q is not valid UTF-8", p.Title)
	}
}

func TestTemplateDetails(t *testing.T) {
	t.Parallel()
	t.Run("budget table keeps its cells apart", func(t *testing.T) {
		p := MustExtractFile(t, "table2005")
		text := joinPassages(p)
		for _, want := range []string{"Budget Summary ($000)", "| FY 2004 Actual | FY 2005 Estimate | FY 2006 Request", "ACI | 313,000 | 310,000 | 309,000"} {
			if !strings.Contains(text, want) {
				t.Errorf("Extract(table2005) text lacks %q", want)
			}
		}
	})
	t.Run("bold paragraphs are headings", func(t *testing.T) {
		p := MustExtractFile(t, "table2005")
		got := map[string]bool{}
		for _, ps := range p.Passages {
			got[ps.Headings[len(ps.Headings)-1]] = true
		}
		for _, want := range []string{"Program Objectives and Performance Indicators", "Program Justification"} {
			if !got[want] {
				t.Errorf("Extract(table2005): no passage under %q", want)
			}
		}
	})
	t.Run("heading ids become anchors", func(t *testing.T) {
		p := MustExtractFile(t, "uswds2020")
		got := map[string]string{}
		for _, ps := range p.Passages {
			got[ps.Headings[len(ps.Headings)-1]] = ps.Anchor
		}
		if got["Challenges"] != "challenges" || got["Goals"] != "goals" || got["Accomplishments"] != ":~:text=Accomplishments" {
			t.Errorf("Extract(uswds2020) anchors = %v", got)
		}
	})
	t.Run("entities decoded", func(t *testing.T) {
		p := MustExtractFile(t, "cms2012")
		if strings.Contains(joinPassages(p), "&amp;") || !strings.Contains(p.Title, "&") {
			t.Errorf("Extract(cms2012): entities not decoded in %q", p.Title)
		}
	})
	t.Run("links resolved against base", func(t *testing.T) {
		p := MustExtractFile(t, "embassy")
		want := map[string]bool{
			"https://xx.usembassy.example/wp/services/": true, "https://xx.usembassy.example/wp/news/5/": true,
			"https://www.example.gov/": true,
		}
		for _, l := range p.Links {
			delete(want, l)
			if strings.HasPrefix(l, "mailto:") || strings.HasPrefix(l, "javascript:") {
				t.Errorf("Extract(embassy) kept link %q", l)
			}
		}
		if len(want) > 0 {
			t.Errorf("Extract(embassy) links lack %v", want)
		}
	})
}

func joinPassages(p *Page) string {
	var b strings.Builder
	for _, ps := range p.Passages {
		b.WriteString(ps.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestExtractBadURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "/relative/page.htm", "ftp://example.gov/x", "mailto:a@b.c", "http://", "%zz"} {
		if _, err := Extract(u, []byte("<p>text</p>")); !errors.Is(err, ErrPageURL) {
			t.Errorf("Extract(%q) error = %v, want ErrPageURL", u, err)
		}
	}
}
