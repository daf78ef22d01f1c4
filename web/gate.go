package web

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// gate admits searches: at most slots at a time, of which at most heavy (a
// quarter) expensive ones and at most perClient from one client address (0: no such
// cap). A search that cannot run at once waits in a room of at most room
// places, for at most wait, first come first served among the searches that
// could run: a cheap search passes expensive ones held back by their cap,
// another client passes a client at its cap. Beyond the room, or after the
// wait, it is refused. So neither a flood of expensive queries nor one
// greedy client can hold every slot (RELIABILITY.md E3).
type gate struct {
	mu          sync.Mutex
	slots       int
	heavy       int
	perClient   int
	room        int // waiting places; 0: none
	wait        time.Duration
	running     int
	runningHigh int            // expensive searches running
	byClient    map[string]int // searches running per client address
	waiters     []*waiter
	// refused counts the searches refused, by reason (metrics)
	refusedFull, refusedWait atomic.Uint64
}

// AdmissionStats is what the admission gate holds now and has refused so far.
type AdmissionStats struct {
	InFlight, Queued int
	// RefusedFull counts searches refused because every waiting place was
	// taken; RefusedWait those that waited their whole time (or whose client
	// went away) without a slot.
	RefusedFull, RefusedWait uint64
}

func (g *gate) stats() AdmissionStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return AdmissionStats{InFlight: g.running, Queued: len(g.waiters),
		RefusedFull: g.refusedFull.Load(), RefusedWait: g.refusedWait.Load()}
}

type waiter struct {
	heavy   bool
	client  string
	ready   chan struct{}
	granted bool
}

func newGate(slots, perClient, room int, wait time.Duration) *gate {
	return &gate{slots: slots, heavy: max(1, slots/4), perClient: perClient, room: room, wait: wait,
		byClient: map[string]int{}}
}

func (g *gate) canRun(heavy bool, client string) bool {
	return g.running < g.slots && (!heavy || g.runningHigh < g.heavy) &&
		(g.perClient <= 0 || g.byClient[client] < g.perClient)
}

func (g *gate) start(heavy bool, client string) {
	g.running++
	if heavy {
		g.runningHigh++
	}
	g.byClient[client]++
}

// enter admits a search of client; ok is false when it is refused. Every
// admitted search must call leave with the same heavy and client.
func (g *gate) enter(ctx context.Context, heavy bool, client string) (ok bool) {
	g.mu.Lock()
	// Waiters that could run have been started by leave: those left are held
	// back by a cap that this search may not share.
	if g.canRun(heavy, client) {
		g.start(heavy, client)
		g.mu.Unlock()
		return true
	}
	if len(g.waiters) >= g.room {
		g.mu.Unlock()
		g.refusedFull.Add(1)
		return false
	}
	w := &waiter{heavy: heavy, client: client, ready: make(chan struct{})}
	g.waiters = append(g.waiters, w)
	g.mu.Unlock()

	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case <-w.ready:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if w.granted { // started while the timer fired
		return true
	}
	for i, x := range g.waiters {
		if x == w {
			g.waiters = append(g.waiters[:i], g.waiters[i+1:]...)
			break
		}
	}
	g.refusedWait.Add(1)
	return false
}

// leave ends an admitted search and starts the waiters that can run now.
func (g *gate) leave(heavy bool, client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.running--
	if heavy {
		g.runningHigh--
	}
	if g.byClient[client]--; g.byClient[client] <= 0 {
		delete(g.byClient, client)
	}
	kept := g.waiters[:0]
	for _, w := range g.waiters {
		if g.canRun(w.heavy, w.client) {
			g.start(w.heavy, w.client)
			w.granted = true
			close(w.ready)
			continue
		}
		kept = append(kept, w)
	}
	clear(g.waiters[len(kept):])
	g.waiters = kept
}

// waiting returns the number of waiting searches (tests).
func (g *gate) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiters)
}
