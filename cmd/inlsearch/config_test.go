package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/search"
)

func TestConfigPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cfg.json")
	if err := os.WriteFile(file, []byte(`{"data":"/from-file","seeds":["http://file.example/"],"delay":"3s","max_pages":7}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("INLSEARCH_DATA", "/from-env")
	t.Setenv("INLSEARCH_DELAY", "2s")
	t.Setenv("INLSEARCH_ADMIN_TOKEN", "secret")

	cfg := &Config{}
	fs := newFlagSet("crawl", cfg, "seed")
	if err := parseConfig(fs, cfg, []string{"--config", file, "--delay", "1500ms"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Data != "/from-env" {
		t.Errorf("Data = %q, want the environment's", cfg.Data)
	}
	if cfg.Delay != 1500*time.Millisecond {
		t.Errorf("Delay = %v, want the flag's 1.5s", cfg.Delay)
	}
	if cfg.MaxPages != 7 || len(cfg.Seeds) != 1 || cfg.Seeds[0] != "http://file.example/" {
		t.Errorf("file values not applied: max pages %d, seeds %v", cfg.MaxPages, cfg.Seeds)
	}
	if cfg.AdminToken != "secret" {
		t.Errorf("AdminToken not read from INLSEARCH_ADMIN_TOKEN")
	}
}

func TestConfigRejects(t *testing.T) {
	cases := map[string][]string{
		"short reindex period": {"serve", "--reindex-every", "10s", "--seed", "http://x/"},
		"negative delay":       {"crawl", "--delay", "-1s", "--seed", "http://x/"},
		"no seed":              {"crawl", "--data", "x"},
		"unknown command":      {"frobnicate"},
		"bad format":           {"search", "--format", "xml", "q"},
		"public debug address": {"serve", "--debug-addr", "0.0.0.0:6060"},
		"named debug address":  {"serve", "--debug-addr", "example.org:6060"},
		"bad trusted proxy":    {"serve", "--trusted-proxies", "10.0.0.0/8,nginx"},
		"user agent digits":    {"crawl", "--user-agent", "bot42/1.0", "--seed", "http://x/"},
		"user agent control":   {"crawl", "--user-agent", "bot/1.0\r\nX-Evil: 1", "--seed", "http://x/"},
		"negative pdf bytes":   {"crawl", "--max-pdf-bytes", "-1", "--seed", "http://x/"},
		"negative pdf timeout": {"crawl", "--pdf-timeout", "-5s", "--seed", "http://x/"},
		"keep one generation":  {"serve", "--keep-generations", "1"},
		"negative keep-for":    {"serve", "--keep-for", "-1h"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args = append(args, "--data", t.TempDir())
			if code := run(context.Background(), args, &out, &errb); code == 0 {
				t.Errorf("run(%q) = 0, want an error", args)
			}
			if errb.Len() == 0 {
				t.Errorf("run(%q) printed no message", args)
			}
		})
	}
}

// TestBadMatchNamed: a bad --match is refused as such (exit 2), before the
// data folder is even read.
func TestBadMatchNamed(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"search", "--match", "most", "--data", t.TempDir(), "q"}, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "--match") {
		t.Errorf("run = %d, %q; want 2 and a message naming --match", code, errb.String())
	}
}

func TestSearchWithoutIndex(t *testing.T) {
	var out, errb bytes.Buffer
	dir := t.TempDir()
	code := run(context.Background(), []string{"search", "--data", dir, "anything"}, &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "no index") {
		t.Errorf("search on an empty folder: exit %d, stderr %q", code, errb.String())
	}
}

// TestProxyFlags: --trusted-proxies and --max-per-client read the flag
// (comma-separated, repeatable), INLSEARCH_TRUSTED_PROXIES and
// INLSEARCH_MAX_PER_CLIENT, and the config file's keys, with the usual
// precedence; serve hands them to the web server.
func TestProxyFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cfg.json")
	if err := os.WriteFile(file, []byte(`{"trusted_proxies":["192.0.2.0/24"],"max_per_client":3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		proxies   []string
		perClient int
	}{
		{"defaults", nil, nil, nil, limits.MaxPerClient},
		{"flags", nil, []string{"--trusted-proxies", "10.0.0.0/8, ::1", "--trusted-proxies", "172.16.0.1", "--max-per-client", "-1"},
			[]string{"10.0.0.0/8", "::1", "172.16.0.1"}, -1},
		{"environment", map[string]string{"INLSEARCH_TRUSTED_PROXIES": "10.0.0.0/8,fd00::/8", "INLSEARCH_MAX_PER_CLIENT": "4"}, nil,
			[]string{"10.0.0.0/8", "fd00::/8"}, 4},
		{"file", nil, []string{"--config", file}, []string{"192.0.2.0/24"}, 3},
		{"flag over file", nil, []string{"--config", file, "--trusted-proxies", "127.0.0.1", "--max-per-client", "8"},
			[]string{"127.0.0.1"}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg := &Config{}
			if err := parseConfig(newFlagSet("serve", cfg, "addr", "proxy"), cfg, tt.args); err != nil {
				t.Fatal(err)
			}
			wc := webConfig(cfg, nil, search.DefaultLimits)
			if !slices.Equal(wc.TrustedProxies, tt.proxies) || wc.MaxPerClient != tt.perClient {
				t.Errorf("proxies %q, per client %d; want %q, %d", wc.TrustedProxies, wc.MaxPerClient, tt.proxies, tt.perClient)
			}
		})
	}
}

// TestBadTrustedProxyExits2: an invalid --trusted-proxies entry (flag,
// environment or file) stops serve before it listens, exit 2, naming it.
func TestBadTrustedProxyExits2(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cfg.json")
	if err := os.WriteFile(file, []byte(`{"trusted_proxies":["10.0.0.0/40"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, env, bad string
		args           []string
	}{
		{"flag", "", "nginx", []string{"--trusted-proxies", "10.0.0.0/8,nginx"}},
		{"environment", "300.1.2.3", "300.1.2.3", nil},
		{"file", "", "10.0.0.0/40", []string{"--config", file}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("INLSEARCH_TRUSTED_PROXIES", tt.env)
			}
			var out, errb bytes.Buffer
			args := append([]string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, tt.args...)
			code := run(context.Background(), args, &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), "--trusted-proxies") || !strings.Contains(errb.String(), tt.bad) {
				t.Errorf("run(%q) = %d, %q; want 2 naming %q", args, code, errb.String(), tt.bad)
			}
			if strings.Contains(out.String(), "serving on") {
				t.Errorf("serve started: %s", out.String())
			}
		})
	}
}

// An explicit zero delay (flag, environment or file) means no pause between
// requests; only an absent one defaults to 1 s.
func TestExplicitZeroDelay(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cfg.json")
	if err := os.WriteFile(file, []byte(`{"delay":"0s"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		args []string
		env  string
		want time.Duration
	}{
		"absent":      {nil, "", time.Second},
		"flag 0s":     {[]string{"--delay", "0s"}, "", 0},
		"flag 250ms":  {[]string{"--delay", "250ms"}, "", 250 * time.Millisecond},
		"environment": {nil, "0", 0},
		"file":        {[]string{"--config", file}, "", 0},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("INLSEARCH_DELAY", c.env)
			}
			cfg := &Config{}
			if err := parseConfig(newFlagSet("crawl", cfg, "seed"), cfg, c.args); err != nil {
				t.Fatal(err)
			}
			if got := crawl.New(crawlConfig(cfg), nil).Config().Delay; got != c.want {
				t.Errorf("crawl delay = %v, want %v", got, c.want)
			}
		})
	}
}

func TestDelayWarning(t *testing.T) {
	cases := []struct {
		delay time.Duration
		seed  string
		warn  bool
	}{
		{0, "http://127.0.0.1:8099/", false},
		{0, "http://localhost:8099/", false},
		{50 * time.Millisecond, "http://[::1]:8099/", false},
		{0, "https://www.state.gov/", true},
		{99 * time.Millisecond, "https://www.state.gov/", true},
		{100 * time.Millisecond, "https://www.state.gov/", false},
	}
	for _, c := range cases {
		var out bytes.Buffer
		warnDelay(&Config{Delay: c.delay, Seeds: []string{c.seed}}, &out)
		if got := strings.Contains(out.String(), "warning:"); got != c.warn {
			t.Errorf("delay %v seed %s: warned %v (%q), want %v", c.delay, c.seed, got, out.String(), c.warn)
		}
	}
}

// TestUserAgentConfig: --user-agent (or "user_agent" in the file) is the
// crawler's User-Agent header; without it the default names the project.
func TestUserAgentConfig(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cfg.json")
	if err := os.WriteFile(file, []byte(`{"user_agent":"file-bot/1.0"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for args, want := range map[string]string{
		"":                                   "inlsearch/",
		"--user-agent=research-bot/2.0 (+x)": "research-bot/2.0 (+x)",
		"--config=" + file:                   "file-bot/1.0",
	} {
		cfg := &Config{}
		var argv []string
		if args != "" {
			argv = []string{args}
		}
		if err := parseConfig(newFlagSet("crawl", cfg, "seed"), cfg, argv); err != nil {
			t.Fatal(err)
		}
		if got := crawlConfig(cfg).UserAgent; !strings.HasPrefix(got, want) {
			t.Errorf("%q: UserAgent = %q, want %q", args, got, want)
		}
	}
}

func TestPDFFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cfg.json")
	if err := os.WriteFile(file, []byte(`{"seeds":["http://file.example/"],"max_pdf_bytes":2000000,"pdf_timeout":"15s"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args    []string
		bytes   int64
		timeout time.Duration
	}{
		{[]string{"--seed", "http://x/"}, 100 << 20, 60 * time.Second},
		{[]string{"--config", file}, 2000000, 15 * time.Second},
		{[]string{"--config", file, "--max-pdf-bytes", "300", "--pdf-timeout", "2s"}, 300, 2 * time.Second},
	} {
		cfg := &Config{}
		if err := parseConfig(newFlagSet("crawl", cfg, "seed"), cfg, c.args); err != nil {
			t.Fatal(err)
		}
		if got := crawlConfig(cfg).MaxPDFBytes; got != c.bytes {
			t.Errorf("%v: MaxPDFBytes = %d, want %d", c.args, got, c.bytes)
		}
		if got := pdfRunner(cfg); got.Timeout != c.timeout || got.MemLimit != limits.PDF.MemLimit {
			t.Errorf("%v: runner %+v, want timeout %v and the default memory limit", c.args, got, c.timeout)
		}
	}
}
