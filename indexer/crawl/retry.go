package crawl

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date. A date in the
// past gives 0. ok is false for an empty or unreadable value.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		const maxSecs = int64(1<<63-1) / int64(time.Second)
		if secs > maxSecs {
			secs = maxSecs
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// backoff is base doubled per earlier attempt, with ±10% jitter, capped at limit.
func backoff(base time.Duration, attempt int, limit time.Duration) time.Duration {
	d := base
	for range attempt {
		if d >= limit/2 {
			d = limit
			break
		}
		d *= 2
	}
	jitter := 0.9 + 0.2*rand.Float64() //nolint:gosec // jitter needs no cryptographic randomness
	d = time.Duration(float64(d) * jitter)
	return min(d, limit)
}

// retryDelay decides the wait before retrying a failed fetch. skip is true when the server
// asked for a wait above MaxRetryAfter: the host is then given up for this run.
func retryDelay(cfg Config, fe *fetchError, attempt int, now time.Time) (wait time.Duration, skip bool) {
	if d, ok := parseRetryAfter(fe.retryAfter, now); ok {
		if d > cfg.MaxRetryAfter {
			return 0, true
		}
		return d, false
	}
	base := cfg.RetryBase
	if fe.status == http.StatusTooManyRequests || fe.status == http.StatusServiceUnavailable {
		base = max(base, cfg.ThrottleBase)
	}
	return backoff(base, attempt, cfg.MaxRetryAfter), false
}
