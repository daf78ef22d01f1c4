package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileSeeds are the malformed inputs of RELIABILITY A1.
var hostileSeeds = []string{
	"",
	"<",
	"<html><body><p>unclosed <b>bold <i>italic <div>block</p></td></table></body>",
	"</td></tr></table><td>stray cells</td><tr><th>x",
	"<table><tr><td><table><td>soup<p>para<td>more</table>after",
	"<p>\xff\xfe\x00invalid\xc3\x28 utf-8 \xed\xa0\x80 surrogate</p>",
	"<script>var SCRIPTONLY=1</script><style>.STYLEONLY{}</style><noscript>NOSCRIPTONLY</noscript><p>visible</p>",
	"<p>&amp;&lt;&gt;&quot;&#39;&#0;&#x110000;&#xD800;&bogus;&amp</p>",
	"<base href='javascript:alert(1)'><a href='//evil.example/x#y'>a</a><a href='http://[::1'>b</a><a href=' \thttp://ok.example/ '>c</a>",
	"<h1 id='a b#c'>Title</h1><h2></h2><h3>Deep</h3><p><strong>Name:</strong></p>",
	strings.Repeat("<div>", 600) + "deep" + strings.Repeat("</div>", 600),
	strings.Repeat("<b>", 600) + "bold",
	strings.Repeat("<li><a href=/x>x</a>", 300),
	"<table>" + strings.Repeat("<tr><td>1</td><td>2</td></tr>", 200) + "</table>",
}

func FuzzExtract(f *testing.F) {
	files, err := filepath.Glob("testdata/*.html")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := Extract("https://www.example.gov/a/b/page.htm?x=1", body)
		if err != nil {
			t.Fatalf("Extract error: %v", err)
		}
		checkInvariants(t, p)
	})
}

func TestHostileSeeds(t *testing.T) {
	t.Parallel()
	for i, s := range hostileSeeds {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			p := MustExtract(t, s)
			for _, tok := range []string{"SCRIPTONLY", "STYLEONLY", "NOSCRIPTONLY"} {
				if strings.Contains(joinPassages(p), tok) {
					t.Errorf("Extract(seed %d) indexed %s", i, tok)
				}
			}
		})
	}
}

// bigPage returns an HTML page of at least size bytes: navigation, then
// many sections of paragraphs, lists and tables.
func bigPage(size int) []byte {
	var b strings.Builder
	b.WriteString("<html><head><title>Big - Example Department</title></head><body><ul>")
	for i := range 200 {
		fmt.Fprintf(&b, `<li><a href="/nav/%d">Navigation item %d</a></li>`, i, i)
	}
	b.WriteString("</ul><div><h1>Big</h1>")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<h2>Section %d</h2><p><strong>Partner %d (P%d):</strong> %s</p><p>%s %s</p>", i, i, i, filler, filler, filler)
		fmt.Fprintf(&b, "<ul><li>%s</li><li>%s</li></ul><table><tr><td>FY 2013</td><td>%d</td></tr></table>", filler, filler, i)
	}
	b.WriteString("</div></body></html>")
	return []byte(b.String())
}

func BenchmarkExtract(b *testing.B) {
	body := bigPage(1 << 20)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Extract("https://www.example.gov/big.htm", body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractDeepNesting(b *testing.B) {
	body := []byte(strings.Repeat("<div>", 100000) + "<p>" + filler + "</p>" + strings.Repeat("</div>", 100000))
	for b.Loop() {
		if _, err := Extract("https://www.example.gov/deep.htm", body); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBigPage(t *testing.T) {
	t.Parallel()
	p, err := Extract("https://www.example.gov/big.htm", bigPage(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, p)
	if len(p.Passages) < 1000 || strings.Contains(joinPassages(p), "Navigation item") {
		t.Errorf("Extract(1 MiB page) = %d passages (navigation leaked: %v)", len(p.Passages), strings.Contains(joinPassages(p), "Navigation item"))
	}
}
