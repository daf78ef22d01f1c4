package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"
)

// MustExport runs an export of q on ix and returns the ids of its hits.
func MustExport(tb testing.TB, ix interface {
	Export(context.Context, Query, func(ExportInfo) error, func(Hit) error) (int, error)
}, q Query) (ids []string, info ExportInfo) {
	tb.Helper()
	begun := 0
	n, err := ix.Export(context.Background(), q, func(i ExportInfo) error {
		begun++
		info = i
		return nil
	}, func(h Hit) error {
		ids = append(ids, h.ID)
		return nil
	})
	if err != nil {
		tb.Fatalf("Export(%+v): %v", q, err)
	}
	if n != len(ids) || begun != 1 || info.Total != n {
		tb.Fatalf("Export(%+v) = %d hits, begin called %d times with total %d, fn called %d times", q, n, begun, info.Total, len(ids))
	}
	return ids, info
}

// pageIDs returns the ids of page page (100 hits a page) of q and the total.
func pageIDs(tb testing.TB, ix *Index, q Query, page int) ([]string, int) {
	tb.Helper()
	q.Page, q.PerPage, q.NoFacets = page, 100, true
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("Search(%+v): %v", q, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, res.Total
}

// windowDocs returns n tiny passages (cheap to index) of varied scores and dates.
func windowDocs(n int) []Document {
	docs := make([]Document, n)
	for i := range docs {
		docs[i] = Document{
			ID: fmt.Sprintf("m-%05d", i), Text: []string{"alpha", "alpha border", "alpha alpha", "border"}[i%4],
			Countries: []string{[]string{"Mexico", "Peru", "Ghana"}[i%3]},
			Published: time.Date(2000+i%7, 1, 1, 0, 0, 0, 0, time.UTC),
		}
	}
	return docs
}

func TestExportPastTheResultWindow(t *testing.T) {
	t.Parallel()
	const n = 10200
	ix := MustReadOnly(t, windowDocs(n))
	// Deep pages of a sorted search are slow under the race detector on a
	// loaded machine: the test is about order, not the 2 s deadline.
	ix.SetLimits(Limits{Deadline: time.Minute})
	for _, q := range []Query{{Q: "alpha OR border"}, {}, {Q: "alpha OR border", Sort: SortDate}} {
		t.Run(q.Q+"/"+q.Sort, func(t *testing.T) {
			t.Parallel()
			ids, info := MustExport(t, ix, q)
			if len(ids) != n || info.Generation != "" {
				t.Fatalf("export holds %d hits (generation %q), want all %d", len(ids), info.Generation, n)
			}
			seen := make(map[string]bool, len(ids))
			for _, id := range ids {
				if seen[id] {
					t.Fatalf("%s exported twice", id)
				}
				seen[id] = true
			}
			// The first page, the last page of the window: the same hits in the same order.
			for _, page := range []int{1, 57, 100} {
				want, total := pageIDs(t, ix, q, page)
				if total != len(ids) {
					t.Errorf("Search total %d, export %d", total, len(ids))
				}
				if diff := cmp.Diff(want, ids[(page-1)*100:page*100]); diff != "" {
					t.Errorf("page %d differs from the export (-search +export):\n%s", page, diff)
				}
			}
		})
	}
}

func TestExportOrderIsSearchOrder(t *testing.T) {
	t.Parallel()
	docs := benchDocs(600)
	for i := range docs {
		docs[i].FirstSeen = time.Date(2024, 1, 1+i%40, 0, 0, 0, 0, time.UTC)
		if i%7 == 0 {
			docs[i].Published = time.Time{} // undated passages sort last
		}
	}
	writable := MustIndex(t, testVocabulary, docs)
	readOnly := MustReadOnly(t, docs)
	mexico := map[string][]string{FacetCountry: {"Mexico", "peru"}}
	for _, q := range []Query{
		{Q: "police training"},
		{Q: "cocaine OR heroin"},
		{Q: `"money laundering"`},
		{Q: "traffick*"},
		{Q: "AML"},
		{},
		{Sort: SortDate},
		{Q: "police", Sort: SortDate},
		{Q: "courts", Sort: SortFirstSeen},
		{Q: "police", Filters: mexico},
		{Q: "police", Filters: mexico, Sort: SortDate},
		{Filters: map[string][]string{FacetTopic: {"corruption"}}, YearFrom: 2008, YearTo: 2012},
		{Q: "prisons -youth", YearFrom: 2010},
		{Q: "nosuchword"},
	} {
		for name, ix := range map[string]*Index{"writable": writable, "read-only": readOnly} {
			t.Run(fmt.Sprintf("%s/%s/%s/%v", name, q.Q, q.Sort, q.Filters), func(t *testing.T) {
				t.Parallel()
				got, _ := MustExport(t, ix, q)
				var want []string
				for page := 1; ; page++ {
					ids, total := pageIDs(t, ix, q, page)
					want = append(want, ids...)
					if len(ids) < 100 || len(want) >= total {
						if total != len(got) {
							t.Errorf("Search total %d, export %d", total, len(got))
						}
						break
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("export differs from Search's pages (-search +export):\n%s", diff)
				}
			})
		}
	}
}

func TestExportStaysOnItsGeneration(t *testing.T) {
	t.Parallel()
	st := MustStore(t)
	first := MustPublish(t, st, genDocs("a", "aviation", 300), false)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	paused, resume := make(chan struct{}), make(chan struct{})
	type result struct {
		ids  []string
		info ExportInfo
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		_, r.err = l.Export(context.Background(), Query{Q: "alpha"}, func(i ExportInfo) error {
			r.info = i
			return nil
		}, func(h Hit) error {
			r.ids = append(r.ids, h.ID)
			if len(r.ids) == 1 {
				close(paused)
				<-resume
			}
			return nil
		})
		done <- r
	}()
	<-paused
	second := MustPublish(t, st, genDocs("b", "aviation", 300), true)
	if swapped, err := l.Reload(); !swapped || err != nil {
		t.Fatalf("Reload() = %v, %v", swapped, err)
	}
	res, err := l.Search(context.Background(), Query{Q: "alpha"})
	if err != nil || !strings.HasPrefix(res.Hits[0].ID, "b-") || l.Status().Generation.ID != second {
		t.Fatalf("after the swap, Search = %v, %v; want generation %s", res, err, second)
	}
	close(resume)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.info.Generation != first || r.info.Total != 300 || len(r.ids) != 300 {
		t.Fatalf("export of generation %q, total %d, %d hits; want %s, 300, 300", r.info.Generation, r.info.Total, len(r.ids), first)
	}
	for _, id := range r.ids {
		if !strings.HasPrefix(id, "a-") {
			t.Fatalf("hit %s of the new generation in an export of the first", id)
		}
	}
	// The next export reads the new generation.
	if ids, info := MustExport(t, l, Query{Q: "alpha"}); info.Generation != second || len(ids) != 300 || !strings.HasPrefix(ids[0], "b-") {
		t.Errorf("next export: generation %q, %d hits, first %s", info.Generation, len(ids), ids[0])
	}
}

func TestExportStops(t *testing.T) {
	t.Parallel()
	ix := MustReadOnly(t, genDocs("s", "aviation", 500))
	nop := func(Hit) error { return nil }

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		calls := 0
		n, err := ix.Export(ctx, Query{Q: "alpha"}, nil, func(Hit) error {
			if calls++; calls == 10 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) || n >= 500 || calls >= 500 {
			t.Errorf("Export after cancel = %d, %v after %d hits; want context.Canceled well before 500", n, err, calls)
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		begun := false
		if _, err := ix.Export(ctx, Query{Q: "alpha"}, func(ExportInfo) error { begun = true; return nil }, nop); !errors.Is(err, context.Canceled) || begun {
			t.Errorf("Export on a cancelled context = %v, begun %v", err, begun)
		}
	})
	t.Run("fn error", func(t *testing.T) {
		stop := errors.New("client gone")
		calls := 0
		n, err := ix.Export(context.Background(), Query{}, nil, func(Hit) error { calls++; return stop })
		if !errors.Is(err, stop) || n != 0 || calls != 1 {
			t.Errorf("Export = %d, %v after %d calls; want the fn error at once", n, err, calls)
		}
	})
	t.Run("begin error", func(t *testing.T) {
		stop := errors.New("headers")
		calls := 0
		if _, err := ix.Export(context.Background(), Query{}, func(ExportInfo) error { return stop }, func(Hit) error { calls++; return nil }); !errors.Is(err, stop) || calls != 0 {
			t.Errorf("Export = %v after %d hits; want the begin error and no hit", err, calls)
		}
	})
	for _, tt := range []struct {
		name string
		q    Query
		want error
	}{
		{"bad sort", Query{Sort: "size"}, ErrBadQuery},
		{"bad filter", Query{Filters: map[string][]string{"colour": {"red"}}}, ErrBadFilter},
		{"bad query", Query{Q: `"unclosed`}, ErrBadQuery},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ix.Export(context.Background(), tt.q, func(ExportInfo) error {
				t.Error("begin called")
				return nil
			}, nop); !errors.Is(err, tt.want) {
				t.Errorf("Export(%+v) = %v, want %v", tt.q, err, tt.want)
			}
		})
	}
}

func TestExportCap(t *testing.T) {
	t.Parallel()
	ix := MustReadOnly(t, genDocs("c", "aviation", 300))
	ix.SetLimits(Limits{MaxExport: 120})
	if _, err := ix.Export(context.Background(), Query{}, func(ExportInfo) error {
		t.Error("begin called")
		return nil
	}, func(Hit) error { return nil }); !errors.Is(err, ErrExportTooLarge) || !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), "120") {
		t.Errorf("export of 300 hits under a cap of 120 = %v, want ErrExportTooLarge", err)
	}
	// At the cap, everything.
	if ids, _ := MustExport(t, ix, Query{Filters: map[string][]string{FacetCountry: {"Mexico"}}}); len(ids) != 100 {
		t.Errorf("export under the cap holds %d hits, want 100", len(ids))
	}
	if got := exportLimit(Limits{}); got != DefaultMaxExport {
		t.Errorf("default cap %d, want %d", got, DefaultMaxExport)
	}
}

func TestExportHitsCarryTheDocument(t *testing.T) {
	t.Parallel()
	docs := genDocs("d", "aviation", 3)
	docs[1].FirstSeen = time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	docs[1].ChangedAt = docs[1].FirstSeen.Add(time.Hour)
	docs[1].LastSeen = docs[1].FirstSeen.Add(2 * time.Hour)
	ix := MustReadOnly(t, docs)
	var got []Hit
	if _, err := ix.Export(context.Background(), Query{Q: "passage"}, nil, func(h Hit) error {
		got = append(got, h)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d hits, want 3", len(got))
	}
	for _, h := range got {
		var want Document
		for _, d := range docs {
			if d.ID == h.ID {
				want = d
			}
		}
		if diff := cmp.Diff(want, h.Document); diff != "" {
			t.Errorf("hit %s (-indexed +exported):\n%s", h.ID, diff)
		}
		if h.Snippet != "" || h.Score <= 0 {
			t.Errorf("hit %s: snippet %q, score %v; want no snippet and the score", h.ID, h.Snippet, h.Score)
		}
	}
}

func BenchmarkExport(b *testing.B) {
	ix := MustReadOnly(b, benchDocs(5000))
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"browse", Query{}},
		{"term", Query{Q: "police"}},
		{"date", Query{Q: "police", Sort: SortDate}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				var err error
				if n, err = ix.Export(ctx, bc.q, nil, func(Hit) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "hits/op")
		})
	}
}

func TestCloseStopsExports(t *testing.T) {
	t.Parallel()
	st := MustStore(t)
	MustPublish(t, st, genDocs("a", "aviation", 200), false)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	closedUnderLock := func() bool {
		l.exportsMu.Lock()
		defer l.exportsMu.Unlock()
		return l.closed
	}
	paused := make(chan struct{})
	calls := 0
	done := make(chan error, 1)
	go func() {
		_, err := l.Export(context.Background(), Query{}, nil, func(Hit) error {
			if calls++; calls == 1 {
				close(paused)
				for !closedUnderLock() { // Close has cancelled the export
					runtime.Gosched()
				}
			}
			return nil
		})
		done <- err
	}()
	<-paused
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("export after Close = %v after %d hits; want context.Canceled after 1", err, calls)
	}
	if _, err := l.Export(context.Background(), Query{}, nil, func(Hit) error { return nil }); !errors.Is(err, ErrUnavailable) {
		t.Errorf("export on a closed Live = %v, want ErrUnavailable", err)
	}
}

func TestExportOnAlias(t *testing.T) {
	t.Parallel()
	one := MustIndex(t, testVocabulary, genDocs("x", "aviation", 40))
	other := MustIndex(t, testVocabulary, genDocs("y", "aviation", 5))
	eng, err := NewEngine(testVocabulary, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	collect := func(h Hit) error { ids = append(ids, h.ID); return nil }
	if _, err := eng.Export(context.Background(), bleve.NewIndexAlias(one.Bleve()), Query{Q: "alpha"}, nil, collect); err != nil {
		t.Fatal(err)
	}
	if want, _ := MustExport(t, one, Query{Q: "alpha"}); !cmp.Equal(want, ids) {
		t.Errorf("export of an alias of one index = %v, want %v", ids, want)
	}
	// An alias of two indexes has two sets of document numbers.
	if _, err := eng.Export(context.Background(), bleve.NewIndexAlias(one.Bleve(), other.Bleve()), Query{}, nil, collect); err == nil {
		t.Error("export of an alias of two indexes succeeded")
	}
}
