package search

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mustCopy stages the files of generation id of src into dst's staging
// folder, as a pull does, and returns its record and manifest.
func mustCopy(tb testing.TB, src, dst *Store, id string) (Generation, Manifest) {
	tb.Helper()
	g, err := src.Info(id)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := src.Manifest(id)
	if err != nil {
		tb.Fatal(err)
	}
	staged, err := dst.StagingPath(id)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range m.Files {
		in, _, err := src.OpenFile(id, f.Path)
		if err != nil {
			tb.Fatal(err)
		}
		to := filepath.Join(staged, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			tb.Fatal(err)
		}
		out, err := os.Create(to)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			tb.Fatal(err)
		}
		in.Close()
		out.Close()
	}
	return g, m
}

func TestManifestWrittenAtPublication(t *testing.T) {
	st := MustStore(t)
	id := MustPublish(t, st, genDocs("a", "aviation", 20), false)
	b, err := os.ReadFile(filepath.Join(st.genPath(id), manifestFile))
	if err != nil {
		t.Fatalf("no MANIFEST written at publication: %v", err)
	}
	m, err := st.Manifest(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err != nil {
		t.Fatalf("Manifest(%s).Check() = %v", id, err)
	}
	if !strings.Contains(string(b), "index/index_meta.json") || len(m.Files) < 2 {
		t.Fatalf("manifest lists %d files: %s", len(m.Files), b)
	}
	var total int64
	for _, f := range m.Files {
		sum, size, err := hashFile(filepath.Join(st.genPath(id), f.Path))
		if err != nil || sum != f.SHA256 || size != f.Size {
			t.Errorf("%s: on disk %s %d (%v), manifest %s %d", f.Path, sum, size, err, f.SHA256, f.Size)
		}
		total += f.Size
	}
	if m.Bytes() != total {
		t.Errorf("Bytes() = %d, want %d", m.Bytes(), total)
	}
}

func TestManifestComputedOnceForOlderGenerations(t *testing.T) {
	st := MustStore(t)
	id := MustPublish(t, st, genDocs("a", "aviation", 5), false)
	path := filepath.Join(st.genPath(id), manifestFile)
	want, _ := os.ReadFile(path)
	if err := os.Remove(path); err != nil { // as published before manifests existed
		t.Fatal(err)
	}
	m, err := st.Manifest(id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("computed manifest not kept: %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("computed manifest differs from the one written at publication:\n%s\nwant\n%s", got, want)
	}
	// Kept means not computed again: a forged entry in the file is what is read.
	zeros := strings.Repeat("0", 64)
	m.Files[0].SHA256 = zeros
	forged, _ := json.Marshal(m)
	if err := os.WriteFile(path, forged, 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := st.Manifest(id)
	if err != nil || again.Files[0].SHA256 != zeros {
		t.Errorf("Manifest read again = %v, %v; want the kept file, not a new computation", again.Files[0], err)
	}
}

func TestManifestAndOpenFileRefuse(t *testing.T) {
	st := MustStore(t)
	id := MustPublish(t, st, genDocs("a", "aviation", 5), false)
	for _, bad := range []string{"", "..", "../x", "a/b", strings.Repeat("a", 65), "a b"} {
		if _, err := st.Manifest(bad); !errors.Is(err, ErrBadGeneration) {
			t.Errorf("Manifest(%q) = %v, want ErrBadGeneration", bad, err)
		}
	}
	if _, err := st.Manifest("20990101T000000Z-00000000"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Manifest(unknown) = %v, want ErrNotFound", err)
	}
	for _, p := range []string{"COMPLETE", "MANIFEST", "index", "index/../COMPLETE", "../../CURRENT", "/etc/passwd", "index/store/../index_meta.json"} {
		if f, _, err := st.OpenFile(id, p); !errors.Is(err, ErrNotFound) {
			if f != nil {
				f.Close()
			}
			t.Errorf("OpenFile(%q) = %v, want ErrNotFound (only files of the manifest)", p, err)
		}
	}
	f, mf, err := st.OpenFile(id, "index/index_meta.json")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(st.genPath(id), "index", "index_meta.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.OpenFile(id, mf.Path); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("OpenFile of a file whose size changed = %v, want an error", err)
	}
}

func TestManifestCheck(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	good := Manifest{Generation: "g-1", Files: []ManifestFile{{Path: "index/a", Size: 1, SHA256: sum}, {Path: "index/b", Size: 0, SHA256: sum}}}
	if err := good.Check(); err != nil {
		t.Fatalf("Check(good) = %v", err)
	}
	for name, m := range map[string]Manifest{
		"bad id":      {Generation: "../g", Files: good.Files},
		"no files":    {Generation: "g"},
		"traversal":   {Generation: "g", Files: []ManifestFile{{Path: "index/../../x", SHA256: sum}}},
		"absolute":    {Generation: "g", Files: []ManifestFile{{Path: "/index/x", SHA256: sum}}},
		"outside":     {Generation: "g", Files: []ManifestFile{{Path: "COMPLETE", SHA256: sum}}},
		"backslash":   {Generation: "g", Files: []ManifestFile{{Path: `index/..\x`, SHA256: sum}}},
		"repeated":    {Generation: "g", Files: []ManifestFile{{Path: "index/a", SHA256: sum}, {Path: "index/a", SHA256: sum}}},
		"negative":    {Generation: "g", Files: []ManifestFile{{Path: "index/a", Size: -1, SHA256: sum}}},
		"bad sha":     {Generation: "g", Files: []ManifestFile{{Path: "index/a", SHA256: "xyz"}}},
		"short sha":   {Generation: "g", Files: []ManifestFile{{Path: "index/a", SHA256: "abcd"}}},
		"empty entry": {Generation: "g", Files: []ManifestFile{{}}},
	} {
		if err := m.Check(); err == nil {
			t.Errorf("Check(%s) = nil, want an error", name)
		}
	}
}

func TestImportPublishesCopy(t *testing.T) {
	src, dst := MustStore(t), MustStore(t)
	a := MustPublish(t, src, genDocs("a", "aviation", 12), false)
	b := MustPublish(t, src, genDocs("b", "aviation", 30), false)
	local := MustPublish(t, dst, genDocs("l", "aviation", 3), false)

	g, m := mustCopy(t, src, dst, a)
	if err := dst.Import(g, m); err != nil {
		t.Fatalf("Import(%s) = %v", a, err)
	}
	if cur, prev, _ := dst.Pointer(); cur != a || prev != local {
		t.Fatalf("after import: current %s previous %s, want %s %s", cur, prev, a, local)
	}
	info, err := dst.Info(a)
	if err != nil || info.Passages != 12 || !info.BuiltAt.Equal(g.BuiltAt) {
		t.Fatalf("COMPLETE of the copy = %+v, %v; want the builder's record %+v", info, err, g)
	}
	if _, err := os.Stat(filepath.Join(dst.Dir, pullDir, a)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("staging folder left after import: %v", err)
	}
	lv, err := OpenLive(dst.Dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := lv.Search(context.Background(), Query{Q: "alpha", PerPage: 100})
	lv.Close()
	if err != nil || res.Total != 12 {
		t.Fatalf("search on the copy: %v hits, %v; want 12", res, err)
	}
	gm, _ := dst.Manifest(a)
	if len(gm.Files) != len(m.Files) || gm.Files[0] != m.Files[0] {
		t.Errorf("the copy's manifest differs from the builder's")
	}

	// A second import: the first becomes previous. Pruning then follows the
	// keep policy (the newest generations by build time, current and
	// previous always): the local generation, built last, stays.
	g, m = mustCopy(t, src, dst, b)
	if err := dst.Import(g, m); err != nil {
		t.Fatalf("Import(%s) = %v", b, err)
	}
	if cur, prev, _ := dst.Pointer(); cur != b || prev != a {
		t.Fatalf("after the second import: current %s previous %s, want %s %s", cur, prev, b, a)
	}
	for _, id := range []string{a, b} {
		if _, err := os.Stat(dst.genPath(id)); err != nil {
			t.Errorf("generation %s missing after the imports: %v", id, err)
		}
	}

	// The builder went back to a generation the replica keeps: re-pointed, no copy.
	if err := dst.Repoint(a); err != nil {
		t.Fatal(err)
	}
	if cur, prev, _ := dst.Pointer(); cur != a || prev != b {
		t.Fatalf("after Repoint: current %s previous %s, want %s %s", cur, prev, a, b)
	}
}

func TestImportRefusesDamagedCopy(t *testing.T) {
	src, dst := MustStore(t), MustStore(t)
	a := MustPublish(t, src, genDocs("a", "aviation", 12), false)
	keep := MustPublish(t, dst, genDocs("l", "aviation", 3), false)
	g, m := mustCopy(t, src, dst, a)
	g.Passages = 13 // the copy does not hold what its record says
	err := dst.Import(g, m)
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("Import of a copy that fails its checks = %v, want *CheckError", err)
	}
	if cur, _, _ := dst.Pointer(); cur != keep {
		t.Errorf("pointer moved to %s after a failed import, want %s", cur, keep)
	}
	if dst.Has(a) {
		t.Errorf("a failed import left generation %s complete", a)
	}
	if err := dst.Import(Generation{ID: "other"}, m); err == nil {
		t.Errorf("Import with another generation's manifest = nil, want an error")
	}
}
