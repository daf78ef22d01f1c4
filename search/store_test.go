package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// genDocs returns n passages of generation tag, each about topic.
func genDocs(tag, topic string, n int) []Document {
	docs := make([]Document, n)
	for i := range docs {
		docs[i] = Document{
			ID: fmt.Sprintf("%s-%03d", tag, i), URL: fmt.Sprintf("https://example.gov/%s/%d#s", tag, i),
			PageURL: fmt.Sprintf("https://example.gov/%s/%d", tag, i), Title: "Program " + tag,
			Text:   fmt.Sprintf("Alpha program %s passage %d on border control and training.", tag, i),
			Topics: []string{topic}, Countries: []string{[]string{"Mexico", "Peru", "Ghana"}[i%3]},
		}
	}
	return docs
}

// MustPublish builds, checks and publishes a generation holding docs.
func MustPublish(tb testing.TB, st *Store, docs []Document, force bool) string {
	tb.Helper()
	id, err := publish(st, docs, force)
	if err != nil {
		tb.Fatalf("publish: %v", err)
	}
	return id
}

func publish(st *Store, docs []Document, force bool) (string, error) {
	b, err := st.Begin(Vocabulary{})
	if err != nil {
		return "", err
	}
	if err := b.Index.Add(context.Background(), docs); err != nil {
		b.Abort()
		return "", err
	}
	return b.ID, b.Commit(Generation{Passages: len(docs), Pages: len(docs)}, force)
}

func MustStore(tb testing.TB) *Store {
	tb.Helper()
	st, err := NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestStoreGenerations(t *testing.T) {
	st := MustStore(t)
	if err := st.SetKeep(KeepPolicy{Generations: 2}); err != nil {
		t.Fatal(err)
	}
	a := MustPublish(t, st, genDocs("a", "aviation", 10), false)
	b := MustPublish(t, st, genDocs("b", "aviation", 10), false)
	if cur, prev, err := st.Pointer(); err != nil || cur != b || prev != a {
		t.Fatalf("Pointer() = %s, %s, %v; want %s, %s", cur, prev, err, b, a)
	}
	if g, err := st.Info(b); err != nil || g.ID != b || g.Passages != 10 {
		t.Errorf("Info(%s) = %+v, %v", b, g, err)
	}

	// A partial generation (a crawl that died) and a temporary file survive
	// publication and are removed by CleanPartial; the oldest complete
	// generation is pruned (the policy keeps two).
	partial := filepath.Join(st.Dir, generationsDir, "20000101T000000Z-dead")
	if err := os.MkdirAll(filepath.Join(partial, "index"), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(st.Dir, ".tmp-123")
	if err := os.WriteFile(tmp, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := MustPublish(t, st, genDocs("c", "aviation", 10), false)
	if _, err := os.Stat(st.genPath(a)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("generation %s (N-2) not pruned: %v", a, err)
	}
	if _, err := os.Stat(partial); err != nil {
		t.Errorf("Commit removed a partial generation: %v", err)
	}
	if removed := st.CleanPartial(); len(removed) != 1 || removed[0] != filepath.Base(partial) {
		t.Errorf("CleanPartial() = %v, want the partial generation", removed)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("CleanPartial left %s", tmp)
	}
	for _, id := range []string{b, c} {
		if _, err := st.Info(id); err != nil {
			t.Errorf("generation %s lost: %v", id, err)
		}
	}
}

func TestCommitRefusesShrinkUnlessForced(t *testing.T) {
	st := MustStore(t)
	a := MustPublish(t, st, genDocs("a", "aviation", 10), false)
	id, err := publish(st, genDocs("b", "aviation", 4), false)
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("Commit of 4 after 10 passages = %v, want a CheckError", err)
	}
	if cur, _, _ := st.Pointer(); cur != a {
		t.Errorf("pointer moved to %s after a refused commit", cur)
	}
	if _, err := os.Stat(st.genPath(id)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused generation left on disk: %v", err)
	}
	forced := MustPublish(t, st, genDocs("b", "aviation", 4), true)
	if cur, _, _ := st.Pointer(); cur != forced {
		t.Errorf("forced commit not published")
	}
	if _, err := publish(st, nil, true); !errors.As(err, &ce) {
		t.Errorf("Commit of an empty generation = %v, want a CheckError", err)
	}
}
