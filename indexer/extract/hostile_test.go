package extract

import (
	"strings"
	"testing"
)

// TestEntitiesAndRefresh: entities are stored decoded (&amp; as &), and a
// meta refresh is not a link, so a refresh loop cannot lead the crawl
// anywhere (A1, A5).
func TestEntitiesAndRefresh(t *testing.T) {
	t.Parallel()
	p := MustExtract(t, `<html><head><meta http-equiv="refresh" content="0; url=/loop-a">
<meta http-equiv="Refresh" content="1;URL='https://www.example.gov/loop-b'"></head>
<body><h1>Law &amp; order</h1><p>`+filler+` Justice &amp; corrections &lt;reform&gt; &quot;now&quot; &#8220;quoted&#8221;.</p>
<a href="/real">real</a></body></html>`)
	text := joinPassages(p)
	for _, want := range []string{`Justice & corrections <reform> "now" “quoted”.`} {
		if !strings.Contains(text, want) {
			t.Errorf("text %q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "&amp;") {
		t.Errorf("text keeps an escaped entity: %q", text)
	}
	if !strings.Contains(p.Title, "Law & order") {
		t.Errorf("title %q, want the entity decoded", p.Title)
	}
	for _, l := range p.Links {
		if strings.Contains(l, "loop") {
			t.Errorf("meta refresh target %s taken as a link", l)
		}
	}
	if len(p.Links) != 1 || p.Links[0] != "https://www.example.gov/real" {
		t.Errorf("links = %v, want only /real", p.Links)
	}
}
