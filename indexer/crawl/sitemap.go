package crawl

import (
	"bytes"
	"context"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// maxSitemapLevel bounds sitemap-index nesting (an index listing indexes listing sitemaps).
const maxSitemapLevel = 2

// queueSitemaps queues the sitemaps robots.txt lists, resolved against robots.txt's URL,
// and the conventional /sitemap.xml of the host.
func (r *run) queueSitemaps(h *host, robotsURL string, listed []string) {
	base, _ := url.Parse(robotsURL)
	for _, s := range append(listed, "/sitemap.xml") {
		ref, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			continue
		}
		u, err := normalizeURL(base.ResolveReference(ref).String())
		if err != nil {
			r.update(func(rep *Report) { rep.OutOfScope++ })
			continue
		}
		r.enqueue(item{url: u.String(), sitemap: true})
	}
}

// sitemap fetches one sitemap (or sitemap index) and queues what it lists: pages at
// depth 1, nested sitemaps up to maxSitemapLevel. Its failures are logged and counted on
// the host, not reported as page failures.
func (r *run) sitemap(ctx context.Context, h *host, it item) {
	if h.sitemaps >= r.cfg.MaxSitemaps || !h.allowed(it) {
		return
	}
	h.sitemaps++
	cur := it.url
	var resp *response
	for hops := 0; ; hops++ {
		var fe *fetchError
		resp, fe = r.get(ctx, h, cur, kindSitemap)
		if fe != nil {
			if fe.reason != reasonCanceled {
				r.sitemapError(h, cur, fe.reason, fe.status)
			}
			return
		}
		loc := resp.header.Get("Location")
		if resp.status/100 != 3 || loc == "" || hops >= r.cfg.MaxRedirects {
			break
		}
		target, err := resolveRedirect(cur, loc)
		if err != nil || target.Host != h.key || !h.allowed(item{url: target.String()}) {
			r.sitemapError(h, cur, ReasonRedirectBlocked, resp.status)
			return
		}
		cur = target.String()
	}
	if resp.status != http.StatusOK {
		if resp.status == http.StatusNotFound || resp.status == http.StatusGone {
			r.log.Debug("sitemap not found", slog.String("url", cur), slog.Int("status", resp.status))
			return
		}
		r.sitemapError(h, cur, statusReason(resp.status), resp.status)
		return
	}
	pages, children := parseSitemap(cur, resp.body, r.cfg.MaxSitemapURLs)
	r.update(func(*Report) { h.rep.Sitemaps++; h.rep.SitemapURLs += len(pages) })
	if it.sitemapLevel < maxSitemapLevel {
		for _, c := range children {
			r.enqueueSitemapEntry(c, item{sitemap: true, sitemapLevel: it.sitemapLevel + 1})
		}
	}
	for _, p := range pages {
		r.enqueueSitemapEntry(p, item{depth: 1})
	}
}

func (r *run) enqueueSitemapEntry(e sitemapEntry, it item) {
	u, err := normalizeURL(e.loc)
	if err != nil {
		r.update(func(rep *Report) { rep.OutOfScope++ })
		return
	}
	it.url, it.raw, it.lastmod = u.String(), e.loc, e.lastmod
	r.enqueue(it)
}

func (r *run) sitemapError(h *host, u, reason string, status int) {
	r.update(func(*Report) { h.rep.SitemapErrors++ })
	r.log.Info("sitemap failed", slog.String("url", u), slog.String("reason", reason), slog.Int("status", status))
}

type sitemapEntry struct {
	loc     string // absolute
	lastmod time.Time
}

// parseSitemap reads a <urlset> or <sitemapindex> (sitemaps.org 0.9), resolving relative
// <loc> values against the sitemap's URL. A truncated or broken document yields the
// entries read before the damage; at most max entries are returned.
func parseSitemap(sitemapURL string, body []byte, limit int) (pages, sitemaps []sitemapEntry) {
	base, err := url.Parse(sitemapURL)
	if err != nil {
		return nil, nil
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	var (
		parent, field string
		cur           sitemapEntry
		text          strings.Builder
	)
	for len(pages)+len(sitemaps) < limit {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch name := strings.ToLower(t.Name.Local); name {
			case "url", "sitemap":
				parent, cur = name, sitemapEntry{}
			case "loc", "lastmod":
				field = name
				text.Reset()
			}
		case xml.CharData:
			if field != "" && text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			switch name := strings.ToLower(t.Name.Local); {
			case name == field:
				v := strings.TrimSpace(text.String())
				if field == "loc" {
					if ref, err := url.Parse(v); err == nil && v != "" {
						cur.loc = base.ResolveReference(ref).String()
					}
				} else {
					cur.lastmod = parseLastmod(v)
				}
				field = ""
			case name == parent && cur.loc != "":
				if parent == "url" {
					pages = append(pages, cur)
				} else {
					sitemaps = append(sitemaps, cur)
				}
				parent = ""
			}
		}
	}
	return pages, sitemaps
}

// parseLastmod reads a W3C datetime; zero when unreadable.
func parseLastmod(v string) time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	return time.Time{}
}
