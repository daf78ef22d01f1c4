package search

import (
	"context"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// damage is one way a generation's files can be hurt on disk (RELIABILITY.md D7).
type damage struct {
	name string
	do   func(tb testing.TB, index string)
	// harmless is set when the damage may miss every live data: bbolt grows
	// root.bolt ahead of its data, so its second half is often free pages,
	// and a segment file may be one a merge replaced.
	harmless bool
}

func storeFiles(tb testing.TB, index, pattern string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(index, "store", pattern))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no %s in %s: %v", pattern, index, err)
	}
	sort.Strings(files)
	return files
}

// newestSegment is the segment file with the highest number: scorch names
// segments with a growing counter, so it is never one a merge replaced.
func newestSegment(tb testing.TB, index string) string {
	tb.Helper()
	files := storeFiles(tb, index, "*.zap")
	return files[len(files)-1]
}

func truncateTo(tb testing.TB, path string, size func(int64) int64) {
	tb.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.Truncate(path, size(fi.Size())); err != nil {
		tb.Fatal(err)
	}
}

var damages = []damage{
	{"root.bolt truncated to half", func(tb testing.TB, ix string) {
		truncateTo(tb, storeFiles(tb, ix, "root.bolt")[0], func(n int64) int64 { return n / 2 })
	}, true},
	{"root.bolt torn after its meta pages", func(tb testing.TB, ix string) {
		// The sageox/ox#826 shape: bbolt panics on a page that is not there.
		truncateTo(tb, storeFiles(tb, ix, "root.bolt")[0], func(int64) int64 { return 8192 })
	}, false},
	{"root.bolt zeroed", func(tb testing.TB, ix string) {
		if err := os.WriteFile(storeFiles(tb, ix, "root.bolt")[0], make([]byte, 8192), 0o644); err != nil {
			tb.Fatal(err)
		}
	}, false},
	// The newest segment file is live (a merge writes a new one, with a
	// higher number); an older one may be merged away and unused.
	{"a segment deleted", func(tb testing.TB, ix string) {
		if err := os.Remove(newestSegment(tb, ix)); err != nil {
			tb.Fatal(err)
		}
	}, true},
	{"a segment truncated", func(tb testing.TB, ix string) {
		truncateTo(tb, newestSegment(tb, ix), func(n int64) int64 { return n / 2 })
	}, true},
	{"every segment truncated", func(tb testing.TB, ix string) {
		for _, z := range storeFiles(tb, ix, "*.zap") {
			truncateTo(tb, z, func(n int64) int64 { return n / 2 })
		}
	}, false},
	{"index_meta.json emptied", func(tb testing.TB, ix string) {
		if err := os.WriteFile(filepath.Join(ix, "index_meta.json"), nil, 0o644); err != nil {
			tb.Fatal(err)
		}
	}, false},
	{"a segment unreadable (chmod 000)", func(tb testing.TB, ix string) {
		if os.Geteuid() == 0 {
			tb.Skip("root reads files whatever their mode; scripts/chaos.sh runs this case as an unprivileged user")
		}
		if err := os.Chmod(newestSegment(tb, ix), 0); err != nil {
			tb.Fatal(err)
		}
	}, true},
}

// listFiles returns every path under dir, to check that nothing was deleted.
func listFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !strings.HasPrefix(filepath.Base(p), ".tmp-") {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestCorruptGenerationFallsBack: whatever the damage to the current
// generation, opening the data folder serves the previous one, flagged
// degraded, deletes nothing, and opening it again (a restart) does the same:
// no crash, no crash loop (D7). A damage that missed every live page leaves
// the current generation whole: it is then served, complete.
func TestCorruptGenerationFallsBack(t *testing.T) {
	quietBleve(t)
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			st := MustStore(t)
			a := MustPublish(t, st, genDocs("a", "aviation", 1200), false)
			b := MustPublish(t, st, genDocs("b", "aviation", 1200), false)
			d.do(t, st.IndexPath(b))
			files := listFiles(t, st.Dir)
			for restart := range 3 {
				l, err := OpenLive(st.Dir)
				if err != nil {
					t.Fatal(err)
				}
				s := l.Status()
				want, prefix := a, "a-"
				if d.harmless && s.Generation.ID == b && s.Degraded == "" {
					want, prefix = b, "b-"
				}
				if !s.Serving || s.Generation.ID != want || want == a && !strings.Contains(s.Degraded, b) {
					l.Close()
					t.Fatalf("start %d: Status() = %+v, want %s served, degraded naming %s", restart, s, a, b)
				}
				res, err := l.Search(context.Background(), Query{Q: "alpha", PerPage: 5})
				if err != nil || res.Total != 1200 || !strings.HasPrefix(res.Hits[0].ID, prefix) {
					t.Errorf("start %d: search on %s = %+v, %v", restart, want, res, err)
				}
				if err := l.Close(); err != nil {
					t.Errorf("start %d: Close = %v", restart, err)
				}
			}
			if got := listFiles(t, st.Dir); strings.Join(got, "\n") != strings.Join(files, "\n") {
				t.Errorf("files changed:\nbefore %v\nafter  %v", files, got)
			}
		})
	}
}

// TestNothingServable: when every generation is damaged the Live serves
// nothing, says why, answers ErrUnavailable and still deletes nothing.
func TestNothingServable(t *testing.T) {
	st := MustStore(t)
	a := MustPublish(t, st, genDocs("a", "aviation", 20), false)
	b := MustPublish(t, st, genDocs("b", "aviation", 20), false)
	damages[1].do(t, st.IndexPath(a))
	damages[5].do(t, st.IndexPath(b))
	files := listFiles(t, st.Dir)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if s := l.Status(); s.Serving || !strings.Contains(s.Error, b) {
		t.Errorf("Status() = %+v, want nothing served and an error naming %s", s, b)
	}
	if _, err := l.Search(context.Background(), Query{Q: "alpha"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Search = %v, want ErrUnavailable", err)
	}
	if got := listFiles(t, st.Dir); strings.Join(got, "\n") != strings.Join(files, "\n") {
		t.Errorf("files changed:\nbefore %v\nafter  %v", files, got)
	}
}

// TestOpenCountMismatch: a generation whose index holds fewer passages than
// its COMPLETE record says is not served.
func TestOpenCountMismatch(t *testing.T) {
	st := MustStore(t)
	a := MustPublish(t, st, genDocs("a", "aviation", 10), false)
	b := MustPublish(t, st, genDocs("b", "aviation", 10), false)
	if err := writeAtomic(filepath.Join(st.genPath(b), completeFile), []byte(`{"id":"`+b+`","passages":11}`)); err != nil {
		t.Fatal(err)
	}
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if s := l.Status(); s.Generation.ID != a || !strings.Contains(s.Degraded, "COMPLETE says 11") {
		t.Errorf("Status() = %+v, want %s served and the mismatch named", s, a)
	}
}

// TestSecondOpenerNeverHangs: opening an index that a writer holds fails
// within the bolt timeout instead of waiting forever (bleve #1167, #1491);
// readers share an index (D6).
func TestSecondOpenerNeverHangs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	w, err := Create(path, Vocabulary{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	done := make(chan error, 1)
	go func() {
		ix, err := Open(path)
		if err == nil {
			ix.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "timeout") {
			t.Errorf("Open beside a writer = %v, want a timeout error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Open beside a writer hangs")
	}
}

// quietBleve silences the lines scorch prints with the standard logger
// while it fails to load a damaged snapshot.
func quietBleve(t *testing.T) {
	w := log.Writer()
	log.SetOutput(io.Discard)
	t.Cleanup(func() { log.SetOutput(w) })
}
