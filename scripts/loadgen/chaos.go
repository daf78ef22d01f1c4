package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// fingerprint prints "passages sha256 generation health" of what the server
// serves: every passage id, paged through the API in browse order, sorted
// and hashed (RELIABILITY.md D1–D3); health is ok, degraded or the status.
func fingerprint(o options) error {
	var ids []string
	for page := 1; ; page++ {
		resp, err := http.Get(fmt.Sprintf("%s/api/v1/search?q=&per_page=100&page=%d", o.base, page))
		if err != nil {
			return err
		}
		var res struct {
			Total int `json:"total"`
			Hits  []struct {
				ID string `json:"id"`
			} `json:"hits"`
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return fmt.Errorf("page %d: status %d: %v", page, resp.StatusCode, err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if page*100 >= res.Total {
			break
		}
	}
	sort.Strings(ids)
	sum := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	var st struct {
		Generation *struct {
			ID string `json:"id"`
		} `json:"generation"`
	}
	if resp, err := http.Get(o.base + "/api/v1/status"); err == nil {
		_ = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
	}
	gen := "none"
	if st.Generation != nil {
		gen = st.Generation.ID
	}
	health := "unknown"
	if resp, err := http.Get(o.base + "/healthz"); err == nil {
		var h struct {
			Status string `json:"status"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		health = h.Status
		if resp.StatusCode != 200 {
			health = fmt.Sprint(resp.StatusCode)
		}
	}
	fmt.Printf("%d %s %s %s\n", len(ids), hex.EncodeToString(sum[:8]), gen, health)
	return nil
}

// sigterm is D8: 32 clients search, a re-index is started, then the server
// gets SIGTERM. Answers must all be 200 or 503 overloaded; the only errors
// allowed are refused connections once the listener is closed; the process
// must be gone within the shutdown grace.
func sigterm(o options, r *report) {
	fmt.Printf("D8 SIGTERM during 32 concurrent searches and a re-index\n")
	client := newClient(32)
	st := newStats()
	var refused, cut atomic.Int64
	var firstCut sync.Once
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				v := mixed[(w+i)%len(mixed)]
				req, _ := http.NewRequestWithContext(ctx, "GET", o.base+"/api/v1/search?"+v.Encode(), nil)
				start := time.Now()
				resp, err := client.Do(req)
				switch {
				case err != nil && ctx.Err() != nil:
				case err != nil && strings.Contains(err.Error(), "connection refused"):
					refused.Add(1)
					time.Sleep(10 * time.Millisecond)
				case err != nil:
					cut.Add(1)
					firstCut.Do(func() { r.info("cut: %v", err) })
				default:
					buf := make([]byte, 32<<10)
					for {
						if _, err := resp.Body.Read(buf); err != nil {
							break
						}
					}
					resp.Body.Close()
					st.add(resp.StatusCode, time.Since(start), nil, resp.Header.Get("Retry-After"))
				}
			}
		})
	}
	time.Sleep(time.Second)
	req, _ := http.NewRequest("POST", o.base+"/api/v1/reindex", nil)
	req.Header.Set("Authorization", "Bearer "+o.token)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	r.check(err == nil && resp.StatusCode == 202, "re-index started (202)")
	time.Sleep(time.Second)
	sent := time.Now()
	if err := syscall.Kill(o.pid, syscall.SIGTERM); err != nil {
		r.check(false, "SIGTERM: %v", err)
	}
	gone := time.Duration(-1)
	for time.Since(sent) < 30*time.Second {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", o.pid)); err != nil {
			gone = time.Since(sent)
			break
		}
		if b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", o.pid)); strings.Contains(string(b), ") Z ") {
			gone = time.Since(sent) // a zombie: exited, waiting for the script to reap it
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	r.info("%s; %d refused after the listener closed", st.summary(), refused.Load())
	r.check(gone >= 0 && gone <= 11*time.Second, "the process ended %s after SIGTERM (grace 10 s)", gone.Round(time.Millisecond))
	other := st.total() - st.codes[200] - st.codes[503] - st.transport
	r.check(st.codes[200] > 0 && other == 0 && st.badShed == 0, "every answer is 200 or 503 overloaded (%v)", st.codes)
	r.check(cut.Load() == 0, "no search cut midway (%d)", cut.Load())
}
