package extract

import (
	"testing"
	"time"
)

func TestSiteName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, page, want string
	}{
		{"og:site_name", `<html><head><meta property="og:site_name" content="U.S. GAO"><title>Aviation | U.S. GAO</title></head><body><p>x</p></body></html>`, "U.S. GAO"},
		{"title suffix", `<html><head><title>Criminal Division | OPDAT | United States Department of Justice</title></head><body><p>x</p></body></html>`, "United States Department of Justice"},
		{"title prefix", `<html><head><title>U.S. Department of State - Partnerships</title></head><body><p>x</p></body></html>`, "U.S. Department of State"},
		{"colon prefix", `<html><head><title>U.S. Embassy in Peru: Boats for the Police</title></head><body><p>x</p></body></html>`, "U.S. Embassy in Peru"},
		{"meta site_name", `<html><head><meta name="site_name" content="U.S. Government Accountability Office"><title>GAO-09-709 Highlights</title></head><body><p>x</p></body></html>`, "U.S. Government Accountability Office"},
		{"footer agency line", `<html><head><title>Extradited</title></head><body><main><p>Text of the release.</p></main><footer><p><a href="/a">Accessibility</a> | <a href="/f">FOIA</a></p><p>U.S. Department of Justice &middot; 950 Pennsylvania Avenue, NW &middot; Washington, DC</p></footer></body></html>`, "U.S. Department of Justice"},
		{"footer menu is no agency line", `<html><head><title>Extradited</title></head><body><main><p>Text of the release.</p></main><footer><p><a href="/a">Office of Policy</a> | <a href="/f">FOIA</a></p></footer></body></html>`, ""},
		{"a headline naming an embassy is no site", `<html><head><title>Tajikistan: US Embassy Hands Over a Border Post | The Times of Central Asia</title></head><body><h1>Tajikistan: US Embassy Hands Over a Border Post</h1><p>x</p></body></html>`, "The Times of Central Asia"},
		{"a mirror's details name the publisher", `<html><head><title>Cayman Islands</title></head><body><header><div class="logo">Refworld</div></header><main><table><tr><th>Publisher</th><td>United States Department of State</td></tr><tr><th>Publication Date</th><td>7 March 2012</td></tr></table><p>x</p></main></body></html>`, "United States Department of State"},
		{"a details list names the agency", `<html><head><title>Notice</title></head><body><main><dl><dt>Agency</dt><dd>Department of State</dd><dt>Action</dt><dd>Notice</dd></dl><p>x</p></main></body></html>`, "Department of State"},
		{"a details row of no publisher", `<html><head><title>Report</title></head><body><main><table><tr><th>Author</th><td>staff</td></tr></table><p>x</p></main></body></html>`, ""},
		{"no site part", `<html><head><title>Colombia</title></head><body><p>x</p></body></html>`, ""},
		{"title parts that are no site", `<html><head><title>Boats - Riverine Patrols</title></head><body><p>x</p></body></html>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Extract("https://example.gov/a.html", []byte(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			if p.Site != tt.want {
				t.Errorf("Site = %q, want %q", p.Site, tt.want)
			}
		})
	}
}

func TestDateHeading(t *testing.T) {
	t.Parallel()
	body := `<html><head><title>Blog: Post</title></head><body><header><h1>Blog</h1></header>
<div class="main"><h2 class="date-header"><span>Thursday, March 14, 2013</span></h2>
<h3>Model Police Precinct Opens</h3><p>The precinct opened today in a ceremony with officials of the city and the police,
who spoke about the reduction of crime in the neighborhoods that the precinct serves.</p></div></body></html>`
	p, err := Extract("https://example.gov/post.html", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Published.Format(time.DateOnly); got != "2013-03-14" {
		t.Errorf("Published = %s, want 2013-03-14", got)
	}
	body = `<html><head><title>Report</title></head><body><h1>Report</h1>
<h2>Program Review Meeting Held in the Capital City on March 14, 2013</h2><p>Text of the report about what happened that spring in the capital.</p></body></html>`
	p, err = Extract("https://example.gov/r.html", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Published.IsZero() {
		t.Errorf("Published = %v, want none: the heading holds more than a date", p.Published)
	}
}

// TestPublisherSignals: without a declared site name, the page's chrome
// names its publisher as a reader reads it; a tagline names none.
func TestPublisherSignals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, page, want string
	}{
		{"logo alt", `<html><head><title>Program</title></head><body><header><a href="/"><img src="l.png" alt="American Bar Association logo"></a></header><main><p>x</p></main></body></html>`, "American Bar Association"},
		{"masthead text", `<html><head><title>Program</title></head><body><div class="site-name">United Nations Office on Drugs and Crime</div><p>x</p></body></html>`, "United Nations Office on Drugs and Crime"},
		{"copyright line", `<html><head><title>Story</title></head><body><p>Text.</p><footer><p>© 2023 The Washington Post. All rights reserved.</p></footer></body></html>`, "Washington Post"},
		{"wire dateline", `<html><head><title>Story</title></head><body><p>MEXICO CITY (Reuters) - Officials said the plan would go ahead.</p></body></html>`, "Reuters"},
		{"a tagline is no publisher", `<html><head><title>Program</title></head><body><header><p>Diplomacy in Action</p></header><p>x</p></body></html>`, ""},
		{"a declared name wins", `<html><head><meta property="og:site_name" content="U.S. GAO"><title>A</title></head><body><footer>© 2020 Someone Else Association</footer></body></html>`, "U.S. GAO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Extract("https://example.org/a.html", []byte(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			if p.Site != tt.want {
				t.Errorf("Site = %q, want %q", p.Site, tt.want)
			}
		})
	}
}
