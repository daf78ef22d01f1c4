package search

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestKeepPolicy publishes generations a day apart and checks which ones
// each policy keeps: the newest N, those within the age, and a generation
// cited within 30 days whatever its age; the current and previous always.
func TestKeepPolicy(t *testing.T) {
	st := MustStore(t)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	if got := st.Keep(); got.Generations != DefaultKeepGenerations || got.For != 0 {
		t.Fatalf("Keep() with no policy = %+v, want the defaults", got)
	}
	if err := st.SetKeep(KeepPolicy{Generations: 100}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 6 {
		now = now.Add(24 * time.Hour)
		id, err := publish(st, genDocs("g", "aviation", 3+i), false)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	listed := func() []string {
		var got []string
		for _, g := range st.Generations() {
			got = append(got, g.ID)
		}
		slices.Reverse(got)
		return got
	}
	if got := listed(); !slices.Equal(got, ids) {
		t.Fatalf("Generations() = %v, want %v (newest first)", got, ids)
	}
	// Cited 10 days before now: kept for 30 days after that.
	if err := st.MarkCited(ids[0], now.Add(-10*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkCited("20000101T000000Z-00000000", now); !errors.Is(err, ErrGenerationGone) {
		t.Errorf("MarkCited(unknown) = %v, want ErrGenerationGone", err)
	}
	// Keep the 2 newest and those of the last 3 days (ids[3] is 2 days old, ids[2] 3: not within).
	if err := st.SetKeep(KeepPolicy{Generations: 2, For: 3 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	removed := st.Prune()
	if want := []string{ids[2], ids[1]}; !slices.Equal(removed, want) {
		t.Errorf("Prune() removed %v, want %v", removed, want)
	}
	if got, want := listed(), []string{ids[0], ids[3], ids[4], ids[5]}; !slices.Equal(got, want) {
		t.Errorf("after Prune, Generations() = %v, want %v", got, want)
	}
	if _, err := st.Generation(ids[1]); !errors.Is(err, ErrGenerationGone) {
		t.Errorf("Generation(pruned) = %v, want ErrGenerationGone", err)
	}
	if _, err := st.Generation("../x"); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Generation(../x) = %v, want ErrBadQuery", err)
	}
	// 31 days after the citation, the cited generation goes too.
	now = now.Add(21 * 24 * time.Hour)
	if removed := st.Prune(); !slices.Contains(removed, ids[0]) {
		t.Errorf("Prune() 31 days after the citation removed %v, want %s among them", removed, ids[0])
	}
}
