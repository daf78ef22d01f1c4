package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// replica is the check of scripts/replica.sh: searches run against a replica
// from o.conns connections while the builder (o.builder) publishes a new
// generation and the replica pulls it; it waits (at most o.maxWait) until the
// replica serves the builder's new generation, searches on for 2 s more,
// and checks that not one search failed.
func replica(o options, r *report) {
	g0, err := servedGeneration(o.base)
	if err != nil || g0 == "" {
		r.check(false, "the replica serves a generation before the load (%q, %v)", g0, err)
		return
	}
	fmt.Printf("replica swap under load: %d connections on the replica (serving %s) until it serves the builder's next generation\n", o.conns, g0)
	client := newClient(o.conns)
	st := newStats()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		run(ctx, client, o.base, o.conns, mixed, st)
		close(done)
	}()
	start := time.Now()
	var want, got string
	for time.Since(start) < o.maxWait {
		time.Sleep(100 * time.Millisecond)
		b, err := servedGeneration(o.builder)
		if err != nil || b == g0 {
			continue
		}
		want = b
		if got, _ = servedGeneration(o.base); got == want {
			break
		}
	}
	swapped := time.Since(start)
	time.Sleep(2 * time.Second)
	cancel()
	<-done
	client.CloseIdleConnections()
	r.info("%s", st.summary())
	r.check(want != "" && got == want, "the replica swapped from %s to the builder's new generation %s after %s (serving %q)", g0, want, swapped.Round(100*time.Millisecond), got)
	r.check(st.transport == 0, "0 transport errors (got %d%s)", st.transport, firstErr(st))
	r.check(st.non2xx() == 0 && st.total() > 0, "0 failed searches: %d answered, all 2xx (%v)", st.total(), st.codes)
}

// servedGeneration returns the id of the generation a server serves.
func servedGeneration(base string) (string, error) {
	resp, err := http.Get(base + "/api/v1/status")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var s struct {
		Generation *struct {
			ID string `json:"id"`
		} `json:"generation"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return "", err
	}
	if s.Generation == nil {
		return "", nil
	}
	return s.Generation.ID, nil
}
