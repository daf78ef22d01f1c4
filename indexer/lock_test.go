package indexer

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestSecondCrawlIsRefused(t *testing.T) {
	dir := t.TempDir()
	site := MustFakeSite(t, 2)
	held, err := AcquireLock(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	if _, err := AcquireLock(dir, nil); err == nil {
		t.Fatalf("a second AcquireLock succeeded while the lock is held")
	}
	_, err = newTestJob(dir, site, nil, nil).Run(context.Background())
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("Run with the lock held = %v, want *LockedError", err)
	}
	if locked.PID != os.Getpid() || !strings.Contains(err.Error(), "already running") || !strings.Contains(err.Error(), strconv.Itoa(os.Getpid())) {
		t.Errorf("LockedError = %q (pid %d), want a clear message naming pid %d", err, locked.PID, os.Getpid())
	}
	if len(site.requests()) != 0 {
		t.Errorf("the refused crawl fetched %d URLs", len(site.requests()))
	}
	held.Release()
	l, err := AcquireLock(dir, nil)
	if err != nil {
		t.Fatalf("AcquireLock after Release = %v", err)
	}
	l.Release()
}

func TestStaleLockIsTakenOver(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run a short-lived process: %v", err)
	}
	dead := cmd.Process.Pid
	if err := os.WriteFile(filepath.Join(dir, lockName), []byte(strconv.Itoa(dead)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	site := MustFakeSite(t, 2)
	if _, err := newTestJob(dir, site, nil, log).Run(context.Background()); err != nil {
		t.Fatalf("Run over a stale lock = %v", err)
	}
	if !strings.Contains(logs.String(), "taking over stale crawl lock") || !strings.Contains(logs.String(), strconv.Itoa(dead)) {
		t.Errorf("no log line for the takeover of pid %d:\n%s", dead, logs.String())
	}
	if _, err := os.Stat(filepath.Join(dir, lockName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after the job: %v", err)
	}
}
