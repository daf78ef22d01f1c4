package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// HTTPMore are the details of the load test.
type HTTPMore struct {
	Conns    int    `json:"conns"`
	Duration string `json:"duration"`
	Requests int    `json:"requests"`
	// AllQPS counts every answer, errors included; the report's qps, p50
	// and p99 count the 200 answers only.
	AllQPS    float64        `json:"all_qps"`
	Statuses  map[string]int `json:"statuses,omitempty"`
	ServerRSS int64          `json:"server_peak_rss_bytes"`
	Failed    string         `json:"failed,omitempty"`
	QueryFile string         `json:"query_file,omitempty"`
	// The cold pass: every query of the file once, first thing after start.
	ColdQPS    float64  `json:"cold_qps"`
	ColdP50    float64  `json:"cold_p50_ms"`
	ColdP99    float64  `json:"cold_p99_ms"`
	ColdErrors int      `json:"cold_errors"`
	ServerEnv  []string `json:"server_env,omitempty"`
}

// httpTest builds `inlsearch` from the project at root, serves the data
// folder the inlsearch engine wrote, and loads it with conns connections
// for d, cycling through paths.
func httpTest(ctx context.Context, root, dir string, paths []string, conns int, d time.Duration, env []string, logTo io.Writer) (*HTTPStats, *HTTPMore, error) {
	more := &HTTPMore{Conns: conns, Duration: d.String(), Statuses: map[string]int{}, ServerEnv: env}
	more.QueryFile = filepath.Join(dir, "http-queries.txt")
	if err := os.WriteFile(more.QueryFile, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
		return nil, more, fmt.Errorf("write query file: %w", err)
	}
	bin := filepath.Join(dir, "inlsearch")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/inlsearch")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, more, fmt.Errorf("go build ./cmd/inlsearch: %w: %s", err, firstLines(string(out), 3))
	}
	logf, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, more, fmt.Errorf("server log: %w", err)
	}
	defer func() { _ = logf.Close() }()
	srv := exec.Command(bin, "serve", "--data", inlDataDir(dir), "--addr", "127.0.0.1:0")
	srv.Env = append(append(os.Environ(), "INLSEARCH_ADMIN_TOKEN="), env...)
	srv.Stderr = logf
	stdout, err := srv.StdoutPipe()
	if err != nil {
		return nil, more, fmt.Errorf("server stdout: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, more, fmt.Errorf("start server: %w", err)
	}
	defer stopServer(srv)
	base, err := serverAddr(stdout, 2*time.Minute)
	if err != nil {
		return nil, more, err
	}
	fmt.Fprintf(logTo, "http: serving on %s (pid %d)\n", base, srv.Process.Pid)

	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
			DisableCompression: true,
		},
	}
	// The cold pass sends each query once, before the server has answered
	// any: no result can come from its cache of results.
	cold := load(ctx, client, base, paths, conns, 5*time.Minute, len(paths))
	cs := percentiles(cold.lat)
	more.ColdQPS, more.ColdP50, more.ColdP99, more.ColdErrors = round3(float64(len(cold.lat))/cold.elapsed.Seconds()), cs.P50, cs.P99, cold.errors
	warm := min(d/10, 2*time.Second)
	_ = load(ctx, client, base, paths, conns, warm, 0)
	res := load(ctx, client, base, paths, conns, d, 0)
	more.ServerRSS = peakRSS(strconv.Itoa(srv.Process.Pid))
	more.Requests = len(res.lat) + res.errors
	more.AllQPS = round3(float64(more.Requests) / res.elapsed.Seconds())
	more.Statuses = res.statuses
	st := percentiles(res.lat)
	return &HTTPStats{
		QPS: round3(float64(len(res.lat)) / res.elapsed.Seconds()),
		P50: st.P50, P99: st.P99, Errors: res.errors,
	}, more, nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], " / ")
}

// serverAddr reads the server's stdout until it says where it listens.
func serverAddr(stdout io.Reader, wait time.Duration) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 {
				found <- strings.Fields(sc.Text()[i:])[0]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case a := <-found:
		return a, nil
	case <-time.After(wait):
		return "", fmt.Errorf("server did not say where it listens within %s", wait)
	}
}

func stopServer(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

type loadResult struct {
	lat      []float64 // of the 200 answers
	errors   int
	statuses map[string]int
	elapsed  time.Duration
}

// load runs conns workers that each send one request at a time, cycling
// through paths, until d has passed or, when limit > 0, limit requests
// have been sent.
func load(ctx context.Context, client *http.Client, base string, paths []string, conns int, d time.Duration, limit int) loadResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var next atomic.Int64
	var mu sync.Mutex
	res := loadResult{statuses: map[string]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Go(func() {
			var lat []float64
			errs := 0
			statuses := map[string]int{}
			for ctx.Err() == nil {
				k := int(next.Add(1) - 1)
				if limit > 0 && k >= limit {
					break
				}
				p := paths[k%len(paths)]
				t0 := time.Now()
				code, err := get(ctx, client, base+p)
				if ctx.Err() != nil {
					break // cut off by the end of the run: not counted
				}
				switch {
				case err != nil:
					errs++
					statuses["transport"]++
				case code != http.StatusOK:
					errs++
					statuses[strconv.Itoa(code)]++
				default:
					statuses["200"]++
					lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
				}
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += errs
			for k, v := range statuses {
				res.statuses[k] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func get(ctx context.Context, client *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, err
}
