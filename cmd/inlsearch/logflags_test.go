package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// commands are every command of run, as the usage names them.
var commands = []string{"demo", "serve", "crawl", "search", "pull", "import", "demo-site", "healthcheck", "version"}

// TestLogFlagsOnEveryCommand: every command takes --log-format text|json
// and --log-level, and refuses an unknown format or level with a usage
// error (exit 2) before doing anything.
func TestLogFlagsOnEveryCommand(t *testing.T) {
	for _, cmd := range commands {
		t.Run(cmd, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), []string{cmd, "-h"}, &out, &errb); code != 0 {
				t.Fatalf("%s -h = %d\n%s", cmd, code, errb.String())
			}
			for _, flag := range []string{"-log-format", "-log-level"} {
				if !strings.Contains(errb.String(), flag) {
					t.Errorf("%s -h does not list %s:\n%s", cmd, flag, errb.String())
				}
			}
			for _, bad := range [][]string{{"--log-format", "yaml"}, {"--log-level", "loud"}} {
				errb.Reset()
				args := append([]string{cmd}, bad...)
				if code := run(context.Background(), args, &out, &errb); code != 2 || !strings.Contains(errb.String(), bad[0]) {
					t.Errorf("%v = %d, want 2 and a message naming %s\n%s", args, code, bad[0], errb.String())
				}
			}
		})
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version", "--log-format", "json", "--log-level", "debug"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "inlsearch") {
		t.Errorf("version with log flags = %d %q %q", code, out.String(), errb.String())
	}
}
