package indexer

import (
	"errors"
	"fmt"
	"io"
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
	PID  int // 0 when the holder did not write its pid yet
}

func (e *LockedError) Error() string {
	holder := "another process"
	if e.PID > 0 {
		holder = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("a crawl is already running on this data folder (lock %s held by %s)", e.Path, holder)
}

// Lock is the crawl lock of a data folder: one crawl at a time. It is an
// advisory lock (flock) on DIR/crawl.lock, which also holds the holder's pid
// for people to read. The kernel frees the lock when its holder dies, so a
// lock file left by a killed crawl is taken over at once.
type Lock struct {
	path string
	f    *os.File
}

const lockName = "crawl.lock"

// AcquireLock takes the crawl lock of dir without waiting. A lock file left
// by a dead process is taken over, with a log line; a lock held by a live
// process is a *LockedError.
func AcquireLock(dir string, log *slog.Logger) (*Lock, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, lockName)
	for attempt := 0; attempt < 5; attempt++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("open lock %s: %w", path, err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			pid := readPID(f)
			_ = f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, &LockedError{Path: path, PID: pid}
			}
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		// The holder we replaced may have removed the file between our open
		// and our flock: then our lock is on a name nobody sees; start over.
		if !samePath(f, path) {
			_ = f.Close()
			continue
		}
		if old := readPID(f); old > 0 && old != os.Getpid() {
			log.Warn("taking over stale crawl lock", slog.String("path", path), slog.Int("dead_pid", old))
		}
		if err := writePID(f); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("write lock %s: %w", path, err)
		}
		return &Lock{path: path, f: f}, nil
	}
	return nil, fmt.Errorf("lock %s: contended", path)
}

func readPID(f *os.File) int {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 64))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return err
	}
	return f.Sync()
}

func samePath(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// Release frees the lock. The file is removed first, then unlocked, so that
// a process that opened the old file sees it is gone and starts over.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	_ = os.Remove(l.path)
	_ = l.f.Close() // closing the descriptor drops the flock
	l.f = nil
}
