package indexer

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockedError says another live process holds the crawl lock of a data folder.
type LockedError struct {
	Path string
	PID  int
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("a crawl is already running on this data folder (lock %s held by pid %d)", e.Path, e.PID)
}

// Lock is the crawl lock of a data folder: one crawl at a time.
type Lock struct{ path string }

const lockName = "crawl.lock"

// AcquireLock takes the crawl lock of dir. A lock left by a dead process is
// taken over, with a log line; a lock held by a live process is a *LockedError.
func AcquireLock(dir string, log *slog.Logger) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, lockName)
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
			if werr == nil {
				werr = f.Sync()
			}
			_ = f.Close()
			if werr != nil {
				_ = os.Remove(path)
				return nil, fmt.Errorf("write lock %s: %w", path, werr)
			}
			return &Lock{path: path}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("take lock %s: %w", path, err)
		}
		b, _ := os.ReadFile(path)
		pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
		if perr == nil && pid > 0 && alive(pid) {
			return nil, &LockedError{Path: path, PID: pid}
		}
		log.Warn("taking over stale crawl lock", slog.String("path", path), slog.String("holder", strings.TrimSpace(string(b))))
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("remove stale lock %s: %w", path, err)
		}
	}
	return nil, fmt.Errorf("take lock %s: contended", path)
}

func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Release frees the lock.
func (l *Lock) Release() {
	if l != nil {
		_ = os.Remove(l.path)
	}
}
