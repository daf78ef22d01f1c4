package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
)

// phraseAnswer is what a phrase search found: each hit's score and the
// positions of its text locations.
type phraseAnswer map[string]string

func runPhrase(tb testing.TB, bi bleve.Index, q query.Query) phraseAnswer {
	tb.Helper()
	return runPhraseWith(tb, bi, q, phraseRun{locs: true})
}

// phraseRun is how runPhraseWith searches: with term locations or not,
// bleve's score mode, and (ids) within those passages only, as
// pageLocations searches a page's.
type phraseRun struct {
	locs  bool
	score string
	ids   []string
}

func runPhraseWith(tb testing.TB, bi bleve.Index, q query.Query, o phraseRun) phraseAnswer {
	tb.Helper()
	ctx := context.Background()
	if o.ids != nil {
		q = query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(o.ids), q})
		ctx = withPageIDs(ctx, o.ids)
	}
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	req.IncludeLocations = o.locs
	req.Score = o.score
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		tb.Fatal(err)
	}
	out := phraseAnswer{}
	for _, h := range res.Hits {
		var pos []string
		// bleve's phrase searcher reports locations unasked; ours only
		// when the search asks for them (the main search does not).
		for term, ls := range h.Locations[fieldText] {
			if !o.locs {
				break
			}
			for _, l := range ls {
				pos = append(pos, fmt.Sprintf("%s@%d:%d-%d", term, l.Pos, l.Start, l.End))
			}
		}
		sort.Strings(pos)
		out[h.ID] = fmt.Sprintf("%.12f %s", h.Score, strings.Join(pos, " "))
	}
	return out
}

// TestPhraseMatchesBleve: phraseQuery2 finds, scores and locates exactly
// what bleve's MultiPhraseQuery does, for phrases with repeated words,
// stop-word gaps and alternatives at one offset, on an index of several
// segments with deleted passages.
func TestPhraseMatchesBleve(t *testing.T) {
	t.Parallel()
	words := strings.Fields("police court judge prison border drug police court the of and training")
	r := rand.New(rand.NewPCG(3, 4))
	var docs []Document
	for i := range 1300 { // several segments
		n := 3 + r.IntN(25)
		ws := make([]string, n)
		for j := range ws {
			ws[j] = words[r.IntN(len(words))]
		}
		title := "alpha"
		if i%3 == 0 {
			title = "beta"
		}
		docs = append(docs, Document{ID: fmt.Sprintf("d%03d", i), Title: title, Text: strings.Join(ws, " ")})
	}
	ix, _ := mustSegmentedIndex(t, docs, 97) // and deleted passages in them
	if n := segmentCount(ix.bi); n < 2 {
		t.Fatalf("the index has %d segment, want several", n)
	}
	a, err := textAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	phrases := []string{"police court", "court police", "police police", "judge of the prison",
		"drug and border", "police court judge", "training", "court court court", "border the drug"}
	for _, ph := range phrases {
		p := analyze(a, ph)
		cases := map[string][][]string{ph: p}
		if len(p) >= 2 {
			alt := append([][]string(nil), p...)
			alt[1] = append([]string{"prison"}, alt[1]...)
			cases[ph+" (alternatives)"] = alt
		}
		for name, terms := range cases {
			t.Run(name, func(t *testing.T) {
				bq := query.NewMultiPhraseQuery(terms, fieldText)
				bq.SetBoost(1.7)
				want := runPhrase(t, ix.bi, bq)
				got := runPhrase(t, ix.bi, &phraseQuery2{terms: terms, field: fieldText, boost: 1.7})
				if len(want) == 0 && ph != "court court court" {
					t.Fatalf("bleve finds nothing for %q: a useless case", ph)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("phrase %v (-bleve +ours):\n%s", terms, diff)
				}
				// Without locations (the main search), unscored (the
				// matches of a filtered search) and within a page's
				// passages (its snippets' locations: ours is told the ids).
				ids := []string{"d007", "d100", "d101", "d150", "d299"}
				// Inside a conjunction, which advances the phrase to
				// the passages of one title.
				inTitle := query.NewTermQuery("alpha")
				inTitle.SetField(fieldTitle)
				want = runPhrase(t, ix.bi, query.NewConjunctionQuery([]query.Query{inTitle, bq}))
				got = runPhrase(t, ix.bi, query.NewConjunctionQuery([]query.Query{inTitle, &phraseQuery2{terms: terms, field: fieldText, boost: 1.7}}))
				if len(want) == 0 && ph != "court court court" {
					t.Fatalf("bleve finds nothing for %q in a conjunction", ph)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("phrase %v in a conjunction (-bleve +ours):\n%s", terms, diff)
				}
				for name, o := range map[string]phraseRun{"no locations": {}, "unscored": {score: "none"}, "page": {locs: true, ids: ids}} {
					bo := o
					bo.ids = nil
					var bq query.Query = bq
					if o.ids != nil {
						bq = query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), bq})
					}
					want := runPhraseWith(t, ix.bi, bq, bo)
					got := runPhraseWith(t, ix.bi, &phraseQuery2{terms: terms, field: fieldText, boost: 1.7}, o)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("phrase %v, %s (-bleve +ours):\n%s", terms, name, diff)
					}
				}
			})
		}
	}
}

// TestBitmapCandsAdvance checks that the candidates read from bitmaps go
// to the first candidate at or after a target, across segments.
func TestBitmapCandsAdvance(t *testing.T) {
	segs := [][]uint32{{1, 5, 9}, nil, {0, 2, 7}}
	offsets := []uint64{0, 10, 20}
	var all []uint64
	c := &bitmapCands{offsets: offsets}
	for i, s := range segs {
		if s == nil {
			c.bms = append(c.bms, nil)
			continue
		}
		c.bms = append(c.bms, roaring.BitmapOf(s...))
		for _, d := range s {
			all = append(all, offsets[i]+uint64(d))
		}
	}
	ctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(10, 0)}
	for _, target := range []uint64{0, 3, 5, 6, 12, 20, 21, 22, 27, 28, 40} {
		c.seg, c.it = 0, nil
		d, err := c.Advance(ctx, index.NewIndexInternalID(nil, target))
		if err != nil {
			t.Fatal(err)
		}
		want := slices.IndexFunc(all, func(n uint64) bool { return n >= target })
		switch {
		case want < 0 && d != nil:
			t.Errorf("Advance(%d) = %d, want none", target, d.IndexInternalID.Value())
		case want >= 0 && (d == nil || d.IndexInternalID.Value() != all[want]):
			t.Errorf("Advance(%d) = %v, want %d", target, d, all[want])
		}
	}
}
