package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// mixed is the query set of E1: plain words, phrases, prefixes, facet
// filters, sorting and pages 1–5, snippets (highlighting) always on.
var mixed = []url.Values{
	{"q": {"police training"}},
	{"q": {"money laundering"}, "page": {"2"}},
	{"q": {`"rule of law"`}},
	{"q": {"corruption"}, "country": {"Mexico", "Peru"}},
	{"q": {"traffick*"}},
	{"q": {"border security"}, "topic": {"maritime security"}, "page": {"3"}},
	{"q": {"prison reform"}, "sort": {"date"}},
	{"q": {""}, "region": {"Western Hemisphere"}, "page": {"5"}},
	{"q": {"UNODC"}, "per_page": {"20"}},
	{"q": {"justice"}, "organization": {"United Nations Office on Drugs and Crime"}, "page": {"4"}},
	{"q": {"drug demand reduction"}, "year_from": {"2010"}, "year_to": {"2020"}},
	{"q": {"cocaine OR heroin"}, "type": {"fact sheet"}},
	{"q": {"AML"}, "country": {"Afghanistan"}},
	{"q": {"extradition -Mexico"}},
}

// bombs are the hostile queries of C3 in our query language.
var bombs = []url.Values{
	{"q": {"*"}}, {"q": {"/.*/"}}, {"q": {"/(a+)+$/"}}, {"q": {"/[a-z]{1,1000}/"}}, {"q": {"a*b*c*d*e*"}},
	{"q": {"??????"}}, {"q": {"foo~10"}}, {"q": {strings.Repeat("ba* OR co* OR de* OR fi* OR ", 20)}},
	{"q": {"/" + strings.Repeat("a", 5000) + "/"}}, {"q": {strings.Repeat("(", 40) + "x" + strings.Repeat(")", 40)}},
	{"q": {"traffick* launder* corrupt* extradit* prosecut* narcot*"}}, {"q": {""}, "per_page": {"100"}, "page": {"100"}},
}

// newClient is an HTTP client with its own pool of up to conns keep-alive
// connections.
func newClient(conns int) *http.Client { return newClientFrom(conns, "") }

// newClientFrom is newClient with connections from the local address ip
// (another address of 127.0.0.0/8 is another client for the server).
func newClientFrom(conns int, ip string) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second}
	if ip != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(ip)}
	}
	tr := &http.Transport{
		DialContext:         d.DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// stats collects the outcome of requests.
type stats struct {
	mu        sync.Mutex
	lat       []time.Duration // 2xx
	shedLat   []time.Duration // 503 overloaded
	codes     map[int]int
	transport int
	firstErr  string
	badShed   int // a 503 without Retry-After: 1
}

func newStats() *stats { return &stats{codes: map[int]int{}} }

func (s *stats) add(code int, d time.Duration, err error, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.transport++
		if s.firstErr == "" {
			s.firstErr = err.Error()
		}
		return
	}
	s.codes[code]++
	switch {
	case code/100 == 2:
		s.lat = append(s.lat, d)
	case code == 503:
		s.shedLat = append(s.shedLat, d)
		if retryAfter != "1" {
			s.badShed++
		}
	}
}

func (s *stats) total() (n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.codes {
		n += c
	}
	return n + s.transport
}

func (s *stats) non2xx() (n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c, k := range s.codes {
		if c/100 != 2 {
			n += k
		}
	}
	return n
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func (s *stats) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%d answered (codes %v), %d transport errors; 2xx p50 %s p95 %s p99 %s",
		len(s.lat)+len(s.shedLat), s.codes, s.transport,
		ms(percentile(s.lat, .50)), ms(percentile(s.lat, .95)), ms(percentile(s.lat, .99)))
}

func ms(d time.Duration) string { return d.Round(100 * time.Microsecond).String() }

// get sends one search and records it.
func get(ctx context.Context, c *http.Client, base, path string, v url.Values, st *stats) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path+"?"+v.Encode(), nil)
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			st.add(0, 0, err, "")
		}
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	st.add(resp.StatusCode, time.Since(start), nil, resp.Header.Get("Retry-After"))
}

// run sends queries from n workers until ctx ends.
func run(ctx context.Context, c *http.Client, base string, n int, queries []url.Values, st *stats) {
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for ctx.Err() == nil {
				v := queries[rng.IntN(len(queries))]
				path := "/api/v1/search"
				if rng.IntN(5) == 0 {
					path = "/search" // the HTML page, now and then
				}
				get(ctx, c, base, path, v, st)
			}
		})
	}
	wg.Wait()
}

// rssKiB reads VmRSS of pid.
func rssKiB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// sampler samples RSS every second until stopped.
type sampler struct {
	mu      sync.Mutex
	samples []int64
	stop    chan struct{}
	done    chan struct{}
}

func sample(pid int) *sampler {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			s.mu.Lock()
			s.samples = append(s.samples, rssKiB(pid))
			s.mu.Unlock()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) end() []int64 {
	close(s.stop)
	<-s.done
	return s.samples
}

var totalRE = regexp.MustCompile(`goroutine profile: total (\d+)`)

// goroutines reads the server's goroutine count from its debug listener.
func goroutines(debug string) int {
	if debug == "" {
		return -1
	}
	resp, err := http.Get(debug + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	m := totalRE.FindSubmatch(b)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// settle waits until the server's goroutines are back within 5 of base.
func settle(debug string, base int) int {
	n := goroutines(debug)
	for deadline := time.Now().Add(15 * time.Second); n > base+5 && time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		n = goroutines(debug)
	}
	return n
}
