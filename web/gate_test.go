package web

import (
	"context"
	"strings"
	"testing"
	"time"
)

// enterAsync enters g in a goroutine and returns the channel of its answer.
func enterAsync(ctx context.Context, g *gate, heavy bool) chan bool {
	return enterAs(ctx, g, heavy, "a")
}

func enterAs(ctx context.Context, g *gate, heavy bool, client string) chan bool {
	ch := make(chan bool, 1)
	go func() { ch <- g.enter(ctx, heavy, client) }()
	return ch
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition never met")
		}
	}
}

func TestGate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := newGate(8, 0, 3, time.Minute) // 8 slots, 2 of them for expensive searches, 3 waiting places
	for _, heavy := range []bool{true, true} {
		if !g.enter(ctx, heavy, "a") {
			t.Fatal("an expensive search refused with slots free")
		}
	}
	h3 := enterAsync(ctx, g, true) // waits: the expensive cap is reached
	waitFor(t, func() bool { return g.waiting() == 1 })
	// Cheap searches pass the waiting expensive one.
	for range 6 {
		if !g.enter(ctx, false, "a") {
			t.Fatal("a cheap search refused with slots free")
		}
	}
	c5 := enterAsync(ctx, g, false)
	waitFor(t, func() bool { return g.waiting() == 2 })
	c6 := enterAsync(ctx, g, false)
	waitFor(t, func() bool { return g.waiting() == 3 })
	// The room is full: refused at once.
	if g.enter(ctx, false, "a") {
		t.Fatal("a search admitted beyond the room")
	}
	// A cheap search ends: the first waiter that can run is the cheap c5.
	g.leave(false, "a")
	if !<-c5 {
		t.Fatal("c5 refused")
	}
	// An expensive one ends: h3, first in line, may run now.
	g.leave(true, "a")
	if !<-h3 {
		t.Fatal("h3 refused")
	}
	select {
	case <-c6:
		t.Fatal("c6 started with no free slot")
	default:
	}
	g.leave(false, "a")
	if !<-c6 {
		t.Fatal("c6 refused")
	}

	// A wait past the limit, or a client gone, ends in a refusal and frees
	// the place.
	short := newGate(1, 0, 2, 20*time.Millisecond)
	if !short.enter(ctx, false, "a") {
		t.Fatal("first search refused")
	}
	if short.enter(ctx, false, "a") {
		t.Error("a search admitted after waiting past the limit")
	}
	short.leave(false, "a")
	if !short.enter(ctx, true, "a") {
		t.Error("the gate did not recover")
	}
	long := newGate(1, 0, 2, time.Minute)
	if !long.enter(ctx, false, "a") {
		t.Fatal("first search refused")
	}
	gone, cancel := context.WithCancel(ctx)
	ch := enterAsync(gone, long, false)
	waitFor(t, func() bool { return long.waiting() == 1 })
	cancel()
	if <-ch {
		t.Error("a search admitted after its client left")
	}
	if n := long.waiting(); n != 0 {
		t.Errorf("%d waiters left", n)
	}
}

// TestGatePerClient: one client holds at most its share of the slots while
// it has more waiting; another client runs at once.
func TestGatePerClient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := newGate(4, 2, 8, time.Minute)
	for range 2 {
		if !g.enter(ctx, false, "greedy") {
			t.Fatal("greedy refused within its share")
		}
	}
	third := enterAs(ctx, g, false, "greedy")
	waitFor(t, func() bool { return g.waiting() == 1 })
	if !g.enter(ctx, false, "polite") {
		t.Fatal("another client waits while slots are free")
	}
	g.leave(false, "greedy")
	if !<-third {
		t.Fatal("greedy's waiter not started within its share")
	}
	g.leave(false, "greedy")
	g.leave(false, "greedy")
	g.leave(false, "polite")
	if len(g.byClient) != 0 || g.running != 0 {
		t.Errorf("gate not empty: %d running, %v", g.running, g.byClient)
	}
}

// TestPerClientCapBehindProxy: the per-client cap counts the client a
// trusted proxy names in X-Forwarded-For; from any other peer, and without
// trusted proxies, the header is ignored, so that sending it cannot dodge
// the cap.
func TestPerClientCapBehindProxy(t *testing.T) {
	t.Parallel()
	const proxy = "10.1.2.3:40000"
	tests := []struct {
		name    string
		trusted []string
		// holder blocks a search; other then searches.
		holderPeer, holderXFF string
		otherPeer, otherXFF   string
		want                  int
	}{
		{"trusted proxy, two clients", []string{"10.0.0.0/8"}, proxy, "203.0.113.1", proxy, "203.0.113.2", 200},
		{"trusted proxy, one client", []string{"10.0.0.0/8"}, proxy, "203.0.113.1", proxy, "203.0.113.1", 503},
		{"trusted proxy, forged entry before the real one", []string{"10.0.0.0/8"},
			proxy, "203.0.113.1", proxy, "198.51.100.9, 203.0.113.1", 503},
		{"trusted proxy given as one address", []string{"10.1.2.3"}, proxy, "203.0.113.1", proxy, "203.0.113.2", 200},
		{"trusted IPv6 proxy", []string{"fd00::/8"}, "[fd00::1]:40000", "2001:db8::1", "[fd00::1]:40000", "2001:db8::2", 200},
		{"no trusted proxy", nil, proxy, "203.0.113.1", proxy, "203.0.113.2", 503},
		{"untrusted peer forges the header", []string{"10.0.0.0/8"},
			"192.0.2.7:5000", "203.0.113.1", "192.0.2.7:5000", "203.0.113.2", 503},
		{"invalid list trusts nobody", []string{"10.0.0.0/8", "not-a-cidr"}, proxy, "203.0.113.1", proxy, "203.0.113.2", 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			entered := make(chan struct{}, 1)
			release := make(chan struct{})
			fake := blockingSearcher("block", entered, release)
			var logs syncBuffer
			h := MustServer(t, Config{MaxInFlight: 4, MaxPerClient: 1, MaxQueued: -1, TrustedProxies: tt.trusted,
				Logger: newTestLogger(&logs)}, fake, nil, nil).Handler()
			held := make(chan int, 1)
			go func() {
				held <- do(t, h, "GET", "/api/v1/search?q=block", nil,
					remoteAddrHeader, tt.holderPeer, "X-Forwarded-For", tt.holderXFF).Code
			}()
			<-entered
			rec := do(t, h, "GET", "/api/v1/search?q=x", nil, remoteAddrHeader, tt.otherPeer, "X-Forwarded-For", tt.otherXFF)
			close(release)
			if rec.Code != tt.want {
				t.Errorf("second search (peer %s, X-Forwarded-For %q) = %d, want %d", tt.otherPeer, tt.otherXFF, rec.Code, tt.want)
			}
			if c := <-held; c != 200 {
				t.Errorf("held search = %d", c)
			}
			if strings.Contains(tt.name, "invalid") && !strings.Contains(logs.String(), "not-a-cidr") {
				t.Errorf("no log line for the invalid list:\n%s", logs.String())
			}
		})
	}
}

func TestCheckTrustedProxies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list []string
		ok   bool
	}{
		{nil, true},
		{[]string{"10.0.0.0/8", "192.0.2.1", "::1", "fd00::/8"}, true},
		{[]string{"10.0.0.0/33"}, false},
		{[]string{"10.0.0"}, false},
		{[]string{"nginx.local"}, false},
		{[]string{""}, false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.list, ","), func(t *testing.T) {
			t.Parallel()
			if err := CheckTrustedProxies(tt.list); (err == nil) != tt.ok {
				t.Errorf("CheckTrustedProxies(%q) = %v, want ok %v", tt.list, err, tt.ok)
			}
		})
	}
}
