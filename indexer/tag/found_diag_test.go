package tag_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/tag"
)

// TestFoundOrgsDiag lists the organizations found beyond the taxonomy on the
// demo pages and the held-out tuning pages (never the final sets), for
// review. Run with FOUND_DIAG=1 -v.
func TestFoundOrgsDiag(t *testing.T) {
	if os.Getenv("FOUND_DIAG") == "" {
		t.Skip("set FOUND_DIAG=1")
	}
	tg := tag.MustNew()
	for _, g := range mustGold(t) {
		got, _ := tagPage(t, tg, g.Path)
		if len(got.FoundOrganizations) > 0 {
			t.Logf("demo %s: %q", g.Path, got.FoundOrganizations)
		}
	}
	for _, g := range mustHoldoutGold(t) {
		if isFinal(g.Path) {
			continue
		}
		body, err := os.ReadFile(filepath.Join(holdoutDir, g.Path))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := tagHTML(t, tg, holdoutBase+g.Path, body, "text/html")
		if len(got.FoundOrganizations) > 0 {
			t.Logf("holdout %s: %q", g.Path, got.FoundOrganizations)
		}
	}
}
