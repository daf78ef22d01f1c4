package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type fetchKind int

const (
	kindPage fetchKind = iota
	kindRobots
	kindSitemap
)

var acceptHeader = map[fetchKind]string{
	kindPage:    "text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8,*/*;q=0.1",
	kindRobots:  "text/plain,*/*;q=0.1",
	kindSitemap: "application/xml,text/xml;q=0.9,*/*;q=0.1",
}

// response is a completed HTTP exchange; body is read only for a 200 (any 2xx for robots).
type response struct {
	url       string
	status    int
	header    http.Header
	body      []byte
	truncated bool
	mediaType string
	sniffed   bool // mediaType came from the bytes, not the header
	// conditional is true when validators were sent, so a 304 is meaningful.
	conditional bool
}

func newTransport(cfg Config) *http.Transport {
	return &http.Transport{
		Proxy:                  nil, // a proxy would dial on our behalf, around the guard
		DialContext:            newGuardedDialer(cfg).DialContext,
		TLSHandshakeTimeout:    cfg.HeaderTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		MaxConnsPerHost:        1,
		MaxIdleConnsPerHost:    1,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 256 << 10,
		// We ask for gzip ourselves so that the decompressed size is ours to cap.
		DisableCompression: true,
		ForceAttemptHTTP2:  true,
	}
}

// get fetches rawURL for host h: it waits for the host's politeness slot before every
// attempt and retries 429, 5xx and timeouts with back-off, honouring Retry-After.
// A response with any other status is returned as it is; redirects are not followed.
func (r *run) get(ctx context.Context, h *host, rawURL string, kind fetchKind) (*response, *fetchError) {
	retries := r.cfg.MaxRetries
	if kind == kindRobots {
		retries = 0 // RFC 9309: an unreachable robots.txt means "disallow all" for the run
	}
	for attempt := 0; ; attempt++ {
		if err := h.pause(ctx); err != nil {
			return nil, newFetchError(reasonCanceled, err)
		}
		resp, fe := r.do(ctx, rawURL, kind)
		h.lastEnd = time.Now()
		r.update(func(rep *Report) { h.rep.Requests++ })
		if fe == nil && (resp.status == http.StatusTooManyRequests || resp.status >= 500) {
			fe = &fetchError{reason: statusReason(resp.status), status: resp.status, retryable: true,
				retryAfter: resp.header.Get("Retry-After")}
		}
		if fe == nil || !fe.retryable {
			return resp, fe
		}
		now := time.Now()
		wait, skip := retryDelay(r.cfg, fe, attempt, now)
		if skip {
			r.skipHost(h, ReasonRetryAfterExceedsCap)
			fe.reason, fe.retryable = ReasonRetryAfterExceedsCap, false
			return nil, fe
		}
		if attempt >= retries {
			if fe.retryAfter != "" { // the server's wait binds the host's next request too
				h.notBefore = now.Add(wait)
			}
			return nil, fe
		}
		h.notBefore = now.Add(wait)
		r.log.Debug("retrying", slog.String("url", rawURL), slog.String("reason", fe.reason),
			slog.Duration("wait", wait), slog.Int("attempt", attempt+1))
	}
}

// do performs one GET bounded by RequestTimeout and reads the body within the kind's cap.
func (r *run) do(ctx context.Context, rawURL string, kind fetchKind) (*response, *fetchError) {
	rctx, cancel := context.WithTimeout(ctx, r.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, newFetchError(ReasonInvalidURL, err)
	}
	req.Header.Set("User-Agent", r.cfg.UserAgent)
	req.Header.Set("Accept", acceptHeader[kind])
	req.Header.Set("Accept-Encoding", "gzip")
	conditional := false
	if kind == kindPage && r.cfg.Prior != nil {
		if etag, lastMod, ok := r.cfg.Prior(rawURL); ok {
			if etag != "" {
				req.Header.Set("If-None-Match", etag)
			}
			if lastMod != "" {
				req.Header.Set("If-Modified-Since", lastMod)
			}
			conditional = etag != "" || lastMod != ""
		}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, classify(ctx, err)
	}
	defer resp.Body.Close()
	var ex *Exchange
	if r.cfg.Record != nil {
		ex = newExchange(req, resp)
	}
	out := &response{url: rawURL, status: resp.StatusCode, header: resp.Header, conditional: conditional}
	if resp.StatusCode != http.StatusOK && (kind != kindRobots || resp.StatusCode/100 != 2) {
		// A little is read so that the connection can be reused; the rest is discarded.
		n, _ := io.CopyN(io.Discard, resp.Body, 4<<10)
		ex.done(r.cfg.Record, n == 4<<10)
		return out, nil
	}
	fe := r.readBody(ctx, resp, out, kind)
	ex.done(r.cfg.Record, ex.more(resp.Body))
	return out, fe
}

func (r *run) readBody(ctx context.Context, resp *http.Response, out *response, kind fetchKind) *fetchError {
	limit := r.cfg.MaxBodyBytes
	switch kind {
	case kindRobots:
		limit = r.cfg.MaxRobotsBytes
	case kindSitemap:
		limit = r.cfg.MaxSitemapBytes
	}
	out.mediaType = mediaType(resp.Header.Get("Content-Type"))
	tooLarge := ReasonContentTooLarge
	if kind == kindPage && isPDFResponse(out.mediaType, out.url) {
		out.mediaType, limit, tooLarge = PDFType, r.cfg.MaxPDFBytes, ReasonPDFTooLarge
	}
	if kind == kindPage && out.mediaType != "" && !isHTMLType(out.mediaType) && out.mediaType != PDFType {
		return &fetchError{reason: ReasonUnsupportedType, status: resp.StatusCode}
	}
	if kind != kindRobots && resp.ContentLength > limit {
		return &fetchError{reason: tooLarge, status: resp.StatusCode}
	}
	var body io.Reader = resp.Body
	compressed := false
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return classifyBody(ctx, err, resp.StatusCode)
		}
		defer zr.Close()
		body, compressed = zr, true
	default:
		return &fetchError{reason: ReasonUnsupportedEncoding, status: resp.StatusCode}
	}
	data, truncated, err := readCapped(body, limit)
	if err != nil {
		return classifyBody(ctx, err, resp.StatusCode)
	}
	// A sitemap may be a gzip file served as such (sitemap.xml.gz), not as an encoding.
	if kind == kindSitemap && !compressed && bytes.HasPrefix(data, []byte{0x1f, 0x8b}) && !truncated {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return classifyBody(ctx, err, resp.StatusCode)
		}
		data, truncated, err = readCapped(zr, limit)
		if err != nil {
			return classifyBody(ctx, err, resp.StatusCode)
		}
		compressed = true
	}
	if truncated && out.mediaType == PDFType {
		return &fetchError{reason: ReasonPDFTooLarge, status: resp.StatusCode} // a cut PDF cannot be read
	}
	if truncated && compressed && kind != kindRobots {
		return &fetchError{reason: ReasonDecompressedTooLarge, status: resp.StatusCode}
	}
	out.body, out.truncated = data, truncated
	if kind == kindPage {
		return checkSniffed(out)
	}
	return nil
}

// checkSniffed refuses binary bytes behind an HTML label and sniffs unlabelled bodies.
// A PDF is passed as it is: the extractor judges its bytes.
func checkSniffed(out *response) *fetchError {
	if out.mediaType == PDFType {
		return nil
	}
	sniffed := mediaType(http.DetectContentType(out.body))
	if sniffed == PDFType { // a PDF behind an HTML label, or unlabelled: read within the HTML limit
		if out.truncated {
			return &fetchError{reason: ReasonPDFTooLarge, status: out.status}
		}
		out.mediaType, out.sniffed = PDFType, true
		return nil
	}
	if out.mediaType == "" {
		if sniffed != "text/html" {
			return &fetchError{reason: ReasonUnsupportedType, status: out.status}
		}
		out.mediaType, out.sniffed = sniffed, true
		return nil
	}
	if !strings.HasPrefix(sniffed, "text/") {
		return &fetchError{reason: ReasonUnsupportedType, status: out.status}
	}
	return nil
}

// readCapped reads at most limit bytes; truncated reports that more were available.
func readCapped(r io.Reader, limit int64) (data []byte, truncated bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, err
}

func mediaType(contentType string) string {
	if contentType == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// isPDFResponse tells a PDF by its label, or by a .pdf URL served under a
// generic binary label.
func isPDFResponse(mt, rawURL string) bool {
	switch mt {
	case PDFType, "application/x-pdf", "application/acrobat":
		return true
	case "application/octet-stream", "binary/octet-stream", "application/download", "application/force-download", "":
		p := rawURL
		if u, err := url.Parse(rawURL); err == nil {
			p = u.Path
		}
		return strings.HasSuffix(strings.ToLower(p), ".pdf")
	}
	return false
}

func isHTMLType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// classify turns a transport error into a fetch error.
func classify(ctx context.Context, err error) *fetchError {
	if ctx.Err() != nil {
		return newFetchError(reasonCanceled, ctx.Err())
	}
	if be := (*BlockedError)(nil); errors.As(err, &be) {
		return newFetchError(ReasonDestinationBlocked, err)
	}
	fe := newFetchError(ReasonFetchError, err)
	if ne := net.Error(nil); errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		fe.reason = ReasonTimeout
	}
	fe.retryable = true
	return fe
}

func classifyBody(ctx context.Context, err error, status int) *fetchError {
	fe := classify(ctx, err)
	fe.status = status
	return fe
}
