package record

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

func MustOpen(tb testing.TB, path string) *DB {
	tb.Helper()
	d, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestStagePromoteDiscard(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	d := MustOpen(t, path)
	a := &Record{URL: "http://h/a", Host: "h", ETag: `"1"`, Docs: []search.Document{{ID: "x", Text: "t"}}}
	b := &Record{URL: "http://h/b", Host: "h", RemovedAt: time.Unix(1, 0)}
	if err := d.Stage(a, b); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := d.Get(a.URL); ok {
		t.Fatalf("a staged record is published before Promote")
	}
	if err := d.Promote(); err != nil {
		t.Fatal(err)
	}
	got, ok, err := d.Get(a.URL)
	if err != nil || !ok || got.ETag != `"1"` || len(got.Docs) != 1 || got.Docs[0].Text != "t" {
		t.Fatalf("Get(a) = %+v, %v, %v", got, ok, err)
	}
	metas, err := d.Metas()
	if err != nil || len(metas) != 2 || !metas[a.URL].Live || metas[b.URL].Live {
		t.Fatalf("Metas() = %+v, %v", metas, err)
	}

	// Staged and discarded: nothing changes. Staged and left by a crash:
	// the next Open drops it.
	if err := d.Stage(&Record{URL: a.URL, ETag: `"2"`}); err != nil {
		t.Fatal(err)
	}
	if err := d.Discard(); err != nil {
		t.Fatal(err)
	}
	if err := d.Stage(&Record{URL: "http://h/c"}, &Record{URL: a.URL, ETag: `"3"`}); err != nil {
		t.Fatal(err)
	}
	if err := d.Unstage([]string{"http://h/c"}); err != nil {
		t.Fatal(err)
	}
	var staged []string
	_ = d.EachStaged(func(r *Record) error { staged = append(staged, r.URL+"="+r.ETag); return nil })
	if strings.Join(staged, ",") != a.URL+`="3"` {
		t.Errorf("staged = %v after Unstage", staged)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = MustOpen(t, path)
	defer d.Close()
	n := 0
	_ = d.EachStaged(func(*Record) error { n++; return nil })
	if got, _, _ := d.Get(a.URL); n != 0 || got.ETag != `"1"` {
		t.Errorf("after reopen: %d staged, etag %s; want 0 and \"1\"", n, got.ETag)
	}
}

func TestPromoteManyChunks(t *testing.T) {
	d := MustOpen(t, filepath.Join(t.TempDir(), FileName))
	defer d.Close()
	var recs []*Record
	for i := range 2*promoteChunk + 3 {
		recs = append(recs, &Record{URL: "http://h/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String()})
	}
	if err := d.Stage(recs...); err != nil {
		t.Fatal(err)
	}
	if err := d.Promote(); err != nil {
		t.Fatal(err)
	}
	metas, _ := d.Metas()
	if len(metas) != len(recs) {
		t.Errorf("published %d records, want %d", len(metas), len(recs))
	}
}

func TestOpenLockedAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	d := MustOpen(t, path)
	if _, err := open(path, 50*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("second open = %v, want ErrLocked", err)
	}
	if _, aside, err := OpenOrQuarantine(path, time.Now()); !errors.Is(err, ErrLocked) || aside != "" {
		t.Errorf("OpenOrQuarantine of a locked file = %q, %v; want ErrLocked and nothing moved", aside, err)
	}
	_ = d.Close()

	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, []byte(strings.Repeat("not a bolt file ", 4096)), 0o600); err != nil {
		t.Fatal(err)
	}
	d, aside, err := OpenOrQuarantine(bad, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatalf("OpenOrQuarantine(garbage) = %v", err)
	}
	defer d.Close()
	if aside != bad+".corrupt-20250102T030405Z" {
		t.Errorf("moved aside to %q", aside)
	}
	if _, err := os.Stat(aside); err != nil {
		t.Errorf("the unreadable file was not kept: %v", err)
	}
}

// TestTruncatedIsQuarantined: bbolt would crash the process (SIGBUS) on a
// file shorter than its metadata says; it is moved aside instead.
func TestTruncatedIsQuarantined(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	d := MustOpen(t, path)
	var recs []*Record
	for i := range 300 {
		recs = append(recs, &Record{URL: fmt.Sprintf("http://h/%d", i), Docs: []search.Document{{ID: "x", Text: strings.Repeat("text ", 50)}}})
	}
	if err := d.Stage(recs...); err != nil {
		t.Fatal(err)
	}
	if err := d.Promote(); err != nil {
		t.Fatal(err)
	}
	_ = d.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	d, aside, err := OpenOrQuarantine(path, time.Now())
	if err != nil || aside == "" {
		t.Fatalf("OpenOrQuarantine(truncated) = %q, %v; want it moved aside", aside, err)
	}
	defer d.Close()
	if metas, _ := d.Metas(); len(metas) != 0 {
		t.Errorf("the new record holds %d pages", len(metas))
	}
}
