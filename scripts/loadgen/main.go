// Command loadgen drives the load tests of scripts/load.sh (RELIABILITY.md
// E1–E4) against a running `inlsearch serve`: it sends the mixed query set
// from many connections, samples the server's RSS from /proc every second
// and its goroutines from the debug listener, checks each phase's
// expectations, prints them with PASS or FAIL, and exits 1 on any FAIL.
//
//	loadgen -phase steady -base URL -pid PID -debug URL [-c 64] [-d 20s] [-state FILE]
//	loadgen -phase swap   ... -sentinel b     (a new generation is being published)
//	loadgen -phase flood  ...                 (1,000 connections, then bombs)
//	loadgen -phase slow   ... -token T        (slowloris, idle connections, a 100 MiB POST)
//	loadgen -phase sigterm ... -token T       (scripts/chaos.sh: SIGTERM under load)
//	loadgen -phase fingerprint -base URL      (prints passages, hash of sorted ids, generation, health)
//	loadgen -phase replica -base REPLICA -builder URL ... (scripts/replica.sh: the replica swaps under load)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"
)

type options struct {
	phase, base, debug, stateFile, sentinel, old, token string
	builder                                             string
	pid, conns                                          int
	dur, maxWait                                        time.Duration
}

// state carries the steady phase's numbers to the later phases.
type state struct {
	P99     time.Duration `json:"p99"`
	Plateau int64         `json:"plateau_kib"` // RSS at the end of the steady phase
}

func main() {
	var o options
	flag.StringVar(&o.phase, "phase", "steady", "steady, swap, flood or slow")
	flag.StringVar(&o.base, "base", "", "server base URL")
	flag.StringVar(&o.debug, "debug", "", "server debug URL (goroutine counts)")
	flag.IntVar(&o.pid, "pid", 0, "server pid (RSS)")
	flag.IntVar(&o.conns, "c", 64, "connections")
	flag.DurationVar(&o.dur, "d", 20*time.Second, "duration of the load")
	flag.DurationVar(&o.maxWait, "max-wait", 4*time.Minute, "swap: longest wait for the new generation")
	flag.StringVar(&o.stateFile, "state", "", "file keeping the steady phase's p99 and RSS")
	flag.StringVar(&o.sentinel, "sentinel", "", "swap: tag of the generation being published")
	flag.StringVar(&o.old, "old", "a", "swap: tag of the generation served before")
	flag.StringVar(&o.token, "token", "", "slow: admin token")
	flag.StringVar(&o.builder, "builder", "", "replica: the builder's base URL")
	flag.Parse()
	if o.base == "" || o.pid == 0 && o.phase != "fingerprint" {
		fmt.Fprintln(os.Stderr, "loadgen: -base and -pid are required")
		os.Exit(2)
	}
	r := &report{}
	switch o.phase {
	case "steady":
		steady(o, r)
	case "swap":
		swap(o, r)
	case "flood":
		flood(o, r)
	case "slow":
		slow(o, r)
	case "replica":
		replica(o, r)
	case "sigterm":
		sigterm(o, r)
	case "fingerprint":
		if err := fingerprint(o); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: fingerprint:", err)
			os.Exit(1)
		}
		return
	default:
		fmt.Fprintf(os.Stderr, "loadgen: unknown phase %q\n", o.phase)
		os.Exit(2)
	}
	if r.failed {
		fmt.Printf("%s: FAIL\n", o.phase)
		os.Exit(1)
	}
	fmt.Printf("%s: PASS\n", o.phase)
}

// report prints each check with its verdict.
type report struct{ failed bool }

func (r *report) check(ok bool, format string, args ...any) {
	verdict := "ok  "
	if !ok {
		verdict, r.failed = "FAIL", true
	}
	fmt.Printf("  [%s] %s\n", verdict, fmt.Sprintf(format, args...))
}

func (r *report) info(format string, args ...any) {
	fmt.Printf("         %s\n", fmt.Sprintf(format, args...))
}

func loadState(path string) (state, error) {
	var s state
	b, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(b, &s)
}

func saveState(path string, s state) error {
	if path == "" {
		return nil
	}
	b, _ := json.Marshal(s)
	return os.WriteFile(path, b, 0o644)
}
