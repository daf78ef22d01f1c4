package pdfgen

import (
	"bytes"
	"compress/zlib"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the demo site's PDFs under corpus/site")

// TestSiteFilesUpToDate checks that the PDFs served by the demo site are
// what this generator writes (go test ./corpus/pdfgen -update rewrites them).
func TestSiteFilesUpToDate(t *testing.T) {
	files, err := SiteFiles()
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range files {
		name := filepath.Join("..", "site", filepath.FromSlash(p))
		if *update {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v (run go test ./corpus/pdfgen -update)", p, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output (run go test ./corpus/pdfgen -update)", p)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := SiteFiles()
	if err != nil {
		t.Fatal(err)
	}
	b, err := SiteFiles()
	if err != nil {
		t.Fatal(err)
	}
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s: two runs differ", p)
		}
	}
}

func TestLargeReport(t *testing.T) {
	data, err := StrategyReport(LargeReport(300))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("/Type /Page")) - bytes.Count(data, []byte("/Type /Pages")); n != 301 {
		t.Errorf("LargeReport(300) has %d pages, want 301 (a cover and 300)", n)
	}
}

func TestBombInflates(t *testing.T) {
	const n = 10<<20 + 7
	data := Bomb(n)
	i := bytes.Index(data, []byte("stream\n")) + len("stream\n")
	j := bytes.Index(data, []byte("\nendstream"))
	zr, err := zlib.NewReader(bytes.NewReader(data[i:j]))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	if int64(len(got)) != n || bytes.Count(got, []byte("0")) != n {
		t.Errorf("Bomb(%d) inflates to %d bytes", n, len(got))
	}
	if len(data) > n/100 {
		t.Errorf("Bomb(%d) is %d bytes: not a bomb", n, len(data))
	}
}
