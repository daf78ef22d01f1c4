package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Replication: a published generation never changes, so a replica serves a
// copy of it. The files of a generation, with their sizes and SHA-256, are
// its manifest (DIR/generations/<id>/MANIFEST), written once when the
// generation is published (or, for one published before manifests existed,
// computed once on first demand and kept). A replica downloads the files
// into DIR/pull/<id>/, checks each against the manifest, and publishes the
// copy with Import through the same checks and pointer as a crawl.

const (
	manifestFile = "MANIFEST"
	pullDir      = "pull"
)

// ManifestFile is one file of a generation: its path relative to the
// generation's folder (slash-separated, "index/store/root.bolt"), its size
// in bytes and the hex SHA-256 of its content.
type ManifestFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest lists the files of one generation, sorted by path.
type Manifest struct {
	Generation string         `json:"generation"`
	Files      []ManifestFile `json:"files"`
}

// Bytes is the sum of the sizes of m's files.
func (m Manifest) Bytes() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// File returns the entry of path in m.
func (m Manifest) File(path string) (ManifestFile, bool) {
	i, ok := slices.BinarySearchFunc(m.Files, path, func(f ManifestFile, p string) int { return strings.Compare(f.Path, p) })
	if !ok {
		return ManifestFile{}, false
	}
	return m.Files[i], true
}

// Check reports whether m is a manifest a replica can follow: every path is
// a clean relative path under "index/", no path twice, sizes not negative,
// checksums 64 hex digits. A manifest read from another machine is checked
// before any of its paths is used.
func (m Manifest) Check() error {
	if !validCopyID(m.Generation) {
		return fmt.Errorf("manifest: malformed generation id %q", m.Generation)
	}
	if len(m.Files) == 0 {
		return errors.New("manifest: no files")
	}
	for i, f := range m.Files {
		if !fs.ValidPath(f.Path) || !strings.HasPrefix(f.Path, "index/") || strings.Contains(f.Path, `\`) {
			return fmt.Errorf("manifest: bad path %q", f.Path)
		}
		if i > 0 && m.Files[i-1].Path >= f.Path {
			return fmt.Errorf("manifest: paths not sorted or repeated at %q", f.Path)
		}
		if f.Size < 0 {
			return fmt.Errorf("manifest: negative size for %q", f.Path)
		}
		if b, err := hex.DecodeString(f.SHA256); err != nil || len(b) != sha256.Size {
			return fmt.Errorf("manifest: bad sha256 for %q", f.Path)
		}
	}
	return nil
}

// validCopyID reports whether id can name a generation folder: letters,
// digits and '-', at most 64 bytes (the shape Begin gives), so that an id
// from a request or from another machine cannot name another path.
func validCopyID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// ErrBadGeneration is wrapped by the errors of Manifest and OpenFile when the
// id cannot name a generation (400), ErrNotFound when it names none that is
// complete in the folder, or a file that is not in its manifest (404).
var ErrBadGeneration = errors.New("malformed generation id")

// manifestMu serialises the computation of manifests, so that concurrent
// first requests hash a generation once.
var manifestMu sync.Mutex

// Manifest returns the manifest of the complete generation id: the one
// written at publication, or, for a generation published without one,
// computed now and kept for next time.
func (s *Store) Manifest(id string) (Manifest, error) {
	if !validCopyID(id) {
		return Manifest{}, fmt.Errorf("%w: %q", ErrBadGeneration, id)
	}
	if _, err := os.Stat(filepath.Join(s.genPath(id), completeFile)); err != nil {
		return Manifest{}, fmt.Errorf("generation %s: %w", id, ErrNotFound)
	}
	if m, err := readManifest(s.genPath(id)); err == nil {
		return m, nil
	}
	manifestMu.Lock()
	defer manifestMu.Unlock()
	if m, err := readManifest(s.genPath(id)); err == nil {
		return m, nil
	}
	return writeManifest(s.genPath(id), id)
}

func readManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("bad %s: %w", manifestFile, err)
	}
	return m, nil
}

// writeManifest hashes the files under dir/index and writes dir/MANIFEST.
func writeManifest(dir, id string) (Manifest, error) {
	return writeManifestFrom(dir, id, "")
}

// writeManifestFrom is writeManifest for a generation built from the one in
// baseDir (an incremental build, "" for none): a file that is the base's own
// file (a hard link: segment files are never changed in place) takes its
// checksum from the base's manifest instead of being read again; at
// 100,000 passages that was half a second of every re-index.
func writeManifestFrom(dir, id, baseDir string) (Manifest, error) {
	var base Manifest
	if baseDir != "" {
		base, _ = readManifest(baseDir) // none: every file is hashed
	}
	m := Manifest{Generation: id}
	root := filepath.Join(dir, "index")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if mf, ok := base.File(filepath.ToSlash(rel)); ok && sameFile(path, filepath.Join(baseDir, rel), mf.Size) {
			m.Files = append(m.Files, mf)
			return nil
		}
		sum, size, err := hashFile(path)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, ManifestFile{Path: filepath.ToSlash(rel), Size: size, SHA256: sum})
		return nil
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest of generation %s: %w", id, err)
	}
	slices.SortFunc(m.Files, func(a, b ManifestFile) int { return strings.Compare(a.Path, b.Path) })
	data, _ := json.MarshalIndent(m, "", " ")
	if err := writeAtomic(filepath.Join(dir, manifestFile), data); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// sameFile reports whether the files at a and b are one file (hard links)
// of size bytes.
func sameFile(a, b string, size int64) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && fa.Size() == size && os.SameFile(fa, fb)
}

// HashFile returns the hex SHA-256 and the size of the file at path.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// OpenFile opens one file of the manifest of the complete generation id for
// reading. A path not in the manifest is ErrNotFound, whatever is on disk;
// a file whose size is no longer the manifest's is an error (the generation
// was changed after publication, which must not happen).
func (s *Store) OpenFile(id, path string) (*os.File, ManifestFile, error) {
	m, err := s.Manifest(id)
	if err != nil {
		return nil, ManifestFile{}, err
	}
	mf, ok := m.File(path)
	if !ok {
		return nil, ManifestFile{}, fmt.Errorf("file %q of generation %s: %w", path, id, ErrNotFound)
	}
	f, err := os.Open(filepath.Join(s.genPath(id), filepath.FromSlash(mf.Path)))
	if err != nil {
		return nil, mf, fmt.Errorf("generation %s: %w", id, err)
	}
	if st, err := f.Stat(); err != nil || st.Size() != mf.Size {
		_ = f.Close()
		return nil, mf, fmt.Errorf("generation %s: %s changed since its publication", id, mf.Path)
	}
	return f, mf, nil
}

// StagingPath is the folder into which a replica downloads generation id
// before Import publishes it: DIR/pull/<id>. It is outside generations/,
// so neither the server nor CleanPartial sees a partial copy, and it stays
// there between runs so that a download resumes.
func (s *Store) StagingPath(id string) (string, error) {
	if !validCopyID(id) {
		return "", fmt.Errorf("%w: %q", ErrBadGeneration, id)
	}
	return filepath.Join(s.Dir, pullDir, id), nil
}

// CleanStaging removes the staged downloads of generations other than keep.
func (s *Store) CleanStaging(keep string) {
	entries, _ := os.ReadDir(filepath.Join(s.Dir, pullDir))
	for _, e := range entries {
		if e.Name() != keep {
			_ = os.RemoveAll(filepath.Join(s.Dir, pullDir, e.Name()))
		}
	}
}

// CompleteIDs lists the complete generations of the folder, oldest id first.
func (s *Store) CompleteIDs() []string {
	var ids []string
	for _, id := range s.list() {
		if s.Has(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Free returns the bytes available on the filesystem of the data folder.
func (s *Store) Free() (uint64, error) { return freeBytes(s.Dir) }

// Has reports whether generation id is complete in the folder.
func (s *Store) Has(id string) bool {
	if !validCopyID(id) {
		return false
	}
	_, err := os.Stat(filepath.Join(s.genPath(id), completeFile))
	return err == nil
}

// Import publishes the generation downloaded into StagingPath(g.ID), whose
// files match m (the caller verified their checksums): the folder moves
// into generations/ and is then committed as a crawl's build is — it must
// open, hold g.Passages passages and read back — and becomes the current
// generation, the one it replaces the previous, older ones pruned. The
// shrink check is not applied: the builder made that decision. On error
// the pointer is unchanged and the copy is removed (a *CheckError) or left
// staged.
func (s *Store) Import(g Generation, m Manifest) error {
	if err := m.Check(); err != nil {
		return err
	}
	if g.ID != m.Generation {
		return fmt.Errorf("import: generation %s with the manifest of %s", g.ID, m.Generation)
	}
	staged, err := s.StagingPath(g.ID)
	if err != nil {
		return err
	}
	if _, err := os.Stat(s.genPath(g.ID)); err == nil {
		if s.Has(g.ID) {
			return s.Repoint(g.ID)
		}
		// a partial folder of that id: a crawl's or an import's that died
		if err := os.RemoveAll(s.genPath(g.ID)); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	data, _ := json.MarshalIndent(m, "", " ")
	if err := writeAtomic(filepath.Join(staged, manifestFile), data); err != nil {
		return err
	}
	if err := os.Rename(staged, s.genPath(g.ID)); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	syncDir(filepath.Join(s.Dir, generationsDir))
	b := &Build{store: s, ID: g.ID, closed: true}
	return b.Commit(g, true)
}

// Repoint makes the complete generation id current again (a builder that
// went back to a generation this folder still keeps), the one served now
// its previous.
func (s *Store) Repoint(id string) error {
	if !s.Has(id) {
		return fmt.Errorf("generation %s: %w", id, ErrNotFound)
	}
	next := pointer{Current: id}
	if p, err := s.readPointer(); err == nil {
		if p.Current == id {
			return nil
		}
		next.Previous = p.Current
	}
	data, _ := json.Marshal(next)
	if err := writeAtomicSteps(filepath.Join(s.Dir, pointerFile), data, "pointer-"); err != nil {
		return err
	}
	s.prune(next)
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
