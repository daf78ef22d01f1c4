package crawl

import (
	"slices"
	"testing"
	"time"
)

func TestLinks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, body string
		want             []string
	}{
		{"relative and absolute", "http://example.org/dir/page.html",
			`<a href="other.html">x</a><a href="/root">r</a><a href="https://example.net/x">n</a>`,
			[]string{"http://example.org/dir/other.html", "http://example.org/root", "https://example.net/x"}},
		{"fragments and duplicates", "http://example.org/",
			`<a href="/a#one">1</a><a href="/a#two">2</a><a href="#top">t</a>`,
			[]string{"http://example.org/a", "http://example.org/"}},
		{"other schemes dropped", "http://example.org/",
			`<a href="mailto:x@example.org">m</a><a href="javascript:void(0)">j</a><a href="ftp://x/">f</a><a href="tel:1">t</a>`,
			nil},
		{"base element", "http://example.org/dir/",
			`<head><base href="http://example.org/other/"></head><a href="p">p</a>`,
			[]string{"http://example.org/other/p"}},
		{"area and entities", "http://example.org/",
			`<map><area href="/map?a=1&amp;b=2"></map><a name="x">no href</a><link href="/style.css">`,
			[]string{"http://example.org/map?a=1&b=2"}},
		{"broken markup", "http://example.org/",
			`<div><a href="/ok">ok</a><table></td><a href='/also'`,
			[]string{"http://example.org/ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Links(tt.base, []byte(tt.body)); !slices.Equal(got, tt.want) {
				t.Errorf("Links(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"7", 7 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"999999", 999999 * time.Second, true},
		{"Sun, 01 Jun 2025 12:00:10 GMT", 10 * time.Second, true},
		{"Sunday, 01-Jun-25 12:01:00 GMT", time.Minute, true},
		{"Sun, 01 Jun 2025 11:00:00 GMT", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestRetryDelay(t *testing.T) {
	t.Parallel()
	cfg := Config{RetryBase: time.Second, ThrottleBase: time.Minute}.withDefaults()
	now := time.Now()
	if d, skip := retryDelay(cfg, &fetchError{status: 500}, 0, now); skip || d < 900*time.Millisecond || d > 1100*time.Millisecond {
		t.Errorf("500 attempt 0: %v, %v; want about 1s", d, skip)
	}
	if d, _ := retryDelay(cfg, &fetchError{status: 500}, 2, now); d < 3600*time.Millisecond || d > 4400*time.Millisecond {
		t.Errorf("500 attempt 2: %v; want about 4s (doubling)", d)
	}
	if d, _ := retryDelay(cfg, &fetchError{status: 429, retryAfter: "garbage"}, 0, now); d < 54*time.Second {
		t.Errorf("429 without a usable Retry-After: %v; want about 60s", d)
	}
	if d, _ := retryDelay(cfg, &fetchError{status: 503, retryAfter: "7"}, 3, now); d != 7*time.Second {
		t.Errorf("503 Retry-After 7: %v; want 7s", d)
	}
	if _, skip := retryDelay(cfg, &fetchError{status: 503, retryAfter: "90000"}, 0, now); !skip {
		t.Errorf("Retry-After 25h: skip = false, want true (above the 24h cap)")
	}
	if d, _ := retryDelay(cfg, &fetchError{status: 500}, 60, now); d > cfg.MaxRetryAfter {
		t.Errorf("attempt 60: %v, want at most %v", d, cfg.MaxRetryAfter)
	}
}
