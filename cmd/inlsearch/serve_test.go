package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/search"
)

// MustServe runs serve on cfg.Data until the test ends and returns its base URL.
func MustServe(tb testing.TB, data string) string {
	tb.Helper()
	return mustServeConfig(tb, &Config{Data: data, LogLevel: "error"}, nil)
}

// publishDocs builds and publishes a generation of n passages tagged tag,
// through a Store of its own, as another process would.
func publishDocs(tb testing.TB, data, tag string, n int) string {
	tb.Helper()
	st, err := search.NewStore(data)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := st.Begin(search.Vocabulary{})
	if err != nil {
		tb.Fatal(err)
	}
	docs := make([]search.Document, n)
	for i := range docs {
		docs[i] = search.Document{
			ID: fmt.Sprintf("%s-%03d", tag, i), URL: fmt.Sprintf("https://example.gov/%s/%d#a", tag, i),
			PageURL: fmt.Sprintf("https://example.gov/%s/%d", tag, i), Title: "Program " + tag,
			Text:      fmt.Sprintf("Alpha program %s passage %d on port control.", tag, i),
			Countries: []string{[]string{"Mexico", "Peru", "Ghana"}[i%3]}, Topics: []string{"container and port control"},
		}
	}
	if err := b.Index.Add(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	if err := b.Commit(search.Generation{Passages: n, Pages: n}, true); err != nil {
		tb.Fatal(err)
	}
	return b.ID
}

// apiAnswer sums up an API search answer: total, hit ids, country counts.
func apiAnswer(body []byte) (string, error) {
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return "", err
	}
	var parts []string
	for _, h := range res.Hits {
		parts = append(parts, h.ID)
	}
	for _, v := range res.Facets["country"] {
		parts = append(parts, fmt.Sprintf("%s:%d", v.Value, v.Count))
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d|%s", res.Total, strings.Join(parts, ",")), nil
}

// TestServeSwapsToAnotherProcessGeneration: a server picks up, within a
// few seconds, a generation published by another process, while 16 clients
// search without a single error or an answer mixing two generations.
func TestServeSwapsToAnotherProcessGeneration(t *testing.T) {
	data := t.TempDir()
	publishDocs(t, data, "a", 30)
	base := MustServe(t, data)
	target := base + "/api/v1/search?" + url.Values{"q": {"alpha"}, "country": {"Mexico", "Peru"}, "per_page": {"5"}}.Encode()
	var shed atomic.Int64
	get := func() (string, error) {
		resp, err := http.Get(target)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusServiceUnavailable && bytes.Contains(body, []byte(`"overloaded"`)) {
			// The server sheds load beyond 2×GOMAXPROCS searches at once, as
			// designed; a client retries. Not a failure of the swap.
			shed.Add(1)
			time.Sleep(time.Millisecond)
			return "", errShed
		}
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("status %d: %s", resp.StatusCode, body)
		}
		return apiAnswer(body)
	}
	ansA, err := get()
	if err != nil {
		t.Fatal(err)
	}
	// B's answer, from B alone in a folder of its own.
	other := t.TempDir()
	publishDocs(t, other, "b", 45)
	ansB, err := func() (string, error) {
		l, err := search.OpenLive(other)
		if err != nil {
			return "", err
		}
		defer l.Close()
		q := search.Query{Q: "alpha", Filters: map[string][]string{"country": {"Mexico", "Peru"}}, Page: 1, PerPage: 5}
		res, err := l.Search(context.Background(), q)
		if err != nil {
			return "", err
		}
		body, _ := json.Marshal(res)
		return apiAnswer(body)
	}()
	if err != nil || ansA == ansB {
		t.Fatalf("answer of B = %q, %v (A: %q)", ansB, err, ansA)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var n, sawB atomic.Int64
	var bad sync.Map
	for range 16 {
		wg.Go(func() {
			for ctx.Err() == nil {
				ans, err := get()
				n.Add(1)
				switch {
				case errors.Is(err, errShed):
				case err != nil:
					bad.Store("error: "+err.Error(), true)
				case ans == ansB:
					sawB.Add(1)
				case ans != ansA:
					bad.Store("mixed: "+ans, true)
				}
			}
		})
	}
	time.Sleep(100 * time.Millisecond)
	published := time.Now()
	publishDocs(t, data, "b", 45)
	for sawB.Load() == 0 && time.Since(published) < 15*time.Second {
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(published)
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	bad.Range(func(k, _ any) bool {
		t.Errorf("%v", k)
		return true
	})
	if sawB.Load() == 0 {
		t.Fatalf("the server never served the new generation (%d searches)", n.Load())
	}
	t.Logf("%d searches (%d shed for load); swapped %s after publication", n.Load(), shed.Load(), took.Round(time.Millisecond))
}

var errShed = errors.New("shed")

// TestCronCrawlBesideServe: `inlsearch crawl` publishes while `serve` runs;
// the server swaps, and its status shows the generation and the cron job's
// counts, job-wide and per host. A second concurrent crawl is refused.
func TestCronCrawlBesideServe(t *testing.T) {
	site := httptest.NewServer(corpus.Handler())
	t.Cleanup(site.Close)
	data := t.TempDir()
	ctx := context.Background()
	crawl := func() (int, string) {
		var out, errb bytes.Buffer
		code := run(ctx, []string{"crawl", "--data", data, "--seed", site.URL + "/", "--delay", "1ms", "--log-level", "error"}, &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := crawl(); code != 0 {
		t.Fatalf("first crawl: exit %d\n%s", code, out)
	}
	base := MustServe(t, data)
	first := mustStatus(t, base)
	if first.Generation == nil || first.LastJob == nil || first.LastJob.State != "succeeded" || first.LastJob.Counts["new"] == 0 {
		t.Fatalf("status after the first crawl = %+v", first)
	}

	lock, err := indexer.AcquireLock(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, out := crawl()
	lock.Release()
	if code != 1 || !strings.Contains(out, "already running") {
		t.Errorf("crawl beside a held lock: exit %d\n%s", code, out)
	}

	if code, out := crawl(); code != 0 {
		t.Fatalf("second crawl: exit %d\n%s", code, out)
	}
	var st statusJSON
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if st = mustStatus(t, base); st.Generation != nil && st.Generation.ID != first.Generation.ID {
			break
		}
	}
	if st.Generation == nil || st.Generation.ID == first.Generation.ID {
		t.Fatalf("the server did not swap to the cron crawl's generation: %+v", st.Generation)
	}
	c := st.LastJob.Counts
	if st.LastJob.ID == first.LastJob.ID || c["parsed"] != 0 || c["unchanged"] != first.LastJob.Counts["new"] || c["new"] != 0 {
		t.Errorf("status of the unchanged re-crawl: %+v, want every page unchanged, none parsed", st.LastJob)
	}
	if len(st.LastJob.Hosts) != 1 || st.LastJob.Hosts[0].Counts["unchanged"] != c["unchanged"] {
		t.Errorf("per-host counts = %+v", st.LastJob.Hosts)
	}
	if st.Generation.Passages != first.Generation.Passages || st.Generation.Pages == 0 {
		t.Errorf("generation %+v, want the %d passages of the first", st.Generation, first.Generation.Passages)
	}
	resp, err := http.Get(base + "/status")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), st.LastJob.Hosts[0].Host) || !strings.Contains(string(page), "unchanged") {
		t.Errorf("GET /status = %d, want the per-host counts:\n%s", resp.StatusCode, page)
	}
}

type statusJSON struct {
	Generation *struct {
		ID       string    `json:"id"`
		BuiltAt  time.Time `json:"built_at"`
		Passages int       `json:"passages"`
		Pages    int       `json:"pages"`
	} `json:"generation"`
	LastJob *struct {
		ID     string         `json:"id"`
		State  string         `json:"state"`
		Counts map[string]int `json:"counts"`
		Hosts  []struct {
			Host   string         `json:"host"`
			Counts map[string]int `json:"counts"`
		} `json:"hosts"`
	} `json:"last_job"`
}

func mustStatus(t *testing.T, base string) statusJSON {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st statusJSON
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}
