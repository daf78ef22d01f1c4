package crawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// page fetches one queued page, follows its redirects on the same host and hands it over.
func (r *run) page(ctx context.Context, h *host, it item) {
	if !h.allowed(it) {
		r.fail(h, Failure{URL: it.url, Reason: ReasonRobotsDisallowed})
		return
	}
	r.mu.Lock()
	if r.fetched[it.url] { // reached earlier as a redirect target
		r.mu.Unlock()
		return
	}
	if r.started >= r.cfg.MaxPages {
		r.report.LimitReached = true
		r.mu.Unlock()
		return
	}
	r.started++
	r.mu.Unlock()

	resp, final, f := r.follow(ctx, h, it)
	switch {
	case f != nil && f.Reason == reasonCanceled:
		return
	case f != nil:
		if f.URL != it.url { // failures are reported under the queued URL
			f.Err = fmt.Errorf("after redirect to %s: %w", f.URL, orReason(f.Err, f.Reason))
			f.URL = it.url
		}
		r.fail(h, *f)
		r.noteFailure(h, f.Reason)
		return
	case resp == nil: // handed to another host, or already fetched
		return
	}
	h.failures = 0
	p := &Page{URL: final, Requested: it.url, Status: resp.status, Header: resp.header,
		Depth: it.depth, FetchedAt: time.Now(), Lastmod: it.lastmod}
	if resp.status == http.StatusNotModified {
		p.NotModified = true
	} else {
		p.ContentType, p.Truncated = resp.mediaType, resp.truncated
		if p.ContentType == PDFType {
			p.Body = resp.body
		} else {
			p.Body, p.Charset = decodeBody(resp.body, resp.header.Get("Content-Type"), resp.sniffed)
		}
		if p.Truncated {
			r.log.Warn("page truncated", slog.String("url", final), slog.Int64("limit", r.cfg.MaxBodyBytes))
		}
	}
	links, err := r.callHandle(ctx, p)
	if err != nil {
		r.fail(h, Failure{URL: final, Reason: ReasonPanic, Status: resp.status, Err: err})
		return
	}
	r.update(func(rep *Report) {
		if p.NotModified {
			rep.NotModified++
			h.rep.NotModified++
		} else {
			rep.Fetched++
			h.rep.Fetched++
		}
		if p.Truncated {
			rep.Truncated++
		}
	})
	r.enqueueLinks(links, it.depth)
}

// follow fetches it.url and follows redirects that stay on the host, up to MaxRedirects.
// It returns a 200 or 304 response with its final URL, a failure, or neither when the
// target was queued on another host or is fetched under its own entry.
func (r *run) follow(ctx context.Context, h *host, it item) (*response, string, *Failure) {
	cur := it.url
	chain := map[string]bool{cur: true}
	for hops := 0; ; hops++ {
		resp, fe := r.get(ctx, h, cur, kindPage)
		if fe != nil {
			return nil, "", &Failure{URL: cur, Reason: fe.reason, Status: fe.status, Err: fe.err}
		}
		switch resp.status {
		case http.StatusOK:
			r.markFetched(cur)
			return resp, cur, nil
		case http.StatusNotModified:
			if !resp.conditional {
				return nil, "", &Failure{URL: cur, Reason: reasonUnexpectedNotModified, Status: resp.status}
			}
			r.markFetched(cur)
			return resp, cur, nil
		case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
			http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		default:
			return nil, "", &Failure{URL: cur, Reason: statusReason(resp.status), Status: resp.status}
		}
		loc := resp.header.Get("Location")
		if loc == "" {
			return nil, "", &Failure{URL: cur, Reason: reasonRedirectWithoutTarget, Status: resp.status}
		}
		target, err := resolveRedirect(cur, loc)
		if err != nil {
			return nil, "", &Failure{URL: cur, Reason: ReasonRedirectBlocked, Status: resp.status, Err: err}
		}
		if !r.inScope(target.Host) {
			return nil, "", &Failure{URL: cur, Reason: ReasonRedirectBlocked, Status: resp.status,
				Err: fmt.Errorf("redirect to %s: out of scope", target.Host)}
		}
		next := target.String()
		if rule, ok := r.cfg.Scope.Check(target, it.depth > 0 && IsDocumentURL(target)); !ok {
			return nil, "", &Failure{URL: cur, Reason: ReasonRedirectBlocked, Status: resp.status,
				Err: fmt.Errorf("redirect to %s: out of scope (%s)", next, rule)}
		}
		if chain[next] {
			return nil, "", &Failure{URL: cur, Reason: ReasonRedirectLoop, Status: resp.status}
		}
		if hops >= r.cfg.MaxRedirects {
			return nil, "", &Failure{URL: cur, Reason: ReasonTooManyRedirects, Status: resp.status}
		}
		if target.Host != h.key { // one connection per host: that host's worker fetches it
			r.update(func(rep *Report) { rep.Redirected++ })
			r.enqueue(item{url: next, depth: it.depth, lastmod: it.lastmod})
			return nil, "", nil
		}
		if !h.allowed(item{url: next}) {
			return nil, "", &Failure{URL: next, Reason: ReasonRobotsDisallowed}
		}
		if !r.claim(next) {
			r.update(func(rep *Report) { rep.Duplicates++ })
			return nil, "", nil
		}
		chain[next] = true
		cur = next
	}
}

func resolveRedirect(base, loc string) (*url.URL, error) {
	b, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("redirect from %q: %w", base, err)
	}
	ref, err := url.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("redirect to %q: %w", loc, err)
	}
	return normalizeURL(b.ResolveReference(ref).String())
}

func (r *run) inScope(hostKey string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.hosts[hostKey]
	return ok
}

// claim marks a redirect target as queued; false if it was queued or fetched already.
func (r *run) claim(u string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[u] || r.fetched[u] {
		return false
	}
	r.seen[u] = true
	return true
}

func (r *run) markFetched(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fetched[u] = true
}

// noteFailure counts transient failures in a row and gives the host up after too many.
func (r *run) noteFailure(h *host, reason string) {
	switch reason {
	case ReasonNotFound, ReasonGone, ReasonRobotsDisallowed, ReasonUnsupportedType,
		ReasonRedirectBlocked, ReasonRedirectLoop, ReasonTooManyRedirects, ReasonContentTooLarge,
		ReasonDecompressedTooLarge, ReasonUnsupportedEncoding, reasonRedirectWithoutTarget, ReasonPDFTooLarge:
		h.failures = 0 // the host answered
		return
	}
	h.failures++
	if r.cfg.MaxConsecutiveFailures > 0 && h.failures >= r.cfg.MaxConsecutiveFailures {
		r.skipHost(h, ReasonTooManyFailures)
	}
}

// callHandle runs the caller's handle, turning a panic into an error.
func (r *run) callHandle(ctx context.Context, p *Page) (links []string, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handle %s: panic: %v", p.URL, v)
		}
	}()
	return r.handle(ctx, p), nil
}

func orReason(err error, reason string) error {
	if err != nil {
		return err
	}
	return errors.New(reason)
}
