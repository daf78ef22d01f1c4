package search

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/cespare/xxhash/v2"
)

// An incremental generation starts from a copy of the previous one's
// bleve index in which every segment file (*.zap) is a hard link to the
// previous generation's file and only the small files scorch rewrites in
// place (root.bolt, index_meta.json) are copied. scorch never writes into
// a segment file once it is written: a new batch or a merge writes new
// files under ids above every file in the folder, deletions are bitmaps
// kept in root.bolt, and a segment no longer used is unlinked. So the new
// generation changes none of the previous one's files, and removing either
// folder leaves the other's files whole.
//
// The documents of a generation are listed, with a fingerprint of what the
// index holds of each, in its passages file (passagesFile): an incremental
// build indexes only the documents whose fingerprint is new, and deletes
// those the previous generation had and the new one does not.

const (
	passagesFile = "PASSAGES"
	// 2: fingerprints by xxhash of the encoded fields (fingerprintOf); a
	// generation with a passages file of version 1 is no base, and the
	// next build after the upgrade is a full one.
	passagesMagic = "inlsearch-passages-2\n"
)

// analyzerVersion changes when the text analyzer (analyzer.go) changes the
// terms it makes of a text.
const analyzerVersion = "2" // 2: no offsets in term vectors

// VersionIndex is the key of Generation.Versions naming IndexVersion.
const VersionIndex = "index"

// IndexVersion names how this binary turns a Document into an index: the
// schema, the analyzer, the segment format and the mapping. A generation built with another
// one cannot be the base of an incremental build.
func IndexVersion() string {
	raw, _ := json.Marshal(NewMapping())
	h := sha256.Sum256(raw)
	return schemaVersion + "-" + analyzerVersion + "-" + segmentFormat + "-" + hex.EncodeToString(h[:4])
}

// BuildOptions are the options of Store.BeginBuild.
type BuildOptions struct {
	Vocabulary Vocabulary
	// Base is a complete generation to start from; empty for a full build.
	Base string
	// SeenAt is the time of the crawl that saw the passages. A passage
	// whose LastSeen is SeenAt is stored without it, and reads it back from
	// the generation, so that a passage seen again by the next crawl is the
	// same document in the index and an incremental build leaves it alone.
	SeenAt time.Time
}

// BuildStats counts what a build did to its index.
type BuildStats struct {
	// Added are the documents written (new or changed), Kept those taken
	// unchanged from the base, Deleted those of the base removed or
	// replaced.
	Added, Kept, Deleted int
	// Segments is the number of segments of the new index.
	Segments int
}

// Incremental reports whether the build started from a base generation.
func (b *Build) Incremental() bool { return b.base != "" }

// Base is the generation the build started from; empty for a full build.
func (b *Build) Base() string { return b.base }

// Stats returns what the build did: Added and Kept so far, Deleted and
// Segments once committed. Like Add, it is not safe for concurrent use.
func (b *Build) Stats() BuildStats {
	if !b.done && b.w != nil {
		_ = b.w.wait() // Add's documents are counted by its goroutine
	}
	st := b.stats
	st.Added, st.Kept = len(b.written), len(b.next)-len(b.written)
	return st
}

// BeginBuild starts a new generation: a full one in a fresh index, or, with
// opts.Base, one that starts from that generation's index (see above). The
// base must be complete, carry a passages file, have been built with this
// binary's IndexVersion, and its files must link into the new folder and
// open; ErrNoBase says it cannot serve, and the caller then builds in full.
func (s *Store) BeginBuild(opts BuildOptions) (*Build, error) {
	if opts.Base == "" {
		id, err := s.newID()
		if err != nil {
			return nil, err
		}
		ix, err := Create(s.IndexPath(id), opts.Vocabulary)
		if err != nil {
			_ = os.RemoveAll(s.genPath(id))
			return nil, err
		}
		b := &Build{store: s, ID: id, Index: ix}
		if err := b.init(opts, nil); err != nil {
			b.Abort()
			return nil, err
		}
		return b, nil
	}
	g, err := s.Info(opts.Base)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoBase, err)
	}
	if v := g.Versions[VersionIndex]; v != IndexVersion() {
		return nil, fmt.Errorf("%w: generation %s has index version %q, this binary %q", ErrNoBase, opts.Base, v, IndexVersion())
	}
	man, err := readPassages(filepath.Join(s.genPath(opts.Base), passagesFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoBase, err)
	}
	id, err := s.newID()
	if err != nil {
		return nil, err
	}
	// A folder that cannot hold hard links, or a base that does not open,
	// leaves the caller a full build (ErrNoBase).
	if err := linkIndex(s.IndexPath(opts.Base), s.IndexPath(id)); err != nil {
		_ = os.RemoveAll(s.genPath(id))
		return nil, fmt.Errorf("%w: link generation %s: %w", ErrNoBase, opts.Base, err)
	}
	failpoint("linked")
	ix, err := openWritable(s.IndexPath(id), opts.Vocabulary)
	if err != nil {
		_ = os.RemoveAll(s.genPath(id))
		return nil, fmt.Errorf("%w: %w", ErrNoBase, err)
	}
	b := &Build{store: s, ID: id, Index: ix, base: opts.Base}
	if err := b.init(opts, man); err != nil {
		b.Abort()
		return nil, err
	}
	return b, nil
}

// ErrNoBase means a generation cannot be the base of an incremental build.
var ErrNoBase = errors.New("no base for an incremental build")

func (b *Build) init(opts BuildOptions, base map[string]fingerprint) error {
	b.seenAt = opts.SeenAt.UTC()
	b.Index.seen = b.seenAt
	b.Index.eng.seen = b.seenAt
	b.prev = base
	b.next = make(map[string]fingerprint, len(base))
	b.written = map[string]bool{}
	b.w = newWriter(b.Index.bi, buildBatch, addInFlight)
	raw, _ := b.seenAt.MarshalText()
	if err := b.Index.bi.SetInternal(keySeenAt, raw); err != nil {
		return fmt.Errorf("store %s: %w", keySeenAt, err)
	}
	return nil
}

// Add indexes docs into the new generation. A document whose id comes again
// (in docs or a later Add) replaces the earlier one. In an incremental
// build, a document the base holds as it is is kept, not written again.
// Add returns before docs are written, even before they are compared with
// the base: that and the build's batches go on in the background, across
// calls, while the caller prepares the next ones (docs may be reused once
// Add returns, but not what their slices hold); an error of one of them is
// returned by a later Add or by Commit. Add is not safe for concurrent use.
func (b *Build) Add(ctx context.Context, docs []Document) error {
	if b.done {
		return errors.New("add: build already finished")
	}
	return b.w.addAsync(ctx, docs, b.seenAt, func(d *Document, fp fingerprint) bool {
		b.next[d.ID] = fp
		if old, ok := b.prev[d.ID]; ok && old == fp && !b.written[d.ID] {
			return false
		}
		b.written[d.ID] = true
		return true
	})
}

// finish deletes from an incremental build's index the documents of the
// base it no longer has, and runs the merge policy once to completion, for
// a full build too: the number of segments stays bounded across
// generations, and a generation is published merged, so that the next
// incremental build does not inherit the merges the background merger had
// not finished (at 1,000,000 passages a full build ended with 391 segments,
// and the next re-index, 1 % of pages changed, spent most of its time
// merging them).
func (b *Build) finish(ctx context.Context) error {
	if b.prev == nil {
		return mergeSegments(ctx, b.Index.bi)
	}
	var gone []string
	for id := range b.prev {
		if _, ok := b.next[id]; !ok {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for start := 0; start < len(gone); start += BatchSize {
		batch := b.Index.bi.NewBatch()
		for _, id := range gone[start:min(start+BatchSize, len(gone))] {
			batch.Delete(id)
		}
		if err := b.Index.bi.Batch(batch); err != nil {
			return fmt.Errorf("delete passages: %w", err)
		}
	}
	// Replaced documents were deleted by the batch that wrote them anew.
	b.stats.Deleted = len(gone)
	for id := range b.written {
		if _, ok := b.prev[id]; ok {
			b.stats.Deleted++
		}
	}
	failpoint("deleted")
	return mergeSegments(ctx, b.Index.bi)
}

// mergeSegments runs scorch's default (tiered) merge plan on the index
// and waits for it: segments too small or too many in their tier are
// merged, large ones are left as they are.
func mergeSegments(ctx context.Context, bi bleve.Index) error {
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("merge segments: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	opts := mergeplan.DefaultMergePlanOptions
	if err := sc.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("merge segments: %w", err)
	}
	return nil
}

// segmentCount is the number of segments of the index's current snapshot.
func segmentCount(bi bleve.Index) int {
	n := 0
	_ = withSnapshot(bi, func(snap *scorch.IndexSnapshot) error {
		n = len(snap.Segments())
		return nil
	})
	return n
}

// withSnapshot calls fn with bi's current snapshot, when bi is scorch's,
// and closes it after.
func withSnapshot(bi bleve.Index, fn func(*scorch.IndexSnapshot) error) error {
	adv, err := bi.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return fn(snap)
	}
	return nil
}

// fingerprint identifies what the index holds of one document.
type fingerprint [8]byte

// fingerprintOf hashes what the index holds of d, encoded as enc: its
// stored fields (the document but its text and evidence, the evidence)
// and its text, from which the indexed fields are made. xxhash, not a
// cryptographic hash: the fingerprint tells a build which passages it
// may keep, nobody relies on it against an adversary, and sha-256 was a
// tenth of the CPU of a re-index that wrote nothing. A text that differs
// only in invalid UTF-8 (which the index stores replaced) counts as
// changed: it is written again, never wrongly kept.
func fingerprintOf(d *Document, enc encodedDoc) fingerprint {
	var h xxhash.Digest
	h.Reset()
	for _, s := range [...]string{enc.doc, d.Text, enc.evidence} {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		_, _ = h.Write(n[:])
		_, _ = h.WriteString(s)
	}
	var fp fingerprint
	binary.LittleEndian.PutUint64(fp[:], h.Sum64())
	return fp
}

// writePassages writes the new generation's passages file. A build that
// kept every passage of its base and added none links the base's file
// (at 1,000,000 passages, the sort and write of 29 MB): it lists the same
// ids with the same fingerprints, and no passages file is ever written in
// place (writeAtomic renames a new one over it).
func (b *Build) writePassages() error {
	path := filepath.Join(b.store.genPath(b.ID), passagesFile)
	if b.base != "" && len(b.written) == 0 && len(b.next) == len(b.prev) {
		if err := os.Link(filepath.Join(b.store.genPath(b.base), passagesFile), path); err == nil {
			return nil
		}
	}
	return writePassages(path, b.next)
}

// writePassages writes the ids and fingerprints of a generation's documents.
func writePassages(path string, docs map[string]fingerprint) error {
	ids := make([]string, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var sb strings.Builder
	sb.Grow(len(passagesMagic) + len(ids)*40)
	sb.WriteString(passagesMagic)
	var n [binary.MaxVarintLen64]byte
	for _, id := range ids {
		sb.Write(n[:binary.PutUvarint(n[:], uint64(len(id)))])
		sb.WriteString(id)
		fp := docs[id]
		sb.Write(fp[:])
	}
	return writeAtomic(path, []byte(sb.String()))
}

// readPassages reads what writePassages wrote.
func readPassages(path string) (map[string]fingerprint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read passages file: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	magic := make([]byte, len(passagesMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != passagesMagic {
		if old, ok := strings.CutPrefix(string(magic), "inlsearch-passages-"); ok && err == nil {
			return nil, fmt.Errorf("passages file %s: version %s, this binary's %s (the next build is a full one)",
				path, strings.TrimSpace(old), strings.TrimSpace(strings.TrimPrefix(passagesMagic, "inlsearch-passages-")))
		}
		return nil, fmt.Errorf("passages file %s: bad header", path)
	}
	out := map[string]fingerprint{}
	for {
		n, err := binary.ReadUvarint(r)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil || n == 0 || n > 1<<16 {
			return nil, fmt.Errorf("passages file %s: damaged", path)
		}
		buf := make([]byte, int(n)+len(fingerprint{}))
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("passages file %s: damaged", path)
		}
		var fp fingerprint
		copy(fp[:], buf[n:])
		out[string(buf[:n])] = fp
	}
}

// dropUnusedSegments removes from the folder of ix, a new generation's
// index opened read-only and not yet published, the segment files its
// snapshot does not use. scorch keeps the files of the snapshot before
// the last (for a rollback this service never asks for) and removes
// obsolete ones in the background, so a build closed right after its
// merges left some behind (8 of 16 files, 5 % of the bytes, in one
// 100,000-passage build; a 1,000,000-passage index measured 7.9 GB against
// 6.7 in an earlier run), which every later generation linked and every
// replica copied.
func dropUnusedSegments(ix *Index) error {
	used := map[string]bool{}
	dir := ""
	err := withSnapshot(ix.bi, func(snap *scorch.IndexSnapshot) error {
		for _, ss := range snap.Segments() {
			ps, ok := ss.Segment().(segment.PersistedSegment)
			if !ok {
				dir = "" // a segment only in memory: the files are not known
				return nil
			}
			used[filepath.Base(ps.Path())] = true
			dir = filepath.Dir(ps.Path())
		}
		return nil
	})
	if err != nil || dir == "" {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("unused segments: %w", err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") && !used[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("unused segments: %w", err)
			}
		}
	}
	return nil
}

// linkIndex makes dst a copy of the closed bleve index at src: segment
// files hard-linked, every other file copied.
func linkIndex(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case strings.HasSuffix(d.Name(), ".zap"):
			return os.Link(path, target)
		case d.Type().IsRegular():
			return copyFile(path, target)
		}
		return nil
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
