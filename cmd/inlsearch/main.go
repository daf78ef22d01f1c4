// Command inlsearch crawls program pages, indexes them and serves faceted
// search over them. With no arguments it runs the demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/inlsearch/inlsearch/indexer/pdf"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0"

const usage = `inlsearch — full-text search over program documents

usage:
  inlsearch                      run the demo: crawl the bundled demo site, then serve it
  inlsearch serve  --data DIR --addr HOST:PORT [--reindex-every DUR] [--seed URL]...
                   [--trusted-proxies CIDR[,CIDR...]] [--max-per-client N]
  inlsearch crawl  --data DIR --seed URL [--seed URL]... [--max-pages N] [--delay DUR]
                   [--max-pdf-bytes N] [--pdf-timeout DUR]
                   [--include RULE]... [--exclude RULE]... [--follow-documents=false]
                   [--warc FILE.warc.gz] [--config configs/inl.json]
  inlsearch import --data DIR [--url-prefix URL] FILE...   index WARC files (.warc, .warc.gz)
                   and local .html files (or folders of them)
  inlsearch search --data DIR [--organization V] [--country V] [--region V] [--topic V]
                   [--format text|json|csv] QUERY
  inlsearch pull   --from http://builder:8080 --data DIR [--every DUR]
                   copy the builder's current generation and publish it here (a replica)
  inlsearch demo-site --addr HOST:PORT   serve the bundled demo site (to crawl it)
  inlsearch healthcheck [--url http://127.0.0.1:8080/healthz]
  inlsearch version

Every flag also reads INLSEARCH_<FLAG> (--data ← INLSEARCH_DATA); the admin
token is INLSEARCH_ADMIN_TOKEN, the replication token INLSEARCH_REPLICATION_TOKEN. Run a command with -h for its flags.
`

func main() {
	pdf.ServeChild() // a PDF extraction child of a crawl: extracts, answers, exits
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "demo"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "demo":
		err = runDemo(ctx, args, stdout, stderr)
	case "serve":
		err = runServe(ctx, args, stdout, stderr)
	case "crawl":
		err = runCrawl(ctx, args, stdout, stderr)
	case "search":
		err = runSearch(ctx, args, stdout, stderr)
	case "pull":
		err = runPull(ctx, args, stdout, stderr)
	case "import":
		err = runImport(ctx, args, stdout, stderr)
	case "demo-site":
		err = runDemoSite(ctx, args, stdout, stderr)
	case "healthcheck":
		err = runHealthcheck(ctx, args, stdout, stderr)
	case "version":
		err = runVersion(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "inlsearch: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "inlsearch %s: %v\n", cmd, err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// newLogger builds the only slog handler of the process.
func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
