package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"sync"
	"time"
)

// steady is E1: o.conns connections of mixed queries for o.dur.
func steady(o options, r *report) {
	fmt.Printf("E1 steady load: %d connections, %s, mixed queries (%d CPUs, GOMAXPROCS of the server: its own)\n", o.conns, o.dur, runtime.NumCPU())
	g0 := goroutines(o.debug)
	client := newClient(o.conns)
	st := newStats()
	smp := sample(o.pid)
	ctx, cancel := context.WithTimeout(context.Background(), o.dur)
	run(ctx, client, o.base, o.conns, mixed, st)
	cancel()
	rss := smp.end()
	client.CloseIdleConnections()
	g1 := settle(o.debug, g0)

	r.info("%s", st.summary())
	r.info("%.0f requests/s", float64(st.total())/o.dur.Seconds())
	r.check(st.transport == 0, "0 transport errors (got %d%s)", st.transport, firstErr(st))
	r.check(st.non2xx() == 0, "0 non-2xx answers (got %d: %v)", st.non2xx(), st.codes)
	early, last := plateau(rss, o.dur)
	r.check(early > 0 && float64(last) <= 1.3*float64(early), "RSS plateaus: %d MiB at the end ≤ 1.3 × %d MiB at %s (samples %v MiB)",
		last>>10, early>>10, (o.dur / 6).Round(time.Second), mib(rss))
	r.check(g0 >= 0 && g1 <= g0+5, "goroutines back to baseline ±5: %d after, %d before", g1, g0)
	p99 := percentile(st.lat, .99)
	if err := saveState(o.stateFile, state{P99: p99, Plateau: last}); err != nil {
		r.check(false, "save state: %v", err)
	}
}

// plateau returns the RSS sample at a sixth of the run (at least 3 s in)
// and the last one.
func plateau(rss []int64, d time.Duration) (early, last int64) {
	if len(rss) == 0 {
		return 0, 0
	}
	i := max(3, int((d / 6).Seconds()))
	return rss[min(i, len(rss)-1)], rss[len(rss)-1]
}

func mib(kib []int64) []int64 {
	out := make([]int64, len(kib))
	for i, k := range kib {
		out[i] = k >> 10
	}
	return out
}

func firstErr(st *stats) string {
	if st.firstErr == "" {
		return ""
	}
	return ": " + st.firstErr
}

// sentinelHit reports whether a search for the sentinel word of tag finds
// the sentinel passage.
func sentinelHit(base, tag string) (bool, error) {
	resp, err := http.Get(base + "/api/v1/search?" + url.Values{"q": {"sentinel" + tag}}.Encode())
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return false, fmt.Errorf("status %d", resp.StatusCode)
	}
	var res struct {
		Hits []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return false, err
	}
	return len(res.Hits) > 0 && res.Hits[0].ID == "sentinel-"+tag, nil
}

// swap is E2: the steady load while a new generation is built and
// published, until the server swaps to it and 3 s more.
func swap(o options, r *report) {
	fmt.Printf("E2 load during a re-index and swap: %d connections until generation %q is served (at most %s)\n", o.conns, o.sentinel, o.maxWait)
	prev, err := loadState(o.stateFile)
	if err != nil {
		r.check(false, "read the steady phase's numbers: %v", err)
		return
	}
	g0 := goroutines(o.debug)
	client := newClient(o.conns)
	st := newStats()
	smp := sample(o.pid)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { run(ctx, client, o.base, o.conns, mixed, st) })
	start := time.Now()
	var swappedAt time.Duration
	for time.Since(start) < o.maxWait {
		if ok, _ := sentinelHit(o.base, o.sentinel); ok {
			swappedAt = time.Since(start)
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(3 * time.Second)
	cancel()
	wg.Wait()
	rss := smp.end()
	client.CloseIdleConnections()
	g1 := settle(o.debug, g0)

	r.info("%s", st.summary())
	r.check(swappedAt > 0, "the new generation is served (sentinel-%s found %s after the start)", o.sentinel, swappedAt.Round(time.Millisecond))
	oldStill, _ := sentinelHit(o.base, o.old)
	r.check(!oldStill, "the old generation is gone (no sentinel-%s)", o.old)
	r.check(st.transport == 0, "0 transport errors (got %d%s)", st.transport, firstErr(st))
	r.check(st.non2xx() == 0, "0 non-2xx answers (got %d: %v)", st.non2xx(), st.codes)
	p99 := percentile(st.lat, .99)
	r.check(p99 <= 3*prev.P99, "p99 %s ≤ 3 × the steady p99 %s", ms(p99), ms(prev.P99))
	var peak int64
	for _, k := range rss {
		peak = max(peak, k)
	}
	r.check(peak <= 2*prev.Plateau, "peak RSS %d MiB ≤ 2 × the steady plateau %d MiB (two generations open at the swap)", peak>>10, prev.Plateau>>10)
	r.check(g0 >= 0 && g1 <= g0+5, "goroutines back to baseline ±5: %d after, %d before", g1, g0)
}

// flood is E3: 1,000 connections at once, then 32 clients of bomb queries
// beside one well-behaved client.
func flood(o options, r *report) {
	prev, err := loadState(o.stateFile)
	if err != nil {
		r.check(false, "read the steady phase's numbers: %v", err)
		return
	}
	g0 := goroutines(o.debug)
	d := max(o.dur/2, 8*time.Second)
	fmt.Printf("E3 overload: 1000 connections for %s\n", d)
	client := newClient(1000)
	st := newStats()
	smp := sample(o.pid)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	run(ctx, client, o.base, 1000, mixed, st)
	cancel()
	rss := smp.end()
	client.CloseIdleConnections()
	r.info("%s", st.summary())
	shed := st.codes[503]
	r.check(st.transport == 0, "0 transport errors (got %d%s)", st.transport, firstErr(st))
	r.check(st.codes[200]+shed == st.total(), "only 200 and 503 answers (%v)", st.codes)
	r.check(shed > 0 && st.badShed == 0, "excess searches shed: %d × 503 overloaded, all with Retry-After: 1 (%d without)", shed, st.badShed)
	// 1,000 clients that ignore Retry-After keep the CPUs busy with 503s:
	// latency here is the CPU's queue. Most 503s must not have waited for a
	// slot (the waiting room is full), and none past the 2 s wait.
	p50, p99 := percentile(st.shedLat, .50), percentile(st.shedLat, .99)
	r.check(shed > 0 && p50 < 500*time.Millisecond && p99 < 3*time.Second,
		"the 503 comes without waiting for a slot: p50 %s < 500ms, p99 %s < 2 s wait + 1 s", ms(p50), ms(p99))
	var peak int64
	for _, k := range rss {
		peak = max(peak, k)
	}
	r.check(peak <= 2*prev.Plateau, "RSS bounded: peak %d MiB ≤ 2 × the steady plateau %d MiB", peak>>10, prev.Plateau>>10)

	fmt.Printf("E3 expensive-query flood: 32 clients of C3 bombs beside one well-behaved client (from 127.0.0.2), %s\n", d)
	wb := newClientFrom(1, "127.0.0.2")
	alone := newStats()
	ctx, cancel = context.WithTimeout(context.Background(), 3*time.Second)
	run(ctx, wb, o.base, 1, mixed, alone)
	cancel()
	bombSt, wbSt := newStats(), newStats()
	bc := newClient(32)
	ctx, cancel = context.WithTimeout(context.Background(), d)
	var wg sync.WaitGroup
	wg.Go(func() { run(ctx, bc, o.base, 32, bombs, bombSt) })
	run(ctx, wb, o.base, 1, mixed, wbSt)
	wg.Wait()
	cancel()
	bc.CloseIdleConnections()
	wb.CloseIdleConnections()
	r.info("bombs: %v, %d transport errors", bombSt.codes, bombSt.transport)
	r.info("well-behaved alone: %s", alone.summary())
	r.info("well-behaved in the flood: %s", wbSt.summary())
	other := 0
	for c, n := range bombSt.codes {
		if c != 200 && c != 400 && c != 503 {
			other += n
		}
	}
	r.check(bombSt.transport == 0 && other == 0, "bombs get 200, 400 or 503 only (%v, %d transport errors)", bombSt.codes, bombSt.transport)
	r.check(bombSt.codes[400] > 0, "bombs over a limit get 400 (%d)", bombSt.codes[400])
	r.check(wbSt.transport == 0 && wbSt.non2xx() == 0, "the well-behaved client gets only 2xx (%v)", wbSt.codes)
	base99, flood99 := percentile(alone.lat, .99), percentile(wbSt.lat, .99)
	r.check(flood99 <= 5*base99, "its p99 %s ≤ 5 × its p99 alone %s", ms(flood99), ms(base99))
	g1 := settle(o.debug, g0)
	r.check(g0 >= 0 && g1 <= g0+5, "goroutines back to baseline ±5: %d after, %d before", g1, g0)
	if b, err := os.ReadFile("/proc/" + fmt.Sprint(o.pid) + "/status"); err != nil || len(b) == 0 {
		r.check(false, "the server is alive after the flood")
	}
}
