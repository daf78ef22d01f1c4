package search

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckSpace(t *testing.T) {
	st := MustStore(t)
	free := func(n uint64) func(string) (uint64, error) {
		return func(string) (uint64, error) { return n, nil }
	}
	// No generation yet: only the minimum applies.
	if err := st.CheckSpace(SpaceRule{Free: free(16 << 20)}); err != nil {
		t.Errorf("empty folder, 16 MiB free: %v", err)
	}
	if err := st.CheckSpace(SpaceRule{Free: free(1 << 20)}); !errors.Is(err, ErrInsufficientDisk) {
		t.Errorf("empty folder, 1 MiB free: %v, want ErrInsufficientDisk", err)
	}
	MustPublish(t, st, genDocs("a", "aviation", 300), false)
	cur, _, _ := st.Pointer()
	size := dirSize(st.genPath(cur))
	if size == 0 {
		t.Fatal("generation size 0")
	}
	rule := SpaceRule{Factor: 2, MinFree: 1, Free: free(2*size - 1)}
	err := st.CheckSpace(rule)
	var se *SpaceError
	if !errors.As(err, &se) || !errors.Is(err, ErrInsufficientDisk) {
		t.Fatalf("CheckSpace(2×size−1 free) = %v, want a SpaceError", err)
	}
	if se.Need != 2*size || se.Free != 2*size-1 || se.IndexBytes != size {
		t.Errorf("SpaceError = %+v, want need %d, free %d, index %d", se, 2*size, 2*size-1, size)
	}
	if strings.Contains(se.Message(), st.Dir) || !strings.Contains(err.Error(), st.Dir) {
		t.Errorf("Message() = %q must not name the folder; Error() = %q must", se.Message(), err)
	}
	rule.Free = free(2 * size)
	if err := st.CheckSpace(rule); err != nil {
		t.Errorf("CheckSpace(2×size free) = %v, want nil", err)
	}
	rule.Free = func(string) (uint64, error) { return 0, errors.New("statfs broke") }
	if err := st.CheckSpace(rule); err == nil || errors.Is(err, ErrInsufficientDisk) {
		t.Errorf("CheckSpace with a failing statfs = %v, want that error", err)
	}
	// The real statfs answers for the test's folder.
	if _, err := freeBytes(st.Dir); err != nil {
		t.Errorf("freeBytes: %v", err)
	}
}

func TestFilesystemWarning(t *testing.T) {
	if w := FilesystemWarning(t.TempDir()); w != "" {
		t.Logf("the test folder itself is remote: %s", w)
	}
	if w := syncedPathWarning("/home/x/Library/Mobile Documents/com~apple~CloudDocs/data"); !strings.Contains(w, "synced") {
		t.Errorf("iCloud path: warning %q", w)
	}
	if w := syncedPathWarning("/var/lib/inlsearch"); w != "" {
		t.Errorf("local path: warning %q", w)
	}
}
