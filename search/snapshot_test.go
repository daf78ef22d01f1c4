package search

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestLiveNamedGeneration answers a search, a passage and an export from a
// kept generation other than the served one, before and after a swap, and
// refuses a pruned one with ErrGenerationGone.
func TestLiveNamedGeneration(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	a := MustPublish(t, st, genDocs("a", "aviation", 4), false)
	b := MustPublish(t, st, genDocs("b", "aviation", 5), false)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	check := func(gen, prefix string, total int) {
		t.Helper()
		res, err := l.Search(ctx, Query{Q: "alpha", Generation: gen})
		if err != nil {
			t.Fatalf("Search(gen=%s): %v", gen, err)
		}
		want := gen
		if want == "" {
			want = l.Current().ID
		}
		if res.Generation != want || res.Total != total || !strings.HasPrefix(res.Hits[0].ID, prefix) {
			t.Errorf("Search(gen=%s) = generation %s, total %d, first %s; want %s, %d, %s…", gen, res.Generation, res.Total, res.Hits[0].ID, want, total, prefix)
		}
	}
	check("", "b-", 5)
	check(a, "a-", 4)
	check(b, "b-", 5)
	if d, err := l.GetAt(ctx, a, "a-001"); err != nil || d.ID != "a-001" {
		t.Errorf("GetAt(%s, a-001) = %v, %v", a, d, err)
	}
	if _, err := l.GetAt(ctx, a, "b-001"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetAt(%s, b-001) = %v, want ErrNotFound", a, err)
	}
	if st.Cited(a).IsZero() {
		t.Errorf("a search naming %s did not record its citation", a)
	}

	// A third generation is published and served: a and b stay answerable.
	c := MustPublish(t, st, genDocs("c", "aviation", 6), false)
	if swapped, err := l.Reload(); !swapped || err != nil {
		t.Fatalf("Reload() = %v, %v", swapped, err)
	}
	check("", "c-", 6)
	check(b, "b-", 5)
	check(a, "a-", 4)
	p, err := l.Compile(ExportQuery(Query{Q: "alpha", Generation: a}))
	if err != nil {
		t.Fatal(err)
	}
	var info ExportInfo
	n, err := l.ExportPlan(ctx, p, func(i ExportInfo) error { info = i; return nil }, func(Hit) error { return nil })
	p.Release()
	if err != nil || n != 4 || info.Generation != a {
		t.Errorf("export of %s = %d hits, generation %s, %v", a, n, info.Generation, err)
	}
	_ = c

	// Pruned: gone, also while it is still open.
	if err := os.RemoveAll(st.genPath(a)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Search(ctx, Query{Q: "alpha", Generation: a}); !errors.Is(err, ErrGenerationGone) {
		t.Errorf("Search(pruned %s) = %v, want ErrGenerationGone", a, err)
	}
	if _, err := l.Search(ctx, Query{Q: "alpha", Generation: "nope/.."}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Search(malformed gen) = %v, want ErrBadQuery", err)
	}
}
