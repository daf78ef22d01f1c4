//go:build !(linux || darwin)

package search

import "errors"

func freeBytes(string) (uint64, error) {
	return 0, errors.New("free space unknown on this platform")
}

// FilesystemWarning returns a warning when dir looks like a synced folder.
func FilesystemWarning(dir string) string { return syncedPathWarning(dir) }
