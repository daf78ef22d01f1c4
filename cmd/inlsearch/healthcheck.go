package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// runHealthcheck asks a server's /healthz and exits 0 only on 200: the
// container image's HEALTHCHECK, which has no shell or curl to do it.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("url", "http://127.0.0.1:8080/healthz", "the server's health URL")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	addLogFlags(fs, cfg)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLogFlags(cfg); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
	if err != nil {
		return usageError{fmt.Sprintf("--url %q: %v", *target, err)}
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	log.Debug("health checked", slog.String("url", *target), slog.Int("status", resp.StatusCode),
		slog.String("request_id", resp.Header.Get("X-Request-Id")), slog.Duration("duration", time.Since(start)))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s answered %s", *target, resp.Status)
	}
	fmt.Fprintln(stdout, "healthy")
	return nil
}
