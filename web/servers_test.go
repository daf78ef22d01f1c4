package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServersHaveTimeouts is the check gosec's G112 makes, over the module's
// own code: no http.ListenAndServe, no gin Run, and every http.Server literal
// sets ReadHeaderTimeout (slowloris, E4).
func TestServersHaveTimeouts(t *testing.T) {
	t.Parallel()
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bench" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "http" && (n.Sel.Name == "ListenAndServe" || n.Sel.Name == "ListenAndServeTLS") {
					t.Errorf("%s: http.%s has no timeouts", path, n.Sel.Name)
				}
				if n.Sel.Name == "RunTLS" || n.Sel.Name == "RunListener" {
					t.Errorf("%s: gin's %s has no timeouts", path, n.Sel.Name)
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Server" {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "http" {
					return true
				}
				has := false
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ReadHeaderTimeout" {
							has = true
						}
					}
				}
				if !has {
					t.Errorf("%s: an http.Server without ReadHeaderTimeout", path)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
