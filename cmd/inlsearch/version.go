package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// buildInfo is what `inlsearch version` prints: the release (set with
// -ldflags "-X main.version=…"), the commit the go command stamped into the
// binary (vcs.revision; "unknown" for `go run` and builds outside a checkout)
// and the Go release that built it.
type buildInfo struct {
	Version, Commit, CommitTime, Go string
	Modified                        bool
}

// commit is set at build time with -ldflags "-X main.commit=$(git rev-parse HEAD)"
// where the go command does not stamp the checkout (GOFLAGS=-buildvcs=false,
// a Docker build context without .git).
var commit = ""

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: "unknown", Go: runtime.Version()}
	if commit != "" {
		b.Commit = commit
	} else if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.CommitTime = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	return b
}

func printVersion(w io.Writer) {
	b := readBuildInfo()
	fmt.Fprintf(w, "inlsearch %s\n", b.Version)
	commit := b.Commit
	if b.CommitTime != "" {
		commit += " (" + b.CommitTime + ")"
	}
	if b.Modified {
		commit += " with local changes"
	}
	fmt.Fprintf(w, "commit    %s\n", commit)
	fmt.Fprintf(w, "go        %s\n", b.Go)
}

// runVersion prints the version; it takes the log flags every command takes.
func runVersion(args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addLogFlags(fs, cfg)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLogFlags(cfg); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("version takes no arguments, got %q", fs.Args())}
	}
	printVersion(stdout)
	return nil
}
