package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/search"
)

// TestPassagePage checks the "why is this tagged?" view: each tag with the
// sentence that decided it, in the served HTML (no script needed), escaped,
// found organizations marked, 404 for an unknown passage, and a link to it from every search hit.
func TestPassagePage(t *testing.T) {
	t.Parallel()
	doc := fixtureDocs()[0]
	doc.Organizations = append(doc.Organizations, "CPATT")
	doc.FoundOrganizations = []string{"CPATT"}
	doc.Evidence = map[string]string{
		"organization:United Nations Office on Drugs and Crime": "UNODC <b>trains</b> port officers in Colón.",
		"organization:CPATT": "Instructors of the CPATT certified 400 officers.",
		"country:Panama":     "Panama › Ports",
	}
	doc.Provenance = map[string][]string{"topic:counternarcotics": {"cocaine"}}
	fake := &fakeSearcher{
		SearchFn: fixtureSearch(fixtureDocs()),
		GetFn: func(_ context.Context, id string) (*search.Document, error) {
			if id == doc.ID {
				return &doc, nil
			}
			return nil, fmt.Errorf("get %q: %w", id, search.ErrNotFound)
		},
	}
	h := MustServer(t, Config{}, fake, nil, nil).Handler()
	rec := do(t, h, "GET", "/passages/"+doc.ID, nil)
	if rec.Code != 200 {
		t.Fatalf("GET /passages/%s = %d\n%s", doc.ID, rec.Code, rec.Body)
	}
	body := rec.Body.String()
	checkDOM(t, body)
	for _, w := range []string{
		"Why is this tagged?",
		"UNODC &lt;b&gt;trains&lt;/b&gt; port officers in Colón.",
		"Instructors of the CPATT certified 400 officers.",
		"(found on the page, not in the list)",
		"Panama › Ports",
		"Matched: cocaine",
		"No sentence was kept for this tag.", // a region without evidence
	} {
		if !strings.Contains(body, w) {
			t.Errorf("passage page lacks %q", w)
		}
	}
	if rec := do(t, h, "GET", "/passages/nope", nil); rec.Code != 404 {
		t.Errorf("GET /passages/nope = %d, want 404", rec.Code)
	}
	search := do(t, h, "GET", "/search?q=container", nil).Body.String()
	if !strings.Contains(search, `href="/passages/`+doc.ID+`"`) {
		t.Error("search page hits do not link to their passage view")
	}
}

func TestEvidenceByFacet(t *testing.T) {
	t.Parallel()
	got := evidenceByFacet(map[string]string{"topic:rule of law": "Courts.", "year:2013": "In 2013.", "bad": "x", ":x": "y"})
	if len(got) != 2 || got["topic"]["rule of law"] != "Courts." || got["year"]["2013"] != "In 2013." {
		t.Errorf("evidenceByFacet = %q", got)
	}
}
