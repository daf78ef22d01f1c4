package pdf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// childEnv, set in a process's environment, makes ServeChild extract the PDF
// on its standard input instead of returning.
const childEnv = "INLSEARCH_PDF_CHILD"

// Defaults of a Runner.
const (
	DefaultTimeout  = 60 * time.Second
	DefaultMemLimit = 512 << 20 // address space the child may add to its own at start
	DefaultMaxBytes = 100 << 20
)

// Runner extracts PDFs in child processes of the running binary (or of Exe),
// each under a memory limit and a deadline, so that a library that dies on a
// hostile file takes only the child with it. The zero value is ready to use.
type Runner struct {
	// Exe is the binary to run; default os.Executable(). Its main must call
	// ServeChild before anything else.
	Exe string
	// Timeout bounds one extraction, default DefaultTimeout.
	Timeout time.Duration
	// MemLimit bounds the address space the child may map beyond what it
	// had at start (RLIMIT_AS), default DefaultMemLimit.
	MemLimit int64
	// Options bound the extraction itself.
	Options Options
}

// reply is what a child writes on its standard output.
type reply struct {
	Doc    *Document `json:"doc,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Error  string    `json:"error,omitempty"`
}

// Extract runs Extract on data in a child process. Its error is an *Error
// whose reason names the failure, pdf_timeout and pdf_memory_limit included,
// or ctx's error when ctx ended first.
func (r Runner) Extract(ctx context.Context, data []byte) (*Document, error) {
	exe := r.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("find own binary: %w", err)
		}
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	mem := r.MemLimit
	if mem <= 0 {
		mem = DefaultMemLimit
	}
	opt := r.Options.withDefaults()
	if os.Getenv(childEnv) == "1" {
		// A child whose binary did not call ServeChild would start children
		// of its own; refuse rather than recurse.
		return nil, fail(ReasonCrashed, "extraction child started another: does main call pdf.ServeChild?")
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// A test binary that does not call ServeChild runs no test and answers
	// no result, instead of running its whole suite; real binaries never read
	// the argument, ServeChild exits first.
	cmd := exec.CommandContext(cctx, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1",
		childEnv+"_MEM="+strconv.FormatInt(mem, 10), childEnv+"_PAGES="+strconv.Itoa(opt.MaxPages),
		"GOMAXPROCS=1", "GOTRACEBACK=single")
	cmd.Stdin = bytes.NewReader(data)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &limitedBuffer{buf: &stderr, max: 64 << 10}
	cmd.WaitDelay = 2 * time.Second
	start := time.Now()
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case cctx.Err() != nil:
		return nil, fail(ReasonTimeout, "no result after %s", timeout)
	case err != nil:
		return nil, childDeath(err, stderr.String())
	}
	var rep reply
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return nil, fail(ReasonCrashed, "child answered %d bytes that are not a result after %s: %v",
			stdout.Len(), time.Since(start).Round(time.Millisecond), err)
	}
	if rep.Reason != "" {
		return nil, &Error{Reason: rep.Reason, Err: errors.New(rep.Error)}
	}
	if rep.Doc == nil {
		return nil, fail(ReasonCrashed, "child answered no document")
	}
	return rep.Doc, nil
}

// childDeath names the way a child died from what the Go runtime printed:
// every way it reports a mapping refused under the address-space limit
// (plain, and in -race builds) is the memory limit.
func childDeath(err error, stderr string) error {
	first := stderr
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	switch {
	case strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory") ||
		strings.Contains(stderr, "failed to allocate") || strings.Contains(stderr, "address space collisions"):
		return &Error{Reason: ReasonMemoryLimit, Err: fmt.Errorf("child: %w: %s", err, first)}
	default:
		return &Error{Reason: ReasonCrashed, Err: fmt.Errorf("child: %w: %s", err, first)}
	}
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// ServeChild returns at once unless this process was started by a Runner;
// then it limits its own memory and stack, extracts the PDF on its standard
// input, writes the result on its standard output and exits. Call it first
// thing in main (and in TestMain of tests that run a Runner).
func ServeChild() {
	if os.Getenv(childEnv) != "1" {
		return
	}
	os.Exit(serveChild(os.Stdin, os.Stdout))
}

func serveChild(in io.Reader, out io.Writer) int {
	mem, _ := strconv.ParseInt(os.Getenv(childEnv+"_MEM"), 10, 64)
	if mem <= 0 {
		mem = DefaultMemLimit
	}
	pages, _ := strconv.Atoi(os.Getenv(childEnv + "_PAGES"))
	limitMemory(mem)
	debug.SetMaxStack(64 << 20) // a runaway recursion dies early and small
	data, err := io.ReadAll(in)
	var rep reply
	if err != nil {
		rep = reply{Reason: ReasonCrashed, Error: "read input: " + err.Error()}
	} else {
		doc, err := Extract(data, Options{MaxPages: pages})
		data = nil
		switch {
		case err != nil:
			rep = reply{Reason: ReasonCorrupt, Error: err.Error()}
			if e := (*Error)(nil); errors.As(err, &e) {
				rep.Reason, rep.Error = e.Reason, e.Err.Error()
			}
		default:
			rep = reply{Doc: doc}
		}
	}
	if err := json.NewEncoder(out).Encode(rep); err != nil {
		return 1
	}
	return 0
}

// limitMemory caps the address space at what the process maps now plus mem,
// and asks the garbage collector to keep the heap under mem.
func limitMemory(mem int64) {
	debug.SetMemoryLimit(mem)
	cur := vmSize()
	lim := uint64(cur + mem)
	_ = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim})
}

// vmSize is the address space the process maps now, from /proc.
func vmSize() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
