package search

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestNeutralizeCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"plain": "plain", "": "", "a=b": "a=b", "https://x": "https://x",
	} {
		if got := NeutralizeCell(in); got != want {
			t.Errorf("NeutralizeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHitJSON: a search's hit leaves out what only exports carry; an
// export's hit is the search's hit and those fields.
func TestHitJSON(t *testing.T) {
	t.Parallel()
	h := Hit{Document: Document{ID: "a", PageURL: "https://x/p", Text: "<b>t</b>", Amounts: []float64{3},
		FirstSeen: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, Snippet: "<mark>t</mark>", Score: 2}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"a","url":"","title":"","section":"","snippet":"\u003cmark\u003et\u003c/mark\u003e","organizations":[],` +
		`"countries":[],"regions":[],"topics":[],"type":"","years":[],"published":null,"score":2,"first_seen":"2024-01-02T03:04:05Z"}`
	if string(b) != want {
		t.Errorf("json.Marshal(hit) =\n%s\nwant\n%s", b, want)
	}
	e, err := ExportJSON(h, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(e), want[:len(want)-1]+",") ||
		!strings.HasSuffix(string(e), `"page_url":"https://x/p","generation":"g1","text":"\u003cb\u003et\u003c/b\u003e","amounts":[3]}`) {
		t.Errorf("ExportJSON = %s", e)
	}
}
