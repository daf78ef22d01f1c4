package main

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// startServe runs `inlsearch serve` and returns the process and its base URL.
func startServe(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, addr, ok := strings.Cut(sc.Text(), "serving on "); ok {
				lines <- addr
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case base := <-lines:
		return cmd, base
	case <-time.After(30 * time.Second):
		t.Fatal("serve printed no address")
	}
	return nil, ""
}

// TestSIGTERMDuringReindex: 32 clients search a serving process (every
// search answered: 200, or 503 overloaded beyond 2 × GOMAXPROCS in flight)
// while a re-index runs; then SIGTERM: the process exits 0 within the
// shutdown grace, the job is cancelled leaving no partial generation nor
// lock, and a restart serves at once (D8). That searches in flight at the
// signal still complete is TestServeGracefulShutdown (web), and
// scripts/chaos.sh sends SIGTERM under load.
func TestSIGTERMDuringReindex(t *testing.T) {
	bin := mustBinary(t)
	data := t.TempDir()
	gen := publishDocs(t, data, "a", 200)
	site := stallSite(t)
	cmd, base := startServe(t, bin, []string{"INLSEARCH_ADMIN_TOKEN=tok"}, "--data", data, "--seed", site.URL+"/")

	req, _ := http.NewRequest("POST", base+"/api/v1/reindex", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 202 {
		t.Fatalf("POST /api/v1/reindex = %d", resp.StatusCode)
	}
	var st statusJSON
	getJSON(t, base+"/api/v1/status", &st)
	if st.LastJob == nil || st.LastJob.State != "running" {
		t.Fatalf("status %+v, want a running job", st.LastJob)
	}

	var stopping atomic.Bool
	var ok, shed, failed atomic.Int64
	var firstErr sync.Once
	client := &http.Client{Timeout: 20 * time.Second}
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for !stopping.Load() {
				resp, err := client.Get(base + "/api/v1/search?q=alpha+program&country=Mexico")
				if err != nil {
					failed.Add(1)
					firstErr.Do(func() { t.Errorf("search sent before SIGTERM: %v", err) })
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case 200:
					ok.Add(1)
				case 503:
					shed.Add(1) // beyond 2 × GOMAXPROCS in flight: overloaded, by design
				default:
					failed.Add(1)
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	stopping.Store(true)
	wg.Wait() // every request sent before the flag has its answer
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(DefaultLimits.Server.ShutdownGrace + 10*time.Second):
		t.Fatal("serve did not exit after SIGTERM")
	}
	if failed.Load() > 0 || ok.Load() == 0 {
		t.Errorf("searches: %d ok, %d shed, %d failed", ok.Load(), shed.Load(), failed.Load())
	}
	gens, _ := os.ReadDir(filepath.Join(data, "generations"))
	if len(gens) != 1 || gens[0].Name() != gen {
		t.Errorf("generations after the cancelled job: %v, want only %s", gens, gen)
	}
	if _, err := os.Stat(filepath.Join(data, "crawl.lock")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("crawl lock left behind: %v", err)
	}

	// A restart serves at once: no lock to wait for.
	_, base = startServe(t, bin, nil, "--data", data)
	var h struct{ Status string }
	if code := getJSON(t, base+"/healthz", &h); code != 200 || h.Status != "ok" {
		t.Errorf("/healthz after restart = %d %+v", code, h)
	}
	t.Logf("%d searches answered, %d shed as overloaded", ok.Load(), shed.Load())
}
