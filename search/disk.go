package search

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// ErrInsufficientDisk is wrapped by the error of CheckSpace when the data
// folder's filesystem has too little room for a new generation.
var ErrInsufficientDisk = errors.New("insufficient disk space")

// SpaceRule is the pre-flight check of a build (RELIABILITY.md D4, the
// analogue of Elasticsearch's flood-stage watermark): the filesystem of the
// data folder must have at least Factor × the current generation's size
// free, and at least MinFree bytes.
type SpaceRule struct {
	Factor  int    // default 2
	MinFree uint64 // default 16 MiB
	// Free returns the bytes available on the filesystem of a folder; nil
	// means statfs. Tests plug in their own.
	Free func(dir string) (uint64, error)
}

// DefaultSpaceRule is the rule of RELIABILITY.md.
var DefaultSpaceRule = SpaceRule{Factor: 2, MinFree: 16 << 20}

// SpaceError says how much room a build needs and how much there is.
type SpaceError struct {
	Dir        string
	Free       uint64 // bytes available
	Need       uint64 // bytes required
	IndexBytes uint64 // size of the current generation
	Factor     int
}

func (e *SpaceError) Error() string {
	return fmt.Sprintf("%v in %s: %s free, %s needed (%d × the current index of %s, at least the minimum)",
		ErrInsufficientDisk, e.Dir, byteSize(e.Free), byteSize(e.Need), e.Factor, byteSize(e.IndexBytes))
}

// Message is Error without the folder, for answers to clients.
func (e *SpaceError) Message() string {
	return fmt.Sprintf("%v: %s free, %s needed (%d × the current index of %s)",
		ErrInsufficientDisk, byteSize(e.Free), byteSize(e.Need), e.Factor, byteSize(e.IndexBytes))
}

// Unwrap makes errors.Is(err, ErrInsufficientDisk) hold.
func (e *SpaceError) Unwrap() error { return ErrInsufficientDisk }

// CheckSpace applies rule (zero fields take DefaultSpaceRule) to the data
// folder of s: nil when a new generation fits, a *SpaceError when not.
func (s *Store) CheckSpace(rule SpaceRule) error {
	if rule.Factor <= 0 {
		rule.Factor = DefaultSpaceRule.Factor
	}
	if rule.MinFree == 0 {
		rule.MinFree = DefaultSpaceRule.MinFree
	}
	if rule.Free == nil {
		rule.Free = freeBytes
	}
	var size uint64
	if cur, _, err := s.Pointer(); err == nil {
		size = dirSize(s.genPath(cur))
	}
	free, err := rule.Free(s.Dir)
	if err != nil {
		return fmt.Errorf("free space of %s: %w", s.Dir, err)
	}
	need := max(uint64(rule.Factor)*size, rule.MinFree)
	if free < need {
		return &SpaceError{Dir: s.Dir, Free: free, Need: need, IndexBytes: size, Factor: rule.Factor}
	}
	return nil
}

// dirSize sums the sizes of the regular files under dir.
func dirSize(dir string) uint64 {
	var n uint64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			n += uint64(fi.Size())
		}
		return nil
	})
	return n
}

func byteSize(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// syncedPathWarning warns about folders that sync services own by name.
func syncedPathWarning(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for _, marker := range []string{"Mobile Documents", "iCloud", "Dropbox", "OneDrive", "Google Drive"} {
		if containsPathElem(abs, marker) {
			return fmt.Sprintf("data folder %s looks synced (%s): keep the index on a local, unsynced disk", dir, marker)
		}
	}
	return ""
}

func containsPathElem(path, name string) bool {
	for path != "" && path != "/" && path != "." {
		if filepath.Base(path) == name {
			return true
		}
		path = filepath.Dir(path)
	}
	return false
}
