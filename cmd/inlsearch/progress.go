package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
)

// progressLogEvery is how often a crawl without a terminal (cron) logs where it stands.
const progressLogEvery = 30 * time.Second

// isTerminal reports whether w is a character device (an interactive terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressReporter shows a crawl's progress: a bar redrawn in place on a
// terminal (at most every 200 ms), otherwise a log line every 30 s.
type progressReporter struct {
	mu       sync.Mutex
	w        io.Writer
	log      *slog.Logger
	terminal bool
	every    time.Duration
	now      func() time.Time
	last     time.Time
	drawn    bool
}

func newProgressReporter(stderr io.Writer, log *slog.Logger) *progressReporter {
	p := &progressReporter{w: stderr, log: log, terminal: isTerminal(stderr), every: progressLogEvery, now: time.Now}
	if p.terminal {
		p.every = 200 * time.Millisecond
	}
	return p
}

// update takes a progress report from the crawl (any goroutine).
func (p *progressReporter) update(pr crawl.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Sub(p.last) < p.every {
		return
	}
	if p.last.IsZero() && !p.terminal {
		p.last = now // the first log line comes after a full period
		return
	}
	p.last = now
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", progressLine(pr, now))
		p.drawn = true
		return
	}
	p.log.Info("crawl progress", slog.Int("done", pr.Done), slog.Int("queued", pr.Queued),
		slog.Int("fetched", pr.Fetched), slog.Int("failed", pr.Failed), slog.String("host", pr.Host),
		slog.String("rate", fmt.Sprintf("%.1f pages/s", pr.Rate(now))))
}

// end clears the bar before the summary is printed.
func (p *progressReporter) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// progressLine is one line: a bar of done against done+queued, the counts,
// the current host and the rate.
func progressLine(pr crawl.Progress, now time.Time) string {
	const width = 24
	total := pr.Done + pr.Queued
	filled := 0
	if total > 0 {
		filled = pr.Done * width / total
	}
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	return fmt.Sprintf("[%s] %d/%d  %d fetched  %d failed  %s  %.1f pages/s",
		bar, pr.Done, total, pr.Fetched, pr.Failed, pr.Host, pr.Rate(now))
}
