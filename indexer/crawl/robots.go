package crawl

import (
	"bytes"
	"context"
	"log/slog"

	"github.com/inlsearch/inlsearch/indexer/robots"
)

// allowed reports whether robots.txt lets us fetch the queued item: its URL as
// it was linked (the path and query as written), else its normalised URL.
func (h *host) allowed(it item) bool {
	return h.rules.Allowed(it.linked())
}

// prepare reads the host's robots.txt (RFC 9309) once for the run, sets its delay and
// queues its sitemaps. A host that cannot be crawled is skipped.
func (r *run) prepare(ctx context.Context, h *host) {
	h.delay = r.cfg.Delay
	robotsURL := h.base.JoinPath("/robots.txt").String()
	data, status, reason := r.fetchRobots(ctx, h, robotsURL)
	if ctx.Err() != nil {
		return
	}
	r.update(func(*Report) { h.rep.Robots = status; h.rep.Delay = h.delay })
	if status == "unavailable" {
		h.rules = robots.DisallowAll
		r.skipHost(h, reason)
		return
	}
	var listed []string
	if data != nil {
		h.rules = data.Agent(r.agent)
		listed = data.Sitemaps
		if cd := h.rules.CrawlDelay; cd > 0 {
			r.update(func(*Report) { h.rep.CrawlDelay = cd })
			if cd > r.cfg.MaxCrawlDelay {
				r.skipHost(h, ReasonCrawlDelayExceedsMax)
				return
			}
			h.delay = max(h.delay, cd)
			r.update(func(*Report) { h.rep.Delay = h.delay })
		}
	}
	r.log.Debug("robots read", slog.String("host", h.key), slog.String("robots", status),
		slog.Duration("delay", h.delay), slog.Int("sitemaps", len(listed)))
	r.queueSitemaps(h, robotsURL, listed)
}

// fetchRobots follows up to five redirects within the scope. Status is "ok", "missing"
// (4xx or no robots.txt: all allowed), "redirect_limit" (treated as missing, RFC 9309
// §2.3.1.2) or "unavailable" (5xx, 429, network error, redirect out of scope: disallow all).
// The reason names why an unavailable host is skipped.
func (r *run) fetchRobots(ctx context.Context, h *host, robotsURL string) (data *robots.File, status, reason string) {
	cur := robotsURL
	for hops := 0; ; hops++ {
		resp, fe := r.get(ctx, h, cur, kindRobots)
		if fe != nil {
			if fe.reason == reasonCanceled {
				return nil, "", ""
			}
			r.log.Warn("robots.txt unavailable", slog.String("url", cur), slog.String("reason", fe.reason),
				slog.Any("error", fe.err))
			if fe.reason == ReasonDestinationBlocked || fe.reason == ReasonRetryAfterExceedsCap {
				return nil, "unavailable", fe.reason
			}
			return nil, "unavailable", ReasonRobotsUnavailable
		}
		switch s := resp.status; {
		case s/100 == 2:
			return parseRobots(resp.body, resp.truncated), "ok", ""
		case s/100 == 4:
			return nil, "missing", ""
		case s/100 != 3 || resp.header.Get("Location") == "":
			return nil, "missing", ""
		}
		if hops >= 5 {
			return nil, "redirect_limit", ""
		}
		target, err := resolveRedirect(cur, resp.header.Get("Location"))
		if err != nil || !r.inScope(target.Host) {
			r.log.Warn("robots.txt redirects out of scope", slog.String("url", cur),
				slog.String("location", resp.header.Get("Location")))
			return nil, "unavailable", ReasonRobotsUnavailable
		}
		cur = target.String()
	}
}

// parseRobots parses robots.txt (indexer/robots reads it as Google's reference
// parser does: lines it cannot read are skipped, never the file); a body cut at
// MaxRobotsBytes loses its last partial line.
func parseRobots(body []byte, truncated bool) *robots.File {
	if truncated {
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		}
	}
	return robots.Parse(body)
}
