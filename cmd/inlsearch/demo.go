package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/search"
)

const demoSiteAddr = "127.0.0.1:8099"

// runDemo serves the bundled demo site on loopback, crawls it through the real
// crawler when the data folder holds no index, then serves search.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := newFlagSet("demo", cfg, "addr")
	siteAddr := fs.String("site-addr", demoSiteAddr, "address of the bundled demo site (port 0: any free port)")
	fs.SetOutput(stderr)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	ln, err := net.Listen("tcp", *siteAddr)
	if err != nil {
		log.Warn("demo site address busy, using a free port", slog.String("addr", *siteAddr), slog.Any("error", err))
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return fmt.Errorf("listen for demo site: %w", err)
		}
	}
	site := &http.Server{Handler: corpus.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = site.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = site.Shutdown(sctx)
	}()
	seed := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "demo site: %s\n", seed)

	cfg.Seeds = []string{seed}
	cfg.Delay = 20 * time.Millisecond // our own site on loopback
	cfg.MaxPages, cfg.MaxDepth = 1000, 10

	store, err := search.NewStore(cfg.Data)
	if err != nil {
		return err
	}
	if _, _, err := store.Pointer(); errors.Is(err, search.ErrNoGeneration) {
		fmt.Fprintf(stdout, "no index in %s yet: crawling the demo site…\n", cfg.Data)
		sum, err := newJob(cfg, log).Run(ctx)
		if sum != nil {
			printSummary(stdout, sum)
		}
		if err != nil {
			return fmt.Errorf("demo crawl: %w", err)
		}
	}
	return serve(ctx, cfg, log, stdout, nil)
}

// runDemoSite serves only the bundled demo site, for `inlsearch crawl` to crawl.
func runDemoSite(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := newFlagSet("demo-site", cfg, "addr")
	fs.SetOutput(stderr)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "addr" })
	if _, env := os.LookupEnv("INLSEARCH_ADDR"); !given && !env {
		cfg.Addr = demoSiteAddr
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: corpus.Handler(), ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(stdout, "demo site on http://%s/\n", ln.Addr())
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
