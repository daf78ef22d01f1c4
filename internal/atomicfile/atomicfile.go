// Package atomicfile writes a file so that a crash leaves either its old
// content or its new one, never a mix: write a temporary file in the same
// folder, fsync it, rename it over the target, fsync the folder. It imports
// only the standard library.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes data to path atomically.
func Write(path string, data []byte) error { return WriteSteps(path, data, nil) }

// WriteSteps is Write that calls step (when not nil) after each step with its
// name: "temp" (the temporary file is written and synced), "renamed" and
// "synced" (the folder is synced). Crash tests stop the process there.
func WriteSteps(path string, data []byte, step func(name string)) error {
	if step == nil {
		step = func(string) {}
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		step("temp")
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	step("renamed")
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	step("synced")
	return nil
}
