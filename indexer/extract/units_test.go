package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestFindDate(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"May 3, 2010", "2010-05-03"},
		{"Washington, DC November 23, 2011", "2011-11-23"},
		{"09 May 2013", "2013-05-09"},
		{"Sept. 5, 2012", "2012-09-05"},
		{"1st June 2001", "2001-06-01"},
		{"posted 2014-02-10 by staff", "2014-02-10"},
		{"February 30, 2012", ""},
		{"in 2013 the bureau", ""},
		{"May 2010", ""},
		{"Foreign Assistance Act of 1961", ""},
	}
	for _, tt := range tests {
		got := ""
		if m := findDate(tt.in); m != nil {
			got = m.t.Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("findDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"2019-03-14T09:30:00-04:00", "2019-03-14T13:30:00Z"},
		{"2016-09-12", "2016-09-12T00:00:00Z"},
		{"20160912", "2016-09-12T00:00:00Z"},
		{"Mon, 02 Jan 2006 15:04:05 GMT", "2006-01-02T15:04:05Z"},
		{"January 2, 2006", "2006-01-02T00:00:00Z"},
		{"not a date", ""},
		{"0001-01-01", ""},
	}
	for _, tt := range tests {
		got := ""
		if d, ok := parseDate(tt.in); ok {
			got = d.Format(time.RFC3339)
		}
		if got != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if d, ok := findDateSlot("Date: 02/10/2014 Description: police officers"); !ok || d.Format(time.DateOnly) != "2014-02-10" {
		t.Errorf("findDateSlot = %v, %v, want 2014-02-10", d, ok)
	}
}

func TestDatelines(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, want string }{
		{"meta first", `<meta name="dc.date" content="2012-12-12"><h1>T</h1><p>May 3, 2010</p><p>` + filler + `</p>`, "2012-12-12"},
		{"time element", `<h1>T</h1><p>Posted <time datetime="2013-05-09">9 May</time></p><p>` + filler + `</p>`, "2013-05-09"},
		{"line under title", `<h1>T</h1><p>Fact Sheet<br>Bureau of Things<br>May 3, 2010</p><p>` + filler + `</p>`, "2010-05-03"},
		{"caption", `<h1>T</h1><p>` + filler + `</p><p>Date: 02/10/2014 Description: a photo of police.</p>`, "2014-02-10"},
		{"date in a sentence is no dateline", `<h1>T</h1><p>` + filler + ` On May 3, 2010, they met again and again to talk about the many things of the program.</p>`, ""},
		{"labelled date in a longer line", `<h1>T</h1><p>GAO-13-771 Published: Sep 25, 2013. Publicly Released: Oct 25, 2013.</p><p>` + filler + `</p>`, "2013-09-25"},
		{"date block of the template", `<div class="masthead"><div class="paper-name"><a href="/">The Paper</a></div><div class="paper-date">Thursday, August 18, 2016</div></div><nav><a href="/a">A</a> <a href="/b">B</a></nav><h1>T</h1><p>` + filler + `</p>`, "2016-08-18"},
		{"a date in a sentence of a date-classed block is no page date", `<h1>T</h1><div class="update-note"><p>` + filler + ` On May 3, 2010, they met.</p></div>`, ""},
		{"archive banner is no dateline", `<div><p>You are viewing ARCHIVED CONTENT released online from January 20, 2017 to January 20, 2021.</p></div><h1>T</h1><p>` + filler + `</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := MustExtract(t, "<html><body>"+tt.body+"</body></html>")
			got := ""
			if !p.Published.IsZero() {
				got = p.Published.Format(time.DateOnly)
			}
			if got != tt.want {
				t.Errorf("Extract(%s).Published = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

const filler = "The program trains police officers, prosecutors and judges, and it builds courts, prisons and crime laboratories in partner countries across several regions of the world."

// MustExtract extracts an HTML string with a fixed page URL.
func MustExtract(tb testing.TB, body string) *Page {
	tb.Helper()
	p, err := Extract("https://www.example.gov/dir/page.htm", []byte(body))
	if err != nil {
		tb.Fatalf("Extract error: %v", err)
	}
	checkInvariants(tb, p)
	return p
}

func TestCleanTitle(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, h1, site, want string }{
		{"Partnerships - U.S. Department of State", "", "", "Partnerships"},
		{"Colombia Summary | United States Department of State", "", "", "Colombia Summary"},
		{"Countries/Jurisdictions of Primary Concern – Kenya", "", "", "Countries/Jurisdictions of Primary Concern – Kenya"},
		{"Countries/Jurisdictions of Primary Concern - Kenya - U.S. Department of State", "", "", "Countries/Jurisdictions of Primary Concern - Kenya"},
		{"Narcotics Affairs Section – U.S. Embassy in Peru", "", "", "Narcotics Affairs Section"},
		{"Home | INL", "", "", "Home"},
		{"State.gov | Fact Sheets", "", "", "Fact Sheets"},
		{"Example Dept.: Fact Sheet on Ports", "", "", "Fact Sheet on Ports"},
		{"Afghanistan: Justice Sector Support", "", "", "Afghanistan: Justice Sector Support"},
		{"Site | Section | Page", "Section", "", "Section"},
		{"Counter-Narcotics Programs", "", "", "Counter-Narcotics Programs"},
		{"Programs - My Agency", "", "My Agency", "Programs"},
	}
	for _, tt := range tests {
		if got := cleanTitle(tt.in, tt.h1, tt.site); got != tt.want {
			t.Errorf("cleanTitle(%q, %q, %q) = %q, want %q", tt.in, tt.h1, tt.site, got, tt.want)
		}
	}
}

func TestPartnerName(t *testing.T) {
	t.Parallel()
	long := " INL supports programs of training, equipment and advice in many countries of several regions."
	tests := []struct{ name, html, want string }{
		{"bold with colon", `<p><strong>UN Office on Drugs and Crime (UNODC):</strong>` + long + `</p>`, "UN Office on Drugs and Crime (UNODC)"},
		{"colon after bold", `<p><b>Colombo Plan</b>:` + long + `</p>`, "Colombo Plan"},
		{"bold with dash", `<p><b>U.S. Coast Guard</b> –` + long + `</p>`, "U.S. Coast Guard"},
		{"plain", `<p>State and Local:` + long + `</p>`, "State and Local"},
		{"plain acronym", `<p>Non-Governmental Organizations (NGOs):` + long + `</p>`, "Non-Governmental Organizations (NGOs)"},
		{"sentence", `<p>The goals are threefold:` + long + `</p>`, ""},
		{"caption label", `<p>Date: 02/10/2014 Description: a photo of officers at a training session in the capital city today.</p>`, ""},
		{"objective", `<p>Objective 1:` + long + `</p>`, ""},
		{"time of day", `<p>At 10:30` + long + `</p>`, ""},
		{"too short", `<p><b>Federal:</b> INL works with them.</p>`, ""},
		{"for example", `<p>For example:` + long + `</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := walkHTML(t, tt.html)
			got := ""
			for i := range bs {
				if n := partnerName(&bs[i]); n != "" {
					got = n
				}
			}
			if got != tt.want {
				t.Errorf("partnerName(%s) = %q, want %q", tt.html, got, tt.want)
			}
		})
	}
}

func TestEnumeratedListIsNotPartners(t *testing.T) {
	t.Parallel()
	p := MustExtract(t, `<h1>Corrections</h1><p>`+filler+`</p><ul>
<li><b>Security</b>: perimeter security, searches and the detection of contraband such as phones and weapons;</li>
<li><b>Classification</b>: assessing each inmate's risk and needs so that leaders and first-time offenders are apart; and</li>
<li><b>Reentry</b>: education, vocational training, drug treatment and support for released prisoners.</li></ul>`)
	if len(p.Passages) != 1 {
		t.Errorf("Extract(enumerated list) = %d passages, want 1: %+v", len(p.Passages), p.Passages)
	}
}

func TestTextFragment(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"UN Office (UNODC):", ":~:text=UN%20Office%20%28UNODC%29%3A"},
		{"Anti-Corruption, Justice & Law", ":~:text=Anti%2DCorruption%2C%20Justice%20%26%20Law"},
		{"INL’s work", ":~:text=INL%E2%80%99s%20work"},
	}
	for _, tt := range tests {
		if got := textFragment(tt.in); got != tt.want {
			t.Errorf("textFragment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	p := MustExtract(t, "<h1>T</h1><p>Don\x92t glue\xa0words; drop \x00NUL and \xff\xfe bad bytes &amp; keep &#xFFFD;entities &#0; "+filler+"</p>")
	text := joinPassages(p)
	for _, want := range []string{"Don't glue words", "drop NUL", "& keep"} {
		if !strings.Contains(text, want) {
			t.Errorf("Extract(bad bytes) text %q lacks %q", text, want)
		}
	}
}

func TestWordsNotGlued(t *testing.T) {
	t.Parallel()
	p := MustExtract(t, `<h1>T</h1><div><p>`+filler+`</p><div>alpha</div><div>beta</div><ul><li>gamma</li><li>delta</li></ul>
<table><tr><td>epsilon</td><td>zeta</td></tr><tr><td>eta</td><td>theta</td></tr></table>one<br>two <b>thr</b>ee</div>`)
	text := joinPassages(p)
	for _, want := range []string{"alpha\nbeta", "gamma\ndelta", "epsilon | zeta\neta | theta", "one\ntwo three"} {
		if !strings.Contains(text, want) {
			t.Errorf("Extract(blocks) text %q lacks %q", text, want)
		}
	}
}

func TestHiddenAndScripts(t *testing.T) {
	t.Parallel()
	p := MustExtract(t, `<h1>T</h1><p>`+filler+`</p>
<div hidden>TOKA</div><div aria-hidden="true">TOKB</div><div style="DISPLAY : none">TOKC</div>
<p style="visibility:hidden">TOKD</p><script>TOKE</script><style>TOKF</style><noscript>TOKG</noscript>
<template><p>TOKH</p></template><svg><text>TOKI</text></svg><iframe>TOKJ</iframe><form><p>TOKK</p><input value="TOKL"></form>`)
	text := joinPassages(p)
	if strings.Contains(text, "TOK") {
		t.Errorf("Extract(hidden) text = %q, want no TOK", text)
	}
}

func TestSectionSizes(t *testing.T) {
	t.Parallel()
	var long strings.Builder // about 7,000 characters
	for i := range 40 {
		fmt.Fprintf(&long, "<p>Paragraph %d. %s</p>", i, filler)
	}
	p := MustExtract(t, `<h1>Title</h1><p>`+filler+" "+filler+`</p><h2>Tiny</h2><p>Just a few words.</p><h2 id="big">Big</h2>`+long.String())
	var big []Passage
	for _, ps := range p.Passages {
		if ps.Headings[len(ps.Headings)-1] == "Tiny" {
			t.Errorf("short section became a passage: %+v", ps)
		}
		if ps.Headings[len(ps.Headings)-1] == "Big" {
			big = append(big, ps)
		}
	}
	if !strings.Contains(p.Passages[0].Text, "Tiny\nJust a few words.") {
		t.Errorf("short section not joined to the previous one: %q", p.Passages[0].Text)
	}
	if len(big) < 2 {
		t.Fatalf("long section gave %d passages, want it split", len(big))
	}
	if big[0].Anchor != "big" || !strings.HasPrefix(big[1].Anchor, ":~:text=Paragraph%20") {
		t.Errorf("split anchors = %q, %q", big[0].Anchor, big[1].Anchor)
	}
	for _, ps := range big {
		if n := countRunes(ps.Text); n > maxSection {
			t.Errorf("chunk of %d runes, want <= %d", n, maxSection)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("<div>", 100000) + "<p>" + filler + "</p>" + strings.Repeat("</div>", 100000)
	p := MustExtract(t, body)
	if !strings.Contains(joinPassages(p), "crime laboratories") {
		t.Errorf("Extract(100000 nested divs) lost the text: %+v", p.Passages)
	}
	body = strings.Repeat("<font><b><i>", 3000) + filler
	MustExtract(t, body)
}

func TestIndexPageFallsBackToLinks(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("<h1>Country Reports</h1><ul>")
	for _, c := range []string{"Afghanistan", "Bolivia", "Colombia", "Mexico", "Peru"} {
		b.WriteString(`<li><a href="/r/` + c + `.htm">` + c + ` country report</a></li>`)
	}
	b.WriteString("</ul>")
	p := MustExtract(t, b.String())
	if len(p.Passages) == 0 || !strings.Contains(p.Passages[0].Text, "Mexico country report") {
		t.Errorf("Extract(index page) = %+v, want the list as a passage", p.Passages)
	}
	if len(p.Links) != 5 || p.Links[0] != "https://www.example.gov/r/Afghanistan.htm" {
		t.Errorf("Extract(index page).Links = %q", p.Links)
	}
}

// walkHTML returns the blocks of an HTML fragment.
func walkHTML(tb testing.TB, s string) []block {
	tb.Helper()
	root := parse([]byte(s))
	st := map[*html.Node]stat{}
	computeStats(root, false, st)
	w := &walker{st: st}
	w.walk(root, walkCtx{})
	w.flush()
	return w.blocks
}
