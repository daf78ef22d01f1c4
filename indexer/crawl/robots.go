package crawl

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/temoto/robotstxt"
)

// productToken is the robots.txt user-agent token of a User-Agent ("inlsearch/0.1 (+…)"
// gives "inlsearch"), lowercased as temoto/robotstxt expects.
func productToken(ua string) string {
	tok, _, _ := strings.Cut(strings.TrimSpace(ua), "/")
	tok, _, _ = strings.Cut(tok, " ")
	return strings.ToLower(tok)
}

// allowed reports whether robots.txt lets us fetch the normalised URL u.
func (h *host) allowed(u string) bool {
	if h.group == nil {
		return true
	}
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	p := pu.EscapedPath()
	if pu.RawQuery != "" {
		p += "?" + pu.RawQuery
	}
	return h.group.Test(p)
}

// disallowAll is a group that matches every path.
var disallowAll = func() *robotstxt.Group {
	d, _ := robotstxt.FromString("User-agent: *\nDisallow: /\n")
	return d.FindGroup("*")
}()

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
		h.group = disallowAll
		r.skipHost(h, reason)
		return
	}
	var listed []string
	if data != nil {
		h.group = data.FindGroup(r.agent)
		listed = data.Sitemaps
		if cd := h.group.CrawlDelay; cd > 0 {
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
func (r *run) fetchRobots(ctx context.Context, h *host, robotsURL string) (data *robotstxt.RobotsData, status, reason string) {
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
			return r.parseRobots(cur, resp.body, resp.truncated), "ok", ""
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

// parseRobots parses robots.txt leniently: a body cut at MaxRobotsBytes loses its last
// partial line, and lines the library rejects (rules before any User-agent, a bad
// Crawl-delay) are dropped, as RFC 9309 asks for unparseable lines.
func (r *run) parseRobots(u string, body []byte, truncated bool) *robotstxt.RobotsData {
	if truncated {
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		}
	}
	data, err := robotstxt.FromBytes(body)
	if err == nil {
		return data
	}
	data, err = robotstxt.FromBytes(sanitizeRobots(body))
	if err != nil {
		r.log.Warn("robots.txt unparseable", slog.String("url", u), slog.Any("error", err))
		data, _ = robotstxt.FromString("")
	}
	return data
}

func sanitizeRobots(body []byte) []byte {
	var out bytes.Buffer
	inGroup := false
	for line := range bytes.Lines(body) {
		content, _, _ := bytes.Cut(line, []byte("#"))
		field, value, ok := bytes.Cut(content, []byte(":"))
		key := strings.ToLower(strings.TrimSpace(string(field)))
		val := strings.TrimSpace(string(value))
		switch {
		case !ok:
		case key == "user-agent" || key == "useragent":
			inGroup = true
		case key == "allow" || key == "disallow":
			if !inGroup {
				continue
			}
		case key == "crawl-delay" || key == "crawldelay":
			if f, err := strconv.ParseFloat(val, 64); !inGroup || err != nil || math.IsNaN(f) || f < 0 || f > 1e9 {
				continue
			}
		}
		out.Write(line)
		if !bytes.HasSuffix(line, []byte("\n")) {
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}
