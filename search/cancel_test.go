package search

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// TestSearchCancelledMidway: a client that goes away mid-search stops the
// search (context.Canceled, not a timeout), and no goroutine is left (C4).
func TestSearchCancelledMidway(t *testing.T) {
	ix, _ := MustCase(t, "inl")
	entered := make(chan struct{}, 1)
	testHook = func(ctx context.Context) {
		entered <- struct{}{}
		<-ctx.Done()
	}
	defer func() { testHook = nil }()
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ix.Search(ctx, Query{Q: "police", Filters: map[string][]string{FacetCountry: {"Mexico"}}})
		done <- err
	}()
	<-entered
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
			t.Errorf("Search after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled search did not return")
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the cancelled search, %d before", n, before)
	}
}
