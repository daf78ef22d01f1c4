package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "CURRENT")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var steps []string
	if err := WriteSteps(p, []byte("new"), func(s string) {
		steps = append(steps, s)
		if s == "temp" { // not yet renamed: the old content is still there
			if b, _ := os.ReadFile(p); string(b) != "old" {
				t.Errorf("before rename the file holds %q", b)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("after Write the file holds %q", b)
	}
	if !slices.Equal(steps, []string{"temp", "renamed", "synced"}) {
		t.Errorf("steps = %v", steps)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestWriteMissingFolder(t *testing.T) {
	if err := Write(filepath.Join(t.TempDir(), "no", "such", "file"), []byte("x")); err == nil {
		t.Error("Write into a missing folder succeeded")
	}
}
