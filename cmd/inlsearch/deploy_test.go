package main

import (
	"bytes"
	"context"
	"debug/elf"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoRoot is the module root, two folders above this package.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

// TestExampleConfig: the example config file of deploy/ is read and accepted.
func TestExampleConfig(t *testing.T) {
	cfg := &Config{}
	file := filepath.Join(repoRoot(t), "deploy", "config.example.json")
	if err := parseConfig(newFlagSet("crawl", cfg, "seed"), cfg, []string{"--config", file}); err != nil {
		t.Fatalf("deploy/config.example.json: %v", err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatalf("deploy/config.example.json: %v", err)
	}
	if len(cfg.Seeds) == 0 || cfg.MaxPages == 0 || cfg.UserAgent == "" {
		t.Errorf("example config not applied: %+v", cfg)
	}
}

// TestSystemdUnits: systemd reads the unit files without a complaint (where
// systemd-analyze is installed), with the binary they start in place.
func TestSystemdUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	bin := mustBinary(t)
	dir := t.TempDir()
	units := []string{"inlsearch.service", "inlsearch-crawl.service", "inlsearch-crawl.timer", "inlsearch-pull.service"}
	for _, u := range units {
		b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", u))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("/usr/local/bin/inlsearch"), []byte(bin))
		if err := os.WriteFile(filepath.Join(dir, u), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"verify", "--man=no"}
	for _, u := range units {
		args = append(args, filepath.Join(dir, u))
	}
	cmd := exec.Command(analyze, args...)
	cmd.Env = append(os.Environ(), "SYSTEMD_UNIT_PATH="+dir+":")
	out, err := cmd.CombinedOutput()
	// verify warns (exit 0) about unknown keys: any line naming our units is a defect
	var complaints []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, dir) || strings.Contains(l, "inlsearch") {
			complaints = append(complaints, l)
		}
	}
	if err != nil || len(complaints) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestDockerBuildStage runs the Dockerfile's build command (the RUN line with
// `go build`) as the build stage would, and checks that it makes a static
// binary that runs: the final stage is an empty image with nothing else.
func TestDockerBuildStage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root := repoRoot(t)
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for _, want := range []string{"FROM scratch", "USER 65532", "VOLUME /data", "HEALTHCHECK", "healthcheck", "EXPOSE 8080"} {
		if !strings.Contains(src, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	run := regexp.MustCompile(`(?m)^RUN (CGO_ENABLED=0 go build .*)$`).FindStringSubmatch(src)
	if run == nil {
		t.Fatal("Dockerfile: no `RUN CGO_ENABLED=0 go build …` line")
	}
	out := t.TempDir()
	line := strings.NewReplacer("${VERSION}", "9.9.9", "${COMMIT}", "test-commit", "/out/", out+"/").Replace(run[1])
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = root
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, o)
	}
	bin := filepath.Join(out, "inlsearch")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary asks for a dynamic loader: it would not run on an empty image")
		}
	}
	v, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.Contains(string(v), "inlsearch 9.9.9") || !strings.Contains(string(v), "test-commit") {
		t.Errorf("version of the built binary = %q, %v; want 9.9.9 and test-commit", v, err)
	}
}

// TestHealthcheck: exit 0 on a 200 from /healthz, non-zero otherwise.
func TestHealthcheck(t *testing.T) {
	// Stand-ins that answer as serve's /healthz does (openapi.json).
	answer := func(status int, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", "health-1")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	ok := httptest.NewServer(answer(http.StatusOK, `{"status":"ok"}`))
	defer ok.Close()
	down := httptest.NewServer(answer(http.StatusServiceUnavailable, `{"error":{"code":"index_unavailable","message":"no index generation can be served"}}`))
	defer down.Close()
	for url, want := range map[string]int{ok.URL + "/healthz": 0, down.URL + "/healthz": 1, "http://127.0.0.1:1/healthz": 1} {
		var o, e bytes.Buffer
		if code := run(context.Background(), []string{"healthcheck", "--url", url, "--timeout", "2s"}, &o, &e); code != want {
			t.Errorf("healthcheck %s = %d, want %d (%s)", url, code, want, e.String())
		}
	}
}
