package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

func TestSearchWithoutIndex(t *testing.T) {
	var out, errb bytes.Buffer
	dir := t.TempDir()
	code := run(context.Background(), []string{"search", "--data", dir, "anything"}, &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "no index") {
		t.Errorf("search on an empty folder: exit %d, stderr %q", code, errb.String())
	}
}
