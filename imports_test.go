package inlsearch_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/inlsearch/inlsearch"

// importRules are the import rules the packages' doc.go state (and
// ../shared/STYLE.md): for each package folder, the import paths beyond the
// standard library its code may use, as prefixes ("~/" is this module).
// A folder missing here is a new package: give it a rule.
var importRules = map[string][]string{
	"search":              {"github.com/blevesearch/", "github.com/RoaringBitmap/roaring/", "github.com/cespare/xxhash/", "~/internal/atomicfile", "~/internal/zap"},
	"web":                 {"~/search", "github.com/gin-gonic/gin", "github.com/gorilla/feeds", "~/internal/jobstate"},
	"indexer":             {"~/search", "~/indexer/", "~/internal/"},
	"internal/atomicfile": {},
	"internal/jobstate":   {},
	// zapx v17 with compact locations (internal/zap/README.md): zapx's own imports.
	"internal/zap":      {"github.com/blevesearch/", "github.com/RoaringBitmap/roaring/", "github.com/golang/snappy", "github.com/bits-and-blooms/bitset"},
	"internal/apitest":  {"github.com/getkin/kin-openapi/"}, // imported by tests only
	"indexer/crawl":     {"golang.org/x/net/", "golang.org/x/text/", "~/indexer/robots"},
	"indexer/robots":    {},
	"indexer/extract":   {"github.com/PuerkitoBio/goquery", "golang.org/x/net/"},
	"indexer/record":    {"~/search", "go.etcd.io/bbolt"},
	"indexer/pdf":       {"github.com/ledongthuc/pdf"},
	"corpus/pdfgen":     {"codeberg.org/go-pdf/fpdf"},
	"indexer/warc":      {"github.com/nlnwa/gowarc/"},
	"indexer/tag":       {"~/search", "github.com/biter777/countries"},
	"indexer/tag/learn": {"~/indexer/tag", "~/indexer/extract", "~/corpus", "golang.org/x/net/"},
	"indexer/tag/train": {"~/indexer/tag"},
	"corpus":            {"golang.org/x/text/"},
	"eval":              {},
	"cmd/inlsearch":     {"~/", "github.com/prometheus/client_golang/"},
	"scripts/fixture":   {"~/search", "~/indexer/tag"},
	"scripts/loadgen":   {},
}

// TestImportRules checks the imports of every non-test file of the module
// (bench is a module of its own) against importRules.
func TestImportRules(t *testing.T) {
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bench") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		allowed, ok := importRules[dir]
		if !ok {
			t.Errorf("%s: package folder %s has no import rule", path, dir)
			return nil
		}
		seen[dir] = true
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.Contains(strings.Split(p, "/")[0], ".") {
				continue // standard library
			}
			if !permitted(p, allowed) {
				t.Errorf("%s imports %s; %s may import only the standard library and %v", path, p, dir, allowed)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"search", "web", "indexer", "cmd/inlsearch"} {
		if !seen[dir] {
			t.Errorf("no Go file found in %s: the walk is broken", dir)
		}
	}
}

func permitted(path string, allowed []string) bool {
	for _, a := range allowed {
		a = strings.Replace(a, "~/", module+"/", 1)
		if path == strings.TrimSuffix(a, "/") || strings.HasPrefix(path, a) || strings.HasPrefix(path, a+"/") {
			return true
		}
	}
	return false
}
