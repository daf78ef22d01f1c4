package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/google/go-cmp/cmp"
)

var (
	synthWords = strings.Fields(`border control police training court judge prosecutor
		corruption money laundering drug trafficking cocaine heroin fentanyl maritime
		security justice reform prison corrections evidence forensic laboratory cartel
		extradition migrant smuggling human rights community violence prevention youth
		gang customs airport port seizure financial intelligence unit asset forfeiture
		cybercrime wildlife timber mining gold firearms crime statistics academy mentor`)
	synthCountries = []string{"Mexico", "Peru", "Ghana", "Colombia", "Honduras", "Kenya", "Vietnam"}
	synthTopics    = []string{"police training", "money laundering", "counternarcotics", "corrections", "rule of law"}
	synthTypes     = []string{"fact sheet", "program page", "report"}
)

// synthDoc is passage i of a synthetic corpus, version v of its text.
func synthDoc(r *rand.Rand, i, v int, seen time.Time) Document {
	var sb strings.Builder
	for range 30 + r.IntN(60) {
		sb.WriteString(synthWords[r.IntN(len(synthWords))])
		sb.WriteByte(' ')
	}
	fmt.Fprintf(&sb, "version %d", v)
	first := time.Date(2024, 1, 1+i%300, 0, 0, 0, 0, time.UTC)
	return Document{
		ID: fmt.Sprintf("p%05d", i), URL: fmt.Sprintf("https://example.gov/p/%d#s", i/4),
		PageURL: fmt.Sprintf("https://example.gov/p/%d", i/4), Title: "Program " + synthWords[i%len(synthWords)],
		Section: synthWords[(i*7)%len(synthWords)], Text: sb.String(),
		Countries: []string{synthCountries[r.IntN(len(synthCountries))]},
		Topics:    []string{synthTopics[r.IntN(len(synthTopics))]},
		Type:      synthTypes[i%len(synthTypes)], Years: []int{2015 + r.IntN(10)},
		Published: time.Date(2015+i%10, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC),
		FirstSeen: first, ChangedAt: first, LastSeen: seen,
	}
}

// synthCorpus returns n passages and a version of them in which every
// 50th is changed, every 70th removed, and n/60 are new, all seen at
// the second crawl's time.
func synthCorpus(n int, crawl1, crawl2 time.Time) (before, after []Document) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		before = append(before, synthDoc(r, i, 1, crawl1))
	}
	r2 := rand.New(rand.NewPCG(3, 4))
	for i, d := range before {
		switch {
		case i%70 == 3:
			continue
		case i%50 == 7:
			d = synthDoc(r2, i, 2, crawl2)
			d.ChangedAt = crawl2
		default:
			d.LastSeen = crawl2
		}
		after = append(after, d)
	}
	for i := n; i < n+n/60; i++ {
		d := synthDoc(r2, i, 1, crawl2)
		d.FirstSeen, d.ChangedAt = crawl2, crawl2
		after = append(after, d)
	}
	return before, after
}

// MustBuild publishes docs as a generation of st, from base when it is
// not empty, adding them in chunks so that the index has several segments.
func MustBuild(tb testing.TB, st *Store, base string, docs []Document, seen time.Time) (string, BuildStats) {
	tb.Helper()
	b, err := st.BeginBuild(BuildOptions{Base: base, SeenAt: seen})
	if err != nil {
		tb.Fatalf("BeginBuild(%q): %v", base, err)
	}
	for start := 0; start < len(docs); start += 700 {
		if err := b.Add(context.Background(), docs[start:min(start+700, len(docs))]); err != nil {
			b.Abort()
			tb.Fatal(err)
		}
	}
	if err := b.Commit(Generation{Passages: len(docs), Pages: len(docs)}, true); err != nil {
		tb.Fatalf("Commit: %v", err)
	}
	return b.ID, b.Stats()
}

// MustOpenGeneration opens generation id of st read-only.
func MustOpenGeneration(tb testing.TB, st *Store, id string) *Index {
	tb.Helper()
	ix, err := Open(st.IndexPath(id))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	return ix
}

// snapshotFiles reads every file under dir.
func snapshotFiles(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[strings.TrimPrefix(p, dir)] = b
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// comparedQueries are the bench's query classes (term, and, or, phrase,
// faceted, filtered, deep page) and the other shapes of the language.
func comparedQueries() []Query {
	var qs []Query
	for i, w := range synthWords {
		w2 := synthWords[(i*13+5)%len(synthWords)]
		qs = append(qs,
			Query{Q: w, NoFacets: true},
			Query{Q: w + " " + w2, NoFacets: true, Match: MatchAll},
			Query{Q: w + " " + w2},
			Query{Q: w + " OR " + w2, NoFacets: true},
			Query{Q: `"` + w + " " + w2 + `"`, NoFacets: true},
			Query{Q: w, Filters: map[string][]string{FacetCountry: {synthCountries[i%len(synthCountries)]}}},
			Query{Q: w, Page: 3, PerPage: 10, NoFacets: true},
		)
	}
	qs = append(qs,
		Query{}, Query{Page: 50, PerPage: 10},
		Query{Q: "traff*"}, Query{Q: "court -judge"}, Query{Q: "topic:corrections prison"},
		Query{Q: "money", Sort: "first_seen"}, Query{Q: "police", Sort: "changed_at"},
		Query{Q: "cartel", YearFrom: 2018, YearTo: 2020},
		Query{Filters: map[string][]string{FacetTopic: {"police training"}, FacetType: {"report"}}},
	)
	return qs
}

// sameResults fails when two results differ: totals, hit ids in order,
// the hits' documents, facet counts, and scores beyond float noise.
func sameResults(t *testing.T, q Query, got, want *Result) {
	t.Helper()
	if got.Total != want.Total || got.Relaxed != want.Relaxed {
		t.Errorf("%+v: total %d (relaxed %v), full rebuild %d (%v)", q, got.Total, got.Relaxed, want.Total, want.Relaxed)
		return
	}
	ids := func(r *Result) (s []string) {
		for _, h := range r.Hits {
			s = append(s, h.ID)
		}
		return s
	}
	if !slices.Equal(ids(got), ids(want)) {
		t.Errorf("%+v: hits %v, full rebuild %v", q, ids(got), ids(want))
		return
	}
	for i := range got.Hits {
		g, w := got.Hits[i], want.Hits[i]
		if math.Abs(g.Score-w.Score) > 1e-9*math.Max(1, math.Abs(w.Score)) {
			t.Errorf("%+v: hit %s scores %v, full rebuild %v", q, g.ID, g.Score, w.Score)
		}
		g.Score, w.Score = 0, 0
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("%+v: hit %s is\n%+v\nfull rebuild\n%+v", q, g.ID, g, w)
		}
	}
	if fmt.Sprint(got.Facets) != fmt.Sprint(want.Facets) || fmt.Sprint(got.FacetOthers) != fmt.Sprint(want.FacetOthers) {
		t.Errorf("%+v: facets %v, full rebuild %v", q, got.Facets, want.Facets)
	}
}

// TestIncrementalMatchesFullRebuild: a generation built from the previous
// one answers every query as a full rebuild of the same passages does,
// wrote only what changed, and left the previous generation's files as
// they were.
func TestIncrementalMatchesFullRebuild(t *testing.T) {
	crawl1 := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	crawl2 := crawl1.Add(24 * time.Hour)
	before, after := synthCorpus(3000, crawl1, crawl2)
	st := MustStore(t)
	base, _ := MustBuild(t, st, "", before, crawl1)
	baseFiles := snapshotFiles(t, st.genPath(base))

	inc, stats := MustBuild(t, st, base, after, crawl2)
	changed, removed, added := 3000/50, 3000/70+1, 3000/60
	if stats.Added != changed+added || stats.Kept != len(after)-changed-added || stats.Deleted != changed+removed {
		t.Errorf("incremental build: %+v; want %d added, %d kept, %d deleted", stats, changed+added, len(after)-changed-added, changed+removed)
	}
	if g, err := st.Info(inc); err != nil || g.Base != base || g.Versions[VersionIndex] != IndexVersion() {
		t.Errorf("Info(%s) = %+v, %v; want base %s and the index version", inc, g, err, base)
	}
	for name, b := range snapshotFiles(t, st.genPath(base)) {
		if !bytes.Equal(b, baseFiles[name]) {
			t.Errorf("the incremental build changed %s of the previous generation", name)
		}
		delete(baseFiles, name)
	}
	for name := range baseFiles {
		t.Errorf("the incremental build removed %s of the previous generation", name)
	}

	fst, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fid, _ := MustBuild(t, fst, "", after, crawl2)
	got, want := MustOpenGeneration(t, st, inc), MustOpenGeneration(t, fst, fid)
	ctx := context.Background()
	for _, q := range comparedQueries() {
		g, err := got.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		w, err := want.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		sameResults(t, q, g, w)
	}
	for _, id := range []string{"p00001", "p00007", "p03001"} {
		g, err := got.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !g.LastSeen.Equal(crawl2) {
			t.Errorf("Get(%s).LastSeen = %v, want %v", id, g.LastSeen, crawl2)
		}
	}
	if _, err := got.Get(ctx, "p00003"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of a removed passage = %v, want ErrNotFound", err)
	}
}

// TestIncrementalSegmentsBounded: many small incremental generations in a
// row keep the number of segments bounded (the merge policy runs at each
// commit), and pruning old generations keeps the newest one whole.
func TestIncrementalSegmentsBounded(t *testing.T) {
	st := MustStore(t)
	// Keep only the current and previous generations, so that each
	// publication prunes one whose files its successors share.
	if err := st.SetKeep(KeepPolicy{Generations: 2}); err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(5, 6))
	var docs []Document
	for i := range 600 {
		docs = append(docs, synthDoc(r, i, 1, seen))
	}
	id, _ := MustBuild(t, st, "", docs, seen)
	var stats BuildStats
	for round := range 25 {
		seen = seen.Add(time.Hour)
		for i := range docs {
			docs[i].LastSeen = seen
		}
		for k := range 5 {
			i := (round*37 + k*101) % len(docs)
			docs[i] = synthDoc(r, i, round+2, seen)
		}
		// Publishing prunes the base's base, whose segment files the
		// base shares: the base must keep them whole.
		base, before := id, snapshotFiles(t, st.genPath(id))
		id, stats = MustBuild(t, st, id, docs, seen)
		t.Logf("round %d: %d segments", round, stats.Segments)
		if stats.Segments > 25 {
			t.Fatalf("round %d: %d segments", round, stats.Segments)
		}
		if n := len(st.list()); n != 2 {
			t.Fatalf("round %d: %d generations on disk, want 2", round, n)
		}
		for name, b := range snapshotFiles(t, st.genPath(base)) {
			if !bytes.Equal(b, before[name]) {
				t.Fatalf("round %d: pruning changed %s of the previous generation", round, name)
			}
			delete(before, name)
		}
		for name := range before {
			t.Fatalf("round %d: pruning removed %s of the previous generation", round, name)
		}
	}
	if stats.Added != 5 {
		t.Errorf("last build wrote %d documents, want 5", stats.Added)
	}
	ix := MustOpenGeneration(t, st, id)
	res, err := ix.Search(context.Background(), Query{Q: "version", NoFacets: true})
	if err != nil || res.Total != len(docs) {
		t.Fatalf("search of the last generation = %v, %v; want %d passages", res, err, len(docs))
	}
}

// TestBeginBuildRefusesBase: a base without a manifest or with another
// index version is refused with ErrNoBase, and nothing is left behind.
func TestBeginBuildRefusesBase(t *testing.T) {
	st := MustStore(t)
	old := MustPublish(t, st, genDocs("a", "aviation", 10), false) // Index.Add: no manifest
	if _, err := st.BeginBuild(BuildOptions{Base: old}); !errors.Is(err, ErrNoBase) {
		t.Errorf("BeginBuild from a generation without manifest = %v, want ErrNoBase", err)
	}
	seen := time.Now().UTC()
	id, _ := MustBuild(t, st, "", genDocs("b", "aviation", 10), seen)
	g, err := st.Info(id)
	if err != nil {
		t.Fatal(err)
	}
	g.Versions[VersionIndex] = "0-old"
	raw, _ := json.Marshal(g)
	if err := writeAtomic(filepath.Join(st.genPath(id), completeFile), raw); err != nil {
		t.Fatal(err)
	}
	if _, err := st.BeginBuild(BuildOptions{Base: id}); !errors.Is(err, ErrNoBase) {
		t.Errorf("BeginBuild from another index version = %v, want ErrNoBase", err)
	}
	if n := len(st.list()); n != 2 {
		t.Errorf("%d generations on disk after refused builds, want 2", n)
	}
}

// TestBeginBuildDamagedBase: a base whose index does not open (a torn
// root.bolt, truncated segments) is no base (ErrNoBase, so the crawl
// builds in full) and stays as it was.
func TestBeginBuildDamagedBase(t *testing.T) {
	for _, damage := range []string{"root", "segments"} {
		t.Run(damage, func(t *testing.T) {
			st := MustStore(t)
			id, _ := MustBuild(t, st, "", genDocs("a", "aviation", 10), time.Now())
			dir := filepath.Join(st.IndexPath(id), "store")
			files, _ := filepath.Glob(filepath.Join(dir, "*.zap"))
			if damage == "root" {
				files = []string{filepath.Join(dir, "root.bolt")}
			}
			for _, f := range files {
				if err := os.WriteFile(f, []byte("damaged"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.BeginBuild(BuildOptions{Base: id}); !errors.Is(err, ErrNoBase) {
				t.Errorf("BeginBuild from a damaged base = %v, want ErrNoBase", err)
			}
			for _, f := range files {
				if b, err := os.ReadFile(f); err != nil || string(b) != "damaged" {
					t.Errorf("the damaged base's %s was changed: %q, %v", filepath.Base(f), b, err)
				}
			}
			if n := len(st.list()); n != 1 {
				t.Errorf("%d generations on disk, want the base alone", n)
			}
		})
	}
}

// TestManifestReusesBaseChecksums: a generation's manifest takes the
// checksum of a file that is its base's own (a hard link) from the base's
// manifest, and hashes every other file, one of the base's path and size
// included; an incremental generation's manifest is its files hashed anew.
func TestManifestReusesBaseChecksums(t *testing.T) {
	base, dir := t.TempDir(), t.TempDir()
	for _, d := range []string{base, dir} {
		if err := os.MkdirAll(filepath.Join(d, "index", "store"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	seg, bolt := filepath.Join("index", "store", "000001.zap"), filepath.Join("index", "root.bolt")
	if err := os.WriteFile(filepath.Join(base, seg), []byte("segment"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(base, seg), filepath.Join(dir, seg)); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	for d, content := range map[string]string{base: "bolt-a", dir: "bolt-b"} { // same size
		if err := os.WriteFile(filepath.Join(d, bolt), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The base's manifest, with checksums that show where a sum came from.
	m := Manifest{Generation: "base", Files: []ManifestFile{
		{Path: filepath.ToSlash(bolt), Size: 6, SHA256: "from-base"},
		{Path: filepath.ToSlash(seg), Size: 7, SHA256: "from-base"},
	}}
	raw, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(base, manifestFile), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := writeManifestFrom(dir, "new", base)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, f := range got.Files {
		sums[f.Path] = f.SHA256
	}
	if sums[filepath.ToSlash(seg)] != "from-base" {
		t.Errorf("the hard-linked segment's checksum %q, want the base's", sums[filepath.ToSlash(seg)])
	}
	if s := sums[filepath.ToSlash(bolt)]; s == "from-base" || len(s) != 64 {
		t.Errorf("the new root.bolt's checksum %q, want it hashed", s)
	}

	// A real incremental generation: the manifest written at its commit
	// is its files hashed anew.
	crawl1 := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	crawl2 := crawl1.Add(24 * time.Hour)
	before, after := synthCorpus(1500, crawl1, crawl2)
	st := MustStore(t)
	gen, _ := MustBuild(t, st, "", before, crawl1)
	id, _ := MustBuild(t, st, gen, after, crawl2)
	written, err := readManifest(st.genPath(id))
	if err != nil {
		t.Fatal(err)
	}
	want, err := writeManifest(st.genPath(id), id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, written); diff != "" {
		t.Errorf("manifest (-hashed anew +written at commit):\n%s", diff)
	}
}

// TestUnchangedBuildLinksPassages: a build that keeps every passage of
// its base links the base's passages file; the next build starts from it
// after the base is removed; a build that changed a passage writes its
// own file.
func TestUnchangedBuildLinksPassages(t *testing.T) {
	crawl1 := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	crawl2 := crawl1.Add(24 * time.Hour)
	before, after := synthCorpus(900, crawl1, crawl2)
	st := MustStore(t)
	gen1, _ := MustBuild(t, st, "", before, crawl1)
	same := slices.Clone(before) // seen again by the next crawl: nothing changed
	for i := range same {
		same[i].LastSeen = crawl2
	}
	gen2, stats := MustBuild(t, st, gen1, same, crawl2)
	if stats.Added != 0 || stats.Deleted != 0 {
		t.Fatalf("unchanged build: %+v", stats)
	}
	p1, p2 := filepath.Join(st.genPath(gen1), passagesFile), filepath.Join(st.genPath(gen2), passagesFile)
	linked := func(a, b string) bool {
		fa, err := os.Stat(a)
		if err != nil {
			t.Fatal(err)
		}
		fb, err := os.Stat(b)
		if err != nil {
			t.Fatal(err)
		}
		return os.SameFile(fa, fb)
	}
	if !linked(p1, p2) {
		t.Error("the unchanged build wrote its own passages file, want the base's linked")
	}
	if err := os.RemoveAll(st.genPath(gen1)); err != nil {
		t.Fatal(err)
	}
	gen3, stats := MustBuild(t, st, gen2, after, crawl2)
	if stats.Added == 0 || stats.Kept == 0 {
		t.Fatalf("changed build: %+v", stats)
	}
	p3 := filepath.Join(st.genPath(gen3), passagesFile)
	if linked(p2, p3) {
		t.Error("the changed build linked its base's passages file")
	}
	got, err := readPassages(p3)
	if err != nil || len(got) != len(after) {
		t.Fatalf("passages file of the changed build: %d ids, %v; want %d", len(got), err, len(after))
	}
}

// TestPassagesFileOfOlderVersion: a generation whose passages file an
// older binary wrote is no base, and the error says why.
func TestPassagesFileOfOlderVersion(t *testing.T) {
	crawl := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	docs, _ := synthCorpus(50, crawl, crawl.Add(time.Hour))
	st := MustStore(t)
	gen, _ := MustBuild(t, st, "", docs, crawl)
	path := filepath.Join(st.genPath(gen), passagesFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append([]byte("inlsearch-passages-1\n"), raw[len(passagesMagic):]...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = st.BeginBuild(BuildOptions{Base: gen, SeenAt: crawl})
	if !errors.Is(err, ErrNoBase) || !strings.Contains(err.Error(), "version 1, this binary's 2") {
		t.Errorf("BeginBuild from a generation with a version 1 passages file: %v", err)
	}
}

// TestCommitDropsUnusedSegments: a published generation's index folder
// holds only the segment files its snapshot uses, and the manifest lists
// no other; dropUnusedSegments removes a file no snapshot uses (planted
// here: scorch's own background cleanup may or may not come first).
func TestCommitDropsUnusedSegments(t *testing.T) {
	crawl := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	docs, _ := synthCorpus(3000, crawl, crawl.Add(time.Hour))
	st := MustStore(t)
	gen, _ := MustBuild(t, st, "", docs, crawl)
	store := filepath.Join(st.IndexPath(gen), "store")
	used := func() map[string]bool {
		ix, err := openLazy(st.IndexPath(gen))
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		r := mustReader(t, ix.bi)
		defer func() { _ = r.Close() }()
		want := map[string]bool{}
		for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
			want[filepath.Base(ss.Segment().(segment.PersistedSegment).Path())] = true
		}
		return want
	}
	files := func() []string {
		fs, err := filepath.Glob(filepath.Join(store, "*.zap"))
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	want := used()
	for _, f := range files() {
		if !want[filepath.Base(f)] {
			t.Errorf("%s: no segment of the snapshot", filepath.Base(f))
		}
	}
	m, err := readManifest(st.genPath(gen))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		if strings.HasSuffix(f.Path, ".zap") && !want[filepath.Base(f.Path)] {
			t.Errorf("the manifest lists %s", f.Path)
		}
	}

	planted := filepath.Join(store, "00000000ffff.zap")
	if err := os.WriteFile(planted, []byte("a segment no snapshot uses"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := openLazy(st.IndexPath(gen))
	if err != nil {
		t.Fatal(err)
	}
	err = dropUnusedSegments(ix)
	_ = ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(planted); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the unused segment file is still there (%v)", err)
	}
	if got := files(); len(got) != len(want) {
		t.Errorf("%d segment files left for %d segments", len(got), len(want))
	}
	if n, err := MustOpenGeneration(t, st, gen).Count(); err != nil || int(n) != len(docs) {
		t.Errorf("after the drop: %d passages, %v", n, err)
	}
}
