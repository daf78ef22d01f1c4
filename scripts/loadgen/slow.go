package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// slow is E4: 500 slowloris connections (a header line every 4 s, never
// the end), 500 idle keep-alive connections, a normal client meanwhile, and
// a 100 MiB POST to the admin route.
func slow(o options, r *report) {
	const n = 500
	readHeaderTimeout := 5 * time.Second
	fmt.Printf("E4 slow clients: %d slowloris, %d idle keep-alive, a normal client, a 100 MiB POST\n", n, n)
	g0 := goroutines(o.debug)
	u, _ := url.Parse(o.base)
	addr := u.Host

	var wg sync.WaitGroup
	closedAfter := make([]time.Duration, n)
	for i := range n {
		wg.Go(func() { closedAfter[i] = slowloris(addr) })
	}
	idle := make([]net.Conn, 0, n)
	var idleMu sync.Mutex
	var idleWG sync.WaitGroup
	idleErrs := 0
	for range n {
		idleWG.Go(func() {
			c, err := idleConn(addr)
			idleMu.Lock()
			defer idleMu.Unlock()
			if err != nil {
				idleErrs++
				return
			}
			idle = append(idle, c)
		})
	}
	idleWG.Wait()

	normal := newStats()
	nc := newClient(1)
	ctx, cancel := context.WithTimeout(context.Background(), readHeaderTimeout+3*time.Second)
	run(ctx, nc, o.base, 1, mixed, normal)
	cancel()
	nc.CloseIdleConnections()
	wg.Wait()

	var worst time.Duration
	open := 0
	for _, d := range closedAfter {
		if d < 0 {
			open++
		}
		worst = max(worst, d)
	}
	r.check(open == 0 && worst <= readHeaderTimeout+1500*time.Millisecond,
		"every slowloris connection closed by the server at ReadHeaderTimeout %s (latest after %s, %d never closed)", readHeaderTimeout, worst.Round(10*time.Millisecond), open)
	r.check(idleErrs == 0, "%d idle keep-alive connections opened and answered (%d failed)", len(idle), idleErrs)
	r.info("normal client during the attack: %s", normal.summary())
	r.check(normal.transport == 0 && normal.non2xx() == 0 && normal.total() > 0, "the normal client sees no error (%v, %d transport errors)", normal.codes, normal.transport)
	still := 0
	for _, c := range idle {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); err != nil && isTimeout(err) {
			still++
		}
		c.Close()
	}
	r.info("%d of %d idle connections still open after %s (IdleTimeout is 60 s; its closing is tested in web.TestSlowClients)", still, len(idle), readHeaderTimeout+3*time.Second)

	for _, chunked := range []bool{false, true} {
		code, sent, err := bigPost(o.base, o.token, 100<<20, chunked)
		how := "with Content-Length"
		if chunked {
			how = "chunked, with the token"
		}
		r.check(err == nil && code == 413 && sent < 16<<20, "100 MiB POST /api/v1/reindex %s: %d (want 413), %d MiB sent before the answer%s", how, code, sent>>20, errText(err))
	}
	g1 := settle(o.debug, g0)
	r.check(g0 >= 0 && g1 <= g0+5, "goroutines back to baseline ±5: %d after, %d before", g1, g0)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return " (" + err.Error() + ")"
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// slowloris sends a request's headers one line every 4 s and never ends
// them; it returns how long the server kept the connection (-1: never
// closed within 20 s).
func slowloris(addr string) time.Duration {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return -1
	}
	defer c.Close()
	start := time.Now()
	closed := make(chan time.Duration, 1)
	go func() {
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err := io.Copy(io.Discard, c)
		if err != nil && isTimeout(err) {
			closed <- -1
			return
		}
		closed <- time.Since(start)
	}()
	_, _ = io.WriteString(c, "GET /api/v1/search?q=slow HTTP/1.1\r\nHost: x\r\n")
	t := time.NewTicker(4 * time.Second)
	defer t.Stop()
	for k := 0; ; k++ {
		select {
		case d := <-closed:
			return d
		case <-t.C:
			_, _ = fmt.Fprintf(c, "X-Slow-%d: %s\r\n", k, strings.Repeat("s", 8))
		}
	}
}

// idleConn sends one request on a keep-alive connection, reads the answer
// and leaves the connection open.
func idleConn(addr string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		c.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	_ = c.SetDeadline(time.Time{})
	return c, nil
}

// zeros yields n zero bytes and counts what was read.
type zeros struct {
	mu   sync.Mutex
	left int64
	read int64
}

func (z *zeros) Read(p []byte) (int, error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.left == 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.left)
	clear(p[:k])
	z.left -= k
	z.read += k
	return int(k), nil
}

// bigPost sends a body of size bytes to the admin route; it returns the
// status and how much of the body was sent.
func bigPost(base, token string, size int64, chunked bool) (int, int64, error) {
	body := &zeros{left: size}
	req, _ := http.NewRequest("POST", base+"/api/v1/reindex", io.NopCloser(body))
	if !chunked {
		req.ContentLength = size
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Do(req)
	body.mu.Lock()
	sent := body.read
	body.mu.Unlock()
	if err != nil {
		return 0, sent, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, sent, nil
}
