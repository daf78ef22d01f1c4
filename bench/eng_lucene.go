package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// luceneEngine is Apache Lucene 8 (Debian's liblucene8-java) through the
// small Java program lucene/LuceneBench.java, which bench/setup.sh compiles
// into lucene/build: an EnglishAnalyzer (Porter stems) over title, section
// and text, BM25, facets as SortedSetDocValuesFacetField counted by Lucene,
// DrillSideways for the disjunctive counts of a selected facet.
//
// Build writes the passages to a file (not timed, like the generation of
// the passages for the other engines), then runs the program's build, which
// times its own work. Open starts the program's serve mode and Run sends it
// one query a line; the latency of a query is measured here, round trip
// through the pipe included (a few tens of microseconds). The peak RSS and
// the CPU time of the lucene engine are the JVM's (see ProcessStats).
type luceneEngine struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	w   *bufio.Writer
	r   *bufio.Reader
	rss int64
	cpu float64
}

// luceneProgram is how to start the compiled Java program.
type luceneProgram struct{ java, classpath string }

// luceneBuild is where setup.sh leaves the compiled program, relative to bench/.
const luceneBuild = "lucene/build"

// findLucene checks that java and the compiled program with its jars are
// there; its error says what is missing (the engine is then skipped).
func findLucene(build string) (luceneProgram, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return luceneProgram{}, errors.New("java not found (run bench/setup.sh as root)")
	}
	abs, err := filepath.Abs(build)
	if err != nil {
		return luceneProgram{}, err
	}
	if _, err := os.Stat(filepath.Join(abs, "LuceneBench.class")); err != nil {
		return luceneProgram{}, fmt.Errorf("%s/LuceneBench.class not found (run bench/setup.sh)", build)
	}
	raw, err := os.ReadFile(filepath.Join(abs, "classpath"))
	if err != nil {
		return luceneProgram{}, fmt.Errorf("%s/classpath not found (run bench/setup.sh)", build)
	}
	jars := strings.Split(strings.TrimSpace(string(raw)), ":")
	for _, j := range jars {
		if _, err := os.Stat(j); err != nil {
			return luceneProgram{}, fmt.Errorf("lucene jar %s not found (run bench/setup.sh as root)", j)
		}
	}
	return luceneProgram{java: java, classpath: strings.Join(append([]string{abs}, jars...), ":")}, nil
}

// command is the program run with args; INLBENCH_JAVA_OPTS, when set, adds
// options to the JVM (the default is the JVM's defaults).
func (p luceneProgram) command(ctx context.Context, args ...string) *exec.Cmd {
	opts := strings.Fields(os.Getenv("INLBENCH_JAVA_OPTS"))
	all := append(append(opts, "-cp", p.classpath, "LuceneBench"), args...)
	cmd := exec.CommandContext(ctx, p.java, all...)
	cmd.Stderr = os.Stderr
	return cmd
}

func luceneIndexPath(dir string) string { return filepath.Join(dir, "lucene-index") }

// escaper escapes one field of the program's input and output: a backslash
// before \ and t, n, r, f (U+001F) and e (U+001E) for those bytes; unescaper
// undoes it.
var escaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`, "\x1f", `\f`, "\x1e", `\e`)

var unescaper = strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n", `\r`, "\r", `\f`, "\x1f", `\e`, "\x1e")

func escapeField(s string) string { return escaper.Replace(s) }

func joinValues(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = escapeField(v)
	}
	return strings.Join(out, "\x1f")
}

// corpusLine is passage d as one line of the program's corpus file.
func corpusLine(d *search.Document) string {
	t := Tags{Organizations: d.Organizations, Countries: d.Countries, Regions: d.Regions,
		Topics: d.Topics, Type: d.Type, Years: d.Years}
	amounts := make([]string, len(d.Amounts))
	for i, a := range d.Amounts {
		amounts[i] = strconv.FormatFloat(a, 'g', -1, 64)
	}
	fields := []string{
		escapeField(d.ID), escapeField(d.URL), escapeField(d.Title), escapeField(d.Section), escapeField(d.Text),
		strconv.FormatInt(d.Published.Unix()/86400, 10), strings.Join(amounts, "\x1f"),
	}
	for _, f := range search.Facets {
		fields = append(fields, joinValues(t.Values(f)))
	}
	return strings.Join(fields, "\t") + "\n"
}

func (e *luceneEngine) Build(ctx context.Context, c *Corpus, dir string) (time.Duration, error) {
	prog, err := findLucene(luceneBuild)
	if err != nil {
		return 0, err
	}
	corpus := filepath.Join(dir, "corpus.tsv")
	f, err := os.Create(corpus)
	if err != nil {
		return 0, fmt.Errorf("corpus file: %w", err)
	}
	defer func() { _ = os.Remove(corpus) }()
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := eachBatch(ctx, c, func(docs []search.Document) error {
		for i := range docs {
			if _, err := w.WriteString(corpusLine(&docs[i])); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		_ = f.Close()
		return 0, fmt.Errorf("corpus file: %w", err)
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return 0, fmt.Errorf("corpus file: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("corpus file: %w", err)
	}
	cmd := prog.command(ctx, "build", luceneIndexPath(dir), corpus, strings.Join(search.Facets, ","))
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("lucene build: %w", err)
	}
	var res struct {
		BuildSeconds float64 `json:"build_seconds"`
		Docs         int     `json:"docs"`
		RSS          int64   `json:"rss"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return 0, fmt.Errorf("lucene build: decode %q: %w", out, err)
	}
	if res.Docs != c.N {
		return 0, fmt.Errorf("lucene build: indexed %d passages, want %d", res.Docs, c.N)
	}
	e.rss, e.cpu = res.RSS, processCPU(cmd)
	return time.Duration(res.BuildSeconds * float64(time.Second)), nil
}

// processCPU is the user and system time of a process that has ended.
func processCPU(cmd *exec.Cmd) float64 {
	if cmd.ProcessState == nil {
		return 0
	}
	return (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
}

func (e *luceneEngine) Open(dir string) error {
	prog, err := findLucene(luceneBuild)
	if err != nil {
		return err
	}
	// The process lives until Close, not for a request: no context ends it.
	cmd := prog.command(context.Background(), "serve", luceneIndexPath(dir), strings.Join(search.Facets, ","))
	in, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("lucene serve: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("lucene serve: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("lucene serve: %w", err)
	}
	e.cmd, e.in, e.w, e.r = cmd, in, bufio.NewWriter(in), bufio.NewReaderSize(out, 1<<16)
	line, err := e.r.ReadString('\n')
	if err != nil || line != "READY\n" {
		_ = in.Close()
		_ = cmd.Wait()
		return fmt.Errorf("lucene serve: no READY (%q, %v)", line, err)
	}
	return nil
}

// queryLine is q as one line of the program's input.
func queryLine(q Query) string {
	facets := "0"
	if q.Facets {
		facets = "1"
	}
	fs := make([]string, len(q.Filters))
	for i, f := range q.Filters {
		fs[i] = escapeField(f.Facet) + "\x1f" + escapeField(f.Value)
	}
	return strings.Join([]string{escapeField(q.Text()), strconv.Itoa(q.Page), facets, strings.Join(fs, "\x1e")}, "\t") + "\n"
}

// parseLuceneAnswer reads the program's answer line.
func parseLuceneAnswer(line string, withFacets bool) (Answer, error) {
	var a Answer
	parts := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
	if parts[0] == "ERR" && len(parts) == 2 {
		return a, fmt.Errorf("lucene: %s", unescaper.Replace(parts[1]))
	}
	if parts[0] != "OK" || len(parts) != 3 {
		return a, fmt.Errorf("lucene: bad answer %q", line)
	}
	total, err := strconv.Atoi(parts[1])
	if err != nil {
		return a, fmt.Errorf("lucene: bad total %q", parts[1])
	}
	a.Total = total
	if !withFacets {
		return a, nil
	}
	lists := map[string]map[string]int{}
	for _, dim := range strings.Split(parts[2], "\x1e") {
		vs := strings.Split(dim, "\x1f")
		if len(vs)%2 != 1 {
			return a, fmt.Errorf("lucene: bad facet %q", dim)
		}
		m := map[string]int{}
		for i := 1; i < len(vs); i += 2 {
			n, err := strconv.Atoi(vs[i+1])
			if err != nil {
				return a, fmt.Errorf("lucene: bad count %q", vs[i+1])
			}
			m[unescaper.Replace(vs[i])] = n
		}
		lists[unescaper.Replace(vs[0])] = m
	}
	a.Facets = facetAnswer(lists)
	return a, nil
}

func (e *luceneEngine) Run(ctx context.Context, q Query) (Answer, error) {
	if err := ctx.Err(); err != nil {
		return Answer{}, err
	}
	if _, err := e.w.WriteString(queryLine(q)); err != nil {
		return Answer{}, fmt.Errorf("lucene: send query: %w", err)
	}
	if err := e.w.Flush(); err != nil {
		return Answer{}, fmt.Errorf("lucene: send query: %w", err)
	}
	line, err := e.r.ReadString('\n')
	if err != nil {
		return Answer{}, fmt.Errorf("lucene: read answer: %w", err)
	}
	return parseLuceneAnswer(line, q.Facets)
}

// Close ends the serve process: it reads the end of its input, prints its
// peak RSS and exits.
func (e *luceneEngine) Close() error {
	if e.cmd == nil {
		return nil
	}
	cerr := e.in.Close()
	line, rerr := e.r.ReadString('\n')
	werr := e.cmd.Wait()
	e.cpu = processCPU(e.cmd)
	e.cmd = nil
	if werr != nil {
		return fmt.Errorf("lucene serve: %w", werr)
	}
	if cerr != nil || rerr != nil {
		return fmt.Errorf("lucene serve: close: %v %v", cerr, rerr)
	}
	var res struct {
		RSS int64 `json:"rss"`
	}
	if err := json.Unmarshal([]byte(line), &res); err != nil {
		return fmt.Errorf("lucene serve: decode %q: %w", line, err)
	}
	e.rss = res.RSS
	return nil
}

// ProcessStats are the peak RSS and the CPU time of the JVM of the last
// build or serve (the figures of this engine are that process's).
func (e *luceneEngine) ProcessStats() (rss int64, cpuSeconds float64) { return e.rss, e.cpu }
