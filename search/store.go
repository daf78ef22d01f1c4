package search

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/inlsearch/inlsearch/internal/atomicfile"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// A data folder holds a series of index generations:
//
//	DIR/generations/<id>/index      the bleve index of that generation
//	DIR/generations/<id>/COMPLETE   written last, once the generation is checked
//	DIR/CURRENT                     the pointer: {"current": id, "previous": id}
//
// A generation without COMPLETE is partial (a crawl died or is running).

const (
	generationsDir = "generations"
	completeFile   = "COMPLETE"
	pointerFile    = "CURRENT"
)

// ErrNoGeneration means the data folder holds no complete generation.
var ErrNoGeneration = errors.New("no index generation")

// Generation describes one complete generation.
type Generation struct {
	ID       string    `json:"id"`
	BuiltAt  time.Time `json:"built_at"`
	Passages int       `json:"passages"`
	Pages    int       `json:"pages"`
	// Stats are free-form counts of the job that built it.
	Stats map[string]int `json:"stats,omitempty"`
	// Crawl lists the pages the job could not index (coverage).
	Crawl *CrawlReport `json:"crawl,omitempty"`
	// Versions name what made it: VersionIndex (IndexVersion, set by
	// Commit) and what the caller adds (the indexer's parser). A build
	// whose versions differ starts afresh rather than from this one.
	Versions map[string]string `json:"versions,omitempty"`
	// Base is the generation it was built from incrementally; empty for
	// a full build.
	Base string `json:"base,omitempty"`
}

// Keys of Generation.Stats that the status reports by name.
const (
	// StatFoundOrganizations is the number of distinct organizations beyond
	// the taxonomy (Document.FoundOrganizations) in the generation.
	StatFoundOrganizations = "found_organizations"
	// StatFoundOrganizationPassages is the number of passages carrying one.
	StatFoundOrganizationPassages = "found_organization_passages"
)

type pointer struct {
	Current  string `json:"current"`
	Previous string `json:"previous,omitempty"`
}

// Store manages the generations of one data folder.
type Store struct {
	Dir string
	Now func() time.Time
}

// NewStore returns a Store over dir (created if missing).
func NewStore(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, generationsDir), 0o755); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	return &Store{Dir: dir, Now: time.Now}, nil
}

func (s *Store) genPath(id string) string { return filepath.Join(s.Dir, generationsDir, id) }

// IndexPath is the folder of the bleve index of generation id.
func (s *Store) IndexPath(id string) string { return filepath.Join(s.genPath(id), "index") }

func (s *Store) readPointer() (pointer, error) {
	var p pointer
	b, err := os.ReadFile(filepath.Join(s.Dir, pointerFile))
	if errors.Is(err, os.ErrNotExist) {
		return p, ErrNoGeneration
	}
	if err != nil {
		return p, fmt.Errorf("read pointer: %w", err)
	}
	if err := json.Unmarshal(b, &p); err != nil || p.Current == "" {
		return p, fmt.Errorf("pointer %s is malformed", pointerFile)
	}
	return p, nil
}

// Pointer returns the ids of the current and previous generations.
func (s *Store) Pointer() (current, previous string, err error) {
	p, err := s.readPointer()
	return p.Current, p.Previous, err
}

// Info reads the COMPLETE record of generation id.
func (s *Store) Info(id string) (Generation, error) {
	var g Generation
	b, err := os.ReadFile(filepath.Join(s.genPath(id), completeFile))
	if err != nil {
		return g, fmt.Errorf("generation %s is not complete: %w", id, err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return g, fmt.Errorf("generation %s: bad %s: %w", id, completeFile, err)
	}
	return g, nil
}

// Build is a generation being written.
type Build struct {
	store  *Store
	ID     string
	Index  *Index
	done   bool
	closed bool // Index is closed (Commit closes it before its checks)

	// incremental.go: the base generation, its documents, those of the
	// new one (as Build.Add gave them) and those written anew.
	base    string
	seenAt  time.Time
	prev    map[string]fingerprint
	next    map[string]fingerprint
	written map[string]bool
	stats   BuildStats
	w       *writer // writes what Add gives, in the background (add.go)
}

// Begin starts a new generation with a fresh, empty index.
// It is BeginBuild of a full build (incremental.go).
func (s *Store) Begin(voc Vocabulary) (*Build, error) {
	return s.BeginBuild(BuildOptions{Vocabulary: voc})
}

// newID makes the folder of a new generation and returns its id.
func (s *Store) newID() (string, error) {
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	id := s.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(rnd[:])
	if err := os.MkdirAll(s.genPath(id), 0o755); err != nil {
		return "", fmt.Errorf("new generation: %w", err)
	}
	return id, nil
}

// Abort closes and removes the partial generation.
func (b *Build) Abort() {
	if b.done {
		return
	}
	b.done = true
	if !b.closed {
		b.closed = true
		if b.w != nil {
			b.w.stop() // no batch may run into a closed index
		}
		_ = b.Index.Close()
	}
	_ = os.RemoveAll(b.store.genPath(b.ID))
}

// CheckError is returned by Commit when the new generation fails its checks.
type CheckError struct{ Reason string }

func (e *CheckError) Error() string { return "generation check: " + e.Reason }

// Commit closes the index, checks it (it opens, holds the expected number of
// passages, a stored passage reads back, has not shrunk by more than half against
// the current generation unless force), marks it complete and publishes it by
// atomically replacing the pointer. On error the generation is removed and the
// pointer is unchanged.
func (b *Build) Commit(g Generation, force bool) (err error) {
	if b.done {
		return errors.New("build already finished")
	}
	defer func() {
		if err != nil {
			b.done = false
			b.Abort()
		}
	}()
	b.done = true
	if b.Index != nil { // nil: a copy Import publishes, never opened for writing
		if b.w != nil {
			if err := b.w.drain(); err != nil {
				return err
			}
		}
		if err := b.finish(context.Background()); err != nil {
			return err
		}
		b.stats.Segments = segmentCount(b.Index.bi)
	}
	b.closed = true
	if b.Index != nil {
		if err := b.Index.Close(); err != nil {
			return fmt.Errorf("close new index: %w", err)
		}
	}
	failpoint("closed")
	// Opened without reading its facet index and BM25 statistics: the
	// checks need neither, and a server reads them when it opens the
	// generation, before it serves it (at 100,000 passages they were a
	// fifth of a re-index that wrote nothing).
	ix, err := openLazy(b.store.IndexPath(b.ID))
	if err != nil {
		return &CheckError{Reason: "new index does not open: " + err.Error()}
	}
	n, err := ix.Count()
	if err == nil && int(n) != g.Passages {
		err = &CheckError{Reason: fmt.Sprintf("index holds %d passages, expected %d", n, g.Passages)}
	}
	if err == nil {
		// The probe that a server runs when it opens a generation, without
		// a search deadline: a loaded machine must not fail the check.
		probe := g
		probe.ID = b.ID
		if verr := verify(ix, probe); verr != nil {
			err = &CheckError{Reason: verr.Error()}
		}
	}
	if err == nil {
		err = dropUnusedSegments(ix)
	}
	closeQuietly(ix)
	if err != nil {
		return err
	}
	failpoint("checked")
	if g.Passages == 0 {
		return &CheckError{Reason: "no passages"}
	}
	p, perr := b.store.readPointer()
	if perr == nil && !force {
		if old, ierr := b.store.Info(p.Current); ierr == nil && g.Passages*2 < old.Passages {
			return &CheckError{Reason: fmt.Sprintf("passages dropped from %d to %d (more than half); use --force to publish anyway", old.Passages, g.Passages)}
		}
	}
	// The passages file lets the next build start from this one; it is
	// written only when it lists every passage (documents added through
	// Build.Add); it is one of the files replicas copy.
	if b.next != nil && len(b.next) == g.Passages {
		if err := b.writePassages(); err != nil {
			return err
		}
	}
	// The manifest (files, sizes, checksums) that replicas copy by; an
	// import brings the builder's, which its files were checked against.
	if _, err := readManifest(b.store.genPath(b.ID)); err != nil {
		baseDir := ""
		if b.base != "" {
			baseDir = b.store.genPath(b.base)
		}
		if _, err := writeManifestFrom(b.store.genPath(b.ID), b.ID, baseDir); err != nil {
			return err
		}
	}
	g.ID = b.ID
	if g.BuiltAt.IsZero() {
		g.BuiltAt = b.store.Now().UTC()
	}
	if b.Index != nil { // an imported copy keeps the builder's base
		g.Base = b.base
	}
	g.Versions = maps.Clone(g.Versions)
	if g.Versions == nil {
		g.Versions = map[string]string{}
	}
	if _, ok := g.Versions[VersionIndex]; !ok || b.Index != nil { // an imported copy keeps the builder's
		g.Versions[VersionIndex] = IndexVersion()
	}
	data, _ := json.MarshalIndent(g, "", "  ")
	if err := writeAtomic(filepath.Join(b.store.genPath(b.ID), completeFile), data); err != nil {
		return err
	}
	failpoint("complete")
	next := pointer{Current: b.ID}
	if perr == nil {
		next.Previous = p.Current
	}
	data, _ = json.Marshal(next)
	if err := writeAtomicSteps(filepath.Join(b.store.Dir, pointerFile), data, "pointer-"); err != nil {
		return err
	}
	b.store.prune(next)
	failpoint("pruned")
	return nil
}

// CleanPartial removes generations that were never completed (a crawl that
// died) and the temporary files of an interrupted atomic write. Call it only
// while holding the crawl lock. It returns the ids of the generations removed.
func (s *Store) CleanPartial() []string {
	var removed []string
	p, _ := s.readPointer()
	for _, id := range s.list() {
		if id == p.Current || id == p.Previous {
			continue
		}
		if _, err := os.Stat(filepath.Join(s.genPath(id), completeFile)); errors.Is(err, os.ErrNotExist) {
			if os.RemoveAll(s.genPath(id)) == nil {
				removed = append(removed, id)
			}
		}
	}
	for _, dir := range []string{s.Dir, filepath.Join(s.Dir, generationsDir)} {
		tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
		for _, t := range tmps {
			_ = os.RemoveAll(t)
		}
	}
	return removed
}

func (s *Store) list() []string {
	entries, err := os.ReadDir(filepath.Join(s.Dir, generationsDir))
	if err != nil {
		return nil
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			ids = append(ids, e.Name())
		}
	}
	sort.Strings(ids)
	return ids
}

func writeAtomic(path string, data []byte) error { return atomicfile.Write(path, data) }

// writeAtomicSteps is writeAtomic with failpoints named prefix+"temp",
// prefix+"renamed" and prefix+"synced" after each step.
func writeAtomicSteps(path string, data []byte, prefix string) error {
	return atomicfile.WriteSteps(path, data, func(name string) { failpoint(prefix + name) })
}
