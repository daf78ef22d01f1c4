package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
)

// TestProgressLogLines: without a terminal, a progress line is logged once
// per period, never more often.
func TestProgressLogLines(t *testing.T) {
	var logs bytes.Buffer
	p := newProgressReporter(&bytes.Buffer{}, slog.New(slog.NewTextHandler(&logs, nil)))
	if p.terminal {
		t.Fatal("a buffer is not a terminal")
	}
	now := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	pr := crawl.Progress{Started: now, Done: 1, Queued: 9, Fetched: 1, Host: "h.example"}
	for i := 0; i < 200; i++ { // 200 pages, one every second
		now = now.Add(time.Second)
		pr.Done, pr.Fetched = i+1, i+1
		p.update(pr)
	}
	if n := strings.Count(logs.String(), "crawl progress"); n != 6 { // at 31 s, 61 s, … 181 s
		t.Errorf("%d progress lines in 200 s, want 6:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "rate=\"1.0 pages/s\"") || !strings.Contains(logs.String(), "host=h.example") {
		t.Errorf("progress line lacks rate or host:\n%s", logs.String())
	}
}

// TestProgressBar: on a terminal the bar is redrawn in place and cleared at the end.
func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	p := newProgressReporter(&out, slog.New(slog.DiscardHandler))
	p.terminal, p.every = true, 200*time.Millisecond
	now := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	p.update(crawl.Progress{Started: now.Add(-10 * time.Second), Done: 25, Queued: 75, Fetched: 20, Failed: 5, Host: "h.example"})
	got := out.String()
	if !strings.HasPrefix(got, "\r\033[K[======") || !strings.Contains(got, "25/100") || !strings.Contains(got, "5 failed") ||
		!strings.Contains(got, "h.example") || !strings.Contains(got, "2.0 pages/s") {
		t.Errorf("bar = %q", got)
	}
	p.end()
	if !strings.HasSuffix(out.String(), "\r\033[K") {
		t.Errorf("bar not cleared at the end: %q", out.String())
	}
}
