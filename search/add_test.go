package search

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

// TestBuildAddLaterVersionWins checks that a passage given again by a
// later Add replaces the earlier one although Build.Add returns before
// its batches are written: versions 1 of 2,500 passages, then version 2
// of every third of them (some in a batch already in flight, some in the
// batch not yet sent), then version 3 of every ninth.
func TestBuildAddLaterVersionWins(t *testing.T) {
	st := MustStore(t)
	b, err := st.BeginBuild(BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	doc := func(i, v int) Document {
		return Document{
			ID: fmt.Sprintf("p%05d", i), URL: fmt.Sprintf("https://example.gov/%d#s", i), PageURL: fmt.Sprintf("https://example.gov/%d", i),
			Title: "Program", Text: fmt.Sprintf("border training version%d", v), Topics: []string{"police training"},
		}
	}
	const n = 2500
	want := map[string]int{}
	var v1, v2, v3 []Document
	for i := range n {
		v1 = append(v1, doc(i, 1))
		want[doc(i, 1).ID] = 1
		if i%3 == 0 {
			v2 = append(v2, doc(i, 2))
			want[doc(i, 2).ID] = 2
		}
		if i%9 == 0 {
			v3 = append(v3, doc(i, 3))
			want[doc(i, 3).ID] = 3
		}
	}
	ctx := context.Background()
	for _, docs := range [][]Document{v1, v2, v3} {
		if err := b.Add(ctx, docs); err != nil {
			b.Abort()
			t.Fatal(err)
		}
	}
	if err := b.Commit(Generation{Passages: n, Pages: n}, false); err != nil {
		t.Fatal(err)
	}
	ix := MustOpenGeneration(t, st, b.ID)
	for id, v := range want {
		d, err := ix.Get(ctx, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		if w := fmt.Sprintf("border training version%d", v); d.Text != w {
			t.Errorf("Get(%s).Text = %q, want %q", id, d.Text, w)
		}
	}
	for v, total := range map[int]int{1: n - n/3 - 1, 2: n/3 + 1 - (n/9 + 1), 3: n/9 + 1} {
		res, err := ix.Search(ctx, Query{Q: fmt.Sprintf("version%d", v), PerPage: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != total {
			t.Errorf("Search(version%d).Total = %d, want %d", v, res.Total, total)
		}
	}
}

// failingIndex fails every bleve batch after the first ok ones.
type failingIndex struct {
	idx     bleve.Index
	ok      int32
	batches atomic.Int32
}

var errDiskFull = errors.New("no space left on device")

func (f *failingIndex) Batch(b *bleve.Batch) error {
	if f.batches.Add(1) > f.ok {
		return errDiskFull
	}
	return f.idx.Batch(b)
}

func (f *failingIndex) NewBatch() *bleve.Batch { return f.idx.NewBatch() }

func (f *failingIndex) Mapping() mapping.IndexMapping { return f.idx.Mapping() }

// TestBuildBatchErrorReachesCommit checks that the error of a batch written
// in the background is returned by a later Add or by Commit, and that the
// failed build leaves no generation behind.
func TestBuildBatchErrorReachesCommit(t *testing.T) {
	for _, tc := range []struct {
		name string
		adds int // Add calls of 600 passages before Commit
	}{
		{"by Commit", 1},
		{"by a later Add", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := MustStore(t)
			b, err := st.BeginBuild(BuildOptions{})
			if err != nil {
				t.Fatal(err)
			}
			b.w.bi = &failingIndex{idx: b.Index.bi}
			var addErr error
			for a := range tc.adds {
				if addErr = b.Add(context.Background(), genDocs(fmt.Sprint("a", a), "police training", 600)); addErr != nil {
					break
				}
			}
			if tc.adds > 1 && !errors.Is(addErr, errDiskFull) {
				t.Errorf("Add after a failed batch = %v, want %v", addErr, errDiskFull)
			}
			if tc.adds == 1 && addErr != nil {
				t.Fatalf("Add = %v, want the error left to Commit", addErr)
			}
			if err := b.Commit(Generation{Passages: 600 * tc.adds, Pages: 1}, true); !errors.Is(err, errDiskFull) {
				t.Errorf("Commit = %v, want %v", err, errDiskFull)
			}
			if ids := st.list(); len(ids) != 0 {
				t.Errorf("generations left after a failed build: %v", ids)
			}
		})
	}
}

// TestWriterDrainWaits checks that drain returns only once every batch
// is written: the count right after it is the count of distinct ids.
func TestWriterDrainWaits(t *testing.T) {
	ix, err := Create(filepath.Join(t.TempDir(), "index"), Vocabulary{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w := newWriter(ix.bi, 7, 3)
	docs := genDocs("w", "corrections", 100)
	for start := 0; start < len(docs); start += 30 {
		if err := w.add(context.Background(), docs[start:min(start+30, len(docs))], time.Time{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.drain(); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || n != uint64(len(docs)) {
		t.Errorf("Count() after drain = %d, %v; want %d", n, err, len(docs))
	}
}

// TestBuildAddCopiesDocs checks that Build.Add, which encodes and writes
// its documents after it returns, works on a copy: the caller reuses the
// slice for the next passages at once, as the crawl job does, and every
// passage is indexed as it was given.
func TestBuildAddCopiesDocs(t *testing.T) {
	st := MustStore(t)
	b, err := st.BeginBuild(BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	batch := make([]Document, 0, 64)
	const n = 1000
	for i := range n {
		batch = append(batch, Document{ID: fmt.Sprintf("p%04d", i), Title: "passage", Text: fmt.Sprintf("number%d text", i)})
		if len(batch) == cap(batch) || i == n-1 {
			if err := b.Add(ctx, batch); err != nil {
				t.Fatal(err)
			}
			for j := range batch { // what a reused slice holds next
				batch[j] = Document{ID: "overwritten", Text: "overwritten"}
			}
			batch = batch[:0]
		}
	}
	if err := b.Commit(Generation{Passages: n}, false); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(st.IndexPath(b.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, i := range []int{0, 63, 64, 500, n - 1} {
		d, err := ix.Get(ctx, fmt.Sprintf("p%04d", i))
		if err != nil || d == nil || d.Text != fmt.Sprintf("number%d text", i) {
			t.Errorf("passage %d: %+v, %v", i, d, err)
		}
	}
	if _, err := ix.Get(ctx, "overwritten"); err == nil {
		t.Error("a document written into the slice after Add returned was indexed")
	}
}

// TestBuildAddNoID checks that a passage without an id is refused by the
// call of Add that gives it, although Add works in the background.
func TestBuildAddNoID(t *testing.T) {
	st := MustStore(t)
	b, err := st.BeginBuild(BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	if err := b.Add(context.Background(), []Document{{ID: "a"}, {URL: "https://example.gov/x"}}); err == nil {
		t.Fatal("Add of a passage without an id: no error")
	}
}

// TestFingerprintCoversDocument checks that every field of a Document that
// the index holds changes its fingerprint, so that an incremental build
// never keeps a passage whose index form changed: each exported field is
// set in turn on an empty document (reflection, so a new field is covered
// without an edit here). LastSeen equal to the crawl's time is the one
// exception: it is not stored (see fields).
func TestFingerprintCoversDocument(t *testing.T) {
	seen := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	fp := func(d Document) fingerprint {
		enc, err := encodeDoc(&d, seen)
		if err != nil {
			t.Fatal(err)
		}
		return fingerprintOf(&d, enc)
	}
	zero := fp(Document{})
	rt := reflect.TypeFor[Document]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		var d Document
		v := reflect.ValueOf(&d).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString("x")
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Slice:
			v.Set(reflect.MakeSlice(f.Type, 1, 1))
			if e := v.Index(0); e.Kind() == reflect.String {
				e.SetString("x")
			} else {
				e.Set(reflect.ValueOf(1).Convert(e.Type()))
			}
		case reflect.Map:
			m := reflect.MakeMap(f.Type)
			val := reflect.New(f.Type.Elem()).Elem()
			if val.Kind() == reflect.String {
				val.SetString("x")
			} else {
				val.Set(reflect.ValueOf([]string{"x"}))
			}
			m.SetMapIndex(reflect.ValueOf("topic"), val)
			v.Set(m)
		case reflect.Struct:
			v.Set(reflect.ValueOf(time.Date(2025, 5, 6, 0, 0, 0, 0, time.UTC)))
		default:
			t.Fatalf("field %s: kind %s not covered by this test", f.Name, v.Kind())
		}
		if fp(d) == zero {
			t.Errorf("field %s set: fingerprint unchanged", f.Name)
		}
	}
	if fp(Document{LastSeen: seen}) != zero {
		t.Error("LastSeen equal to the crawl's time changed the fingerprint")
	}
	if fp(Document{Text: "a\xffb"}) == fp(Document{Text: "a\uFFFDb"}) {
		t.Error("a text with invalid UTF-8 and its repaired form share a fingerprint (the repaired one would be kept)")
	}
}
