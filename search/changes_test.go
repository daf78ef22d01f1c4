package search

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLiveChanges(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	first := genDocs("p", "aviation", 6) // p-000…p-005, countries Mexico, Peru, Ghana in turn
	for i := range first {
		first[i].ChangedAt, first[i].FirstSeen = now.Add(-time.Hour), now.Add(-time.Hour)
	}
	a := MustPublish(t, st, first, false)
	now = now.Add(24 * time.Hour)
	second := genDocs("p", "aviation", 6)
	for i := range second {
		second[i].ChangedAt, second[i].FirstSeen = first[i].ChangedAt, first[i].FirstSeen
	}
	second[1].Text = "Alpha program p passage 1 on border control, training and aviation."
	second[1].ChangedAt = now.Add(-time.Hour)
	second = append(second[:4], second[5:]...) // p-004 removed
	extra := genDocs("q", "aviation", 1)[0]    // q-000 new, Mexico
	extra.ChangedAt, extra.FirstSeen = now.Add(-time.Hour), now.Add(-time.Hour)
	second = append(second, extra)
	b := MustPublish(t, st, second, false)
	l, err := OpenLive(st.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	ch, err := l.Changes(ctx, Query{Q: "alpha"}, a)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Since.ID != a || ch.Current.ID != b || ch.New != 1 || ch.Changed != 1 || ch.Removed != 1 {
		t.Fatalf("Changes(since %s) = since %s, current %s, %d new, %d changed, %d removed; want 1 each", a, ch.Since.ID, ch.Current.ID, ch.New, ch.Changed, ch.Removed)
	}
	kinds := map[string]Change{}
	for _, p := range ch.Pages {
		for _, c := range p.Changes {
			if c.Hit.PageURL != p.PageURL {
				t.Errorf("change %s listed under page %s", c.Hit.ID, p.PageURL)
			}
			kinds[c.Hit.ID] = c
		}
	}
	if c := kinds["p-001"]; c.Kind != ChangeChanged || c.Previous != first[1].Text || c.Hit.Text != second[1].Text {
		t.Errorf("p-001 = %+v, want changed with its previous text", c)
	}
	if kinds["p-004"].Kind != ChangeRemoved || kinds["q-000"].Kind != ChangeNew || len(kinds) != 3 {
		t.Errorf("changes = %+v", kinds)
	}
	// Filters apply: Mexico holds p-000, p-003 and q-000 (new) now; p-001 is Peru.
	ch, err = l.Changes(ctx, Query{Filters: map[string][]string{FacetCountry: {"mexico"}}}, a)
	if err != nil || ch.New != 1 || ch.Changed != 0 || ch.Removed != 0 {
		t.Errorf("Changes(country Mexico) = %+v, %v; want the new passage only", ch, err)
	}
	// A time: the newest generation built by then.
	ch, err = l.Changes(ctx, Query{}, now.Add(-time.Minute).Format(time.RFC3339))
	if err != nil || ch.Since.ID != a || ch.Removed != 1 {
		t.Errorf("Changes(since a time) = %+v, %v", ch, err)
	}
	if _, err := l.Changes(ctx, Query{}, "2020-01-01T00:00:00Z"); !errors.Is(err, ErrGenerationGone) {
		t.Errorf("Changes(since before every kept generation) = %v, want ErrGenerationGone", err)
	}
	for _, bad := range []string{"", "2026-02-30T00:00:00Z", "../x"} {
		if _, err := l.Changes(ctx, Query{}, bad); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Changes(since %q) = %v, want ErrBadQuery", bad, err)
		}
	}
	// Against itself: nothing.
	if ch, err := l.Changes(ctx, Query{}, b); err != nil || ch.New+ch.Changed+ch.Removed != 0 {
		t.Errorf("Changes(since the served generation) = %+v, %v", ch, err)
	}
}
