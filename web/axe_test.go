package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axePath is axe-core as npm installs it from testdata/axe/package-lock.json
// (`npm ci` in web/testdata/axe; .ci/run does it before make test).
var axePath = filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js")

// axeRules are the rule tags checked on every page: WCAG 2.0 and 2.1, levels
// A and AA.
var axeRules = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// loadAxe returns the axe-core script, or skips the test with the command
// that installs it.
func loadAxe(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		t.Skipf("axe-core not installed (%v): run `npm ci` in web/testdata/axe", err)
	}
	return string(src)
}

// axeViolation is one rule a page breaks, as axe.run reports it.
type axeViolation struct {
	ID          string `json:"id"`
	Impact      string `json:"impact"`
	Description string `json:"description"`
	Nodes       []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkAxe injects axe-core into the page open in ctx, runs the WCAG 2.1 A
// and AA rules on it and fails the test on any violation, naming the page.
func checkAxe(t *testing.T, ctx context.Context, axe, page string) {
	t.Helper()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";\ntypeof axe === 'object'"))
	if err != nil || !loaded {
		t.Fatalf("axe on %s: inject: loaded=%v, %v", page, loaded, err)
	}
	tags := `["` + strings.Join(axeRules, `","`) + `"]`
	run := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]}).then(r => r.violations)`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: run: %v", page, err)
	}
	for _, v := range violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprintf("%v %s", n.Target, n.HTML))
		}
		t.Errorf("axe on %s: %s (%s): %s\n\t%s", page, v.ID, v.Impact, v.Description, strings.Join(where, "\n\t"))
	}
}
