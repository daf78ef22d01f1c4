// Command bench is the benchmark of issues #5 and #14: inlsearch against
// SQLite FTS5, vanilla bleve and Apache Lucene on one deterministic synthetic
// corpus, on this machine.
//
//	sh bench/setup.sh     # once, as root: Java and Lucene for the lucene engine
//	cd bench && go run . -docs 100000 -json results/bench-100000.json
//
// The lucene engine is a small Java program (lucene/LuceneBench.java) that
// setup.sh installs the JDK and Debian's liblucene8-java for and compiles;
// the harness runs it as a child process of the engine's child (eng_lucene.go)
// and talks to it through pipes, one line a query. Where java, the compiled
// program or the jars are missing, the engine is skipped and the report says
// why. A JVM compiles its code as it runs: before its per-class warm-up the
// lucene engine answers -jit-warmup unmeasured queries per class (drawn apart
// from the measured ones).
//
// The report also times inlsearch's index step as the crawl job runs it
// (reindex.go: a first crawl, a re-crawl where 1 % of the pages changed, an
// unchanged one; -reindex=false leaves it out), then search.Live.Changes
// between the first generation and the last (1 % of the passages changed).
//
// The research features of issue #12 (research.go; -research=false leaves
// them out) are measured in a child of their own on the index of the query
// phase, as the query classes are (warm-up, then -queries calls one at a
// time): a facet value search (prefix of a country or organization, with
// the faceted class's words and filters), the faceted class again beside
// the same searches with a region (expanded to its countries) and a
// brushed year range, the term class's searches per passage and grouped
// by page, and similar passages. The exact answers of the query classes
// follow inlsearch's region hierarchy and its published_year facet (truth.go,
// TruthInl); the other engines are checked against the flat answers.
//
// It generates program-like passages (3–8 KB of English-like text: real stop
// words, a Zipf vocabulary of 50,000 synthetic words, the names of the
// project's own taxonomy) with skewed organization, country, region, topic,
// type and year tags, and query words and phrases planted at known document
// frequencies (0.01 %, 0.1 %, 1 %, 10 %, 50 %). Planted words use letters no
// other word uses and never touch one another, so the exact answer of every
// query — its total and its disjunctive facet counts — is computed from the
// generator alone, and every engine's answers are checked against it.
//
// Each engine is built, then queried, in a child process of its own (the
// same executable, started with INLBENCH_CHILD=1) so that the peak resident
// set (VmHWM of /proc/self/status) of each is its own. Build time counts the
// engine's work only (inserts, final flush and close, index creation), not
// the generation of the passages. Queries run one at a time after a warm-up;
// latencies are nearest-rank percentiles.
//
// The inlsearch index is built as the crawl job builds a full generation of
// a data folder (search.Store: BeginBuild, Build.Add, Commit with its
// checks and publication), so that the HTTP part can build `inlsearch
// serve` from the project and load it with a Go client of 64 connections
// cycling through the mixed queries. Build.Add writes in the background
// while its caller prepares the next passages, so the passages are written
// to a file first (untimed, as the lucene engine's are) and the build is
// timed from that file, reading included.
//
// The HTTP part first sends each query of the file once (the cold pass:
// nothing can come from the server's cache of results), then loads the
// server for the set duration; the in-process query phase turns the cache
// of results off, so the per-class latencies are the engine's.
//
// For iterating on one engine: -engines inlsearch, -dir DIR -keep to keep
// the indexes, -reuse to query them again without rebuilding (build figures
// then come from DIR/ENGINE/build.json), -add-batch N to hand N passages to
// an engine at a time, and INLBENCH_CPUPROFILE=PREFIX in the environment
// for a CPU profile of each child (PREFIX-ENGINE-PHASE.pprof; the reindex
// phase writes one per step, PREFIX-inlsearch-reindex-{full,changed1,unchanged}.pprof).
//
// This module is separate from the project's (see go.mod) so that the SQLite
// driver never enters the service's dependencies.
package main
