package indexer

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/warc"
)

// Import reads web archives and local files into a job's generation, in
// place of a crawl (Job.Import): each 200 HTML or PDF response of a WARC
// file, and each .html/.htm/.pdf file, becomes a page with its original URL
// and its capture date. When several captures name one URL the latest is
// read; a stored page captured later than all of them stays.
type Import struct {
	// Files are WARC files (.warc, .warc.gz), HTML and PDF files, and
	// folders searched for them.
	Files []string
	// URLPrefix maps each folder given (or a file's own folder) to where
	// it is published: its files get URLPrefix + their path below it.
	// Empty: file:// URLs.
	URLPrefix string
}

// Import failure and skip reasons.
const (
	ReasonWARCMalformed  = "warc_malformed"    // a record that could not be read (URL: file#offset=N)
	ReasonImportUnusable = "import_unreadable" // a file that could not be opened or is not WARC
	skipMediaType        = "media_type"        // neither HTML nor PDF
	skipFileType         = "file_type"         // a file that is none of .warc(.gz), .html, .htm, .pdf
	skipInvalidURL       = "invalid_url"
	skipEncoding         = "content_encoding" // a Content-Encoding other than gzip or deflate
	skipTooLarge         = "too_large"        // a PDF above the limit
)

// pdfType is the media type of PDF documents: a PDF capture or file goes
// through the same path as a crawled PDF, a crawl.Page of that ContentType
// handed to the builder, within the crawl's PDF byte limit.
const pdfType = crawl.PDFType

// source is one thing to read: a WARC file or a local document.
type source struct {
	path string
	url  string // a local document's URL
	warc bool
}

// best is the capture of a URL an import reads.
type best struct {
	at     time.Time
	src    int   // index in the sources
	offset int64 // in a WARC file
}

func (im *Import) run(ctx context.Context, b *builder, cfg crawl.Config, log *slog.Logger, sum *Summary) (*crawl.Report, error) {
	rep := &crawl.Report{Started: time.Now(), Hosts: map[string]*crawl.HostReport{}}
	defer func() { rep.Finished = time.Now() }()
	sum.Skipped = map[string]int{}
	fail := func(u, reason string) {
		rep.Failed++
		rep.Failures = append(rep.Failures, crawl.Failure{URL: u, Reason: reason})
	}
	srcs, err := im.sources(sum.Skipped)
	if err != nil {
		return rep, err
	}
	// Pass 1: the latest capture of each URL.
	bests := map[string]best{}
	offer := func(u string, c best) {
		if old, ok := bests[u]; !ok || !c.at.Before(old.at) {
			bests[u] = c
		}
	}
	for i, s := range srcs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if !s.warc {
			fi, err := os.Stat(s.path)
			if err != nil {
				fail(s.path, ReasonImportUnusable)
				continue
			}
			offer(s.url, best{at: fi.ModTime().UTC(), src: i})
			continue
		}
		st, err := warc.Read(s.path, func(c *warc.Capture) error {
			u, _, ok := captureKind(c, sum.Skipped)
			if ok {
				offer(u, best{at: c.Date, src: i, offset: c.Offset})
			}
			return ctx.Err()
		})
		for k, n := range st.Skipped {
			if k != warc.SkipMalformed {
				sum.Skipped[k] += n
			}
		}
		for _, m := range st.Malformed {
			fail(fmt.Sprintf("%s#offset=%d", m.File, m.Offset), ReasonWARCMalformed)
			log.Warn("malformed WARC record skipped", slog.String("file", m.File), slog.Int64("offset", m.Offset), slog.Any("error", m.Err))
		}
		if err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			fail(s.path, ReasonImportUnusable)
			log.Warn("WARC file unreadable", slog.String("file", s.path), slog.Any("error", err))
		}
	}
	// Pass 2: read the chosen captures.
	handle := func(p *crawl.Page, c *capture) {
		_, skip := b.handlePage(ctx, p, c)
		if skip != "" {
			sum.Skipped[skip]++
			return
		}
		sum.Captures++
	}
	for i, s := range srcs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if !s.warc {
			if bb, ok := bests[s.url]; ok && bb.src == i {
				p, skip := fileTo(s, bb.at, cfg)
				if skip != "" {
					sum.Skipped[skip]++
					continue
				}
				handle(p, &capture{at: bb.at})
			}
			continue
		}
		// Malformed records were counted in pass 1; the file is read again
		// the same way.
		_, err := warc.Read(s.path, func(c *warc.Capture) error {
			u, mt, ok := captureKind(c, map[string]int{})
			if !ok {
				return ctx.Err()
			}
			if bb := bests[u]; bb.src != i || bb.offset != c.Offset {
				return ctx.Err() // an older capture of u
			}
			p, skip := captureTo(c, u, mt, cfg)
			if skip != "" {
				sum.Skipped[skip]++
				return ctx.Err()
			}
			handle(p, &capture{at: c.Date, published: c.Date})
			return ctx.Err()
		})
		if err != nil && ctx.Err() != nil {
			return rep, ctx.Err()
		}
	}
	if n := len(bests) - sum.Captures; n > 0 {
		log.Info("captures not read", slog.Int("count", n), slog.Any("reasons", sum.Skipped))
	}
	for k, v := range sum.Skipped {
		if v == 0 {
			delete(sum.Skipped, k)
		}
	}
	return rep, nil
}

// sources expands the import's arguments: folders are searched for WARC,
// HTML and PDF files; a file of another kind is skipped.
func (im *Import) sources(skipped map[string]int) ([]source, error) {
	var out []source
	for _, arg := range im.Files {
		fi, err := os.Stat(arg)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		root := filepath.Dir(arg)
		if fi.IsDir() {
			root = arg
		}
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			s, ok, err := im.source(root, p)
			if err != nil {
				return err
			}
			if !ok {
				skipped[skipFileType]++
				return nil
			}
			out = append(out, s)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
	}
	return out, nil
}

func (im *Import) source(root, p string) (source, bool, error) {
	name := strings.ToLower(filepath.Base(p))
	switch {
	case strings.HasSuffix(name, ".warc"), strings.HasSuffix(name, ".warc.gz"):
		return source{path: p, warc: true}, true, nil
	case strings.HasSuffix(name, ".html"), strings.HasSuffix(name, ".htm"), strings.HasSuffix(name, ".pdf"):
	default:
		return source{}, false, nil
	}
	u, err := im.fileURL(root, p)
	if err != nil {
		return source{}, false, err
	}
	return source{path: p, url: u}, true, nil
}

// fileURL is a local file's URL: file:///abs/path, or URLPrefix and the
// file's path below root.
func (im *Import) fileURL(root, p string) (string, error) {
	if im.URLPrefix == "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
	}
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return "", err
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	u := strings.TrimSuffix(im.URLPrefix, "/") + "/" + strings.Join(parts, "/")
	n, err := crawl.Normalize(u)
	if err != nil {
		return "", fmt.Errorf("--url-prefix %q: %w", im.URLPrefix, err)
	}
	return n, nil
}

// captureKind gives a capture's normalised URL and media type, counting it
// as skipped when it is neither HTML nor PDF or its URL is not http(s).
func captureKind(c *warc.Capture, skipped map[string]int) (u, mt string, ok bool) {
	u, err := crawl.Normalize(c.URL)
	if err != nil {
		skipped[skipInvalidURL]++
		return "", "", false
	}
	mt = crawl.MediaType(c.Header.Get("Content-Type"))
	switch {
	case crawl.IsHTML(mt):
	case isPDF(mt, u):
		mt = pdfType
	case mt == "":
		head, _, _ := c.Payload(512)
		switch sniffed := crawl.MediaType(http.DetectContentType(head)); {
		case sniffed == "text/html":
			mt = sniffed
		case sniffed == pdfType:
			mt = pdfType
		}
	}
	if !crawl.IsHTML(mt) && mt != pdfType {
		skipped[skipMediaType]++
		return "", "", false
	}
	return u, mt, true
}

// isPDF tells a PDF by its label, or by a .pdf URL under a generic one.
func isPDF(mt, u string) bool {
	switch mt {
	case pdfType, "application/x-pdf", "application/acrobat":
		return true
	case "application/octet-stream", "binary/octet-stream", "application/download", "application/force-download":
		p, err := url.Parse(u)
		return err == nil && crawl.IsDocumentURL(p)
	}
	return false
}

// captureTo makes a page of a capture, as the crawl would have handed it
// over; skip tells why it cannot.
func captureTo(c *warc.Capture, u, mt string, cfg crawl.Config) (*crawl.Page, string) {
	limit := cfg.MaxBodyBytes
	if mt == pdfType {
		limit = cfg.MaxPDFBytes
	}
	raw, more, err := c.Payload(limit * 4) // compressed payloads are capped again below
	if err != nil {
		return nil, ReasonWARCMalformed
	}
	body, truncated, skip := decodeContent(raw, c.Header.Get("Content-Encoding"), limit)
	if skip != "" {
		return nil, skip
	}
	truncated = truncated || more || c.Truncated
	p := &crawl.Page{URL: u, Requested: u, Status: http.StatusOK, ContentType: mt, Header: c.Header,
		FetchedAt: c.Date, Truncated: truncated}
	return finishPage(p, body)
}

// fileTo makes a page of a local file.
func fileTo(s source, at time.Time, cfg crawl.Config) (*crawl.Page, string) {
	mt := "text/html"
	limit := cfg.MaxBodyBytes
	if strings.HasSuffix(strings.ToLower(s.path), ".pdf") {
		mt, limit = pdfType, cfg.MaxPDFBytes
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, ReasonImportUnusable
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, ReasonImportUnusable
	}
	truncated := int64(len(body)) > limit
	if truncated {
		body = body[:limit]
	}
	p := &crawl.Page{URL: s.url, Requested: s.url, Status: http.StatusOK, ContentType: mt, Header: http.Header{},
		FetchedAt: at, Truncated: truncated}
	return finishPage(p, body)
}

func finishPage(p *crawl.Page, body []byte) (*crawl.Page, string) {
	if p.ContentType == pdfType {
		if p.Truncated {
			return nil, skipTooLarge // a cut PDF cannot be read
		}
		p.Body = body
		return p, ""
	}
	p.Body, p.Charset = crawl.DecodeHTML(body, p.Header.Get("Content-Type"))
	return p, ""
}

// decodeContent undoes a payload's Content-Encoding, within limit bytes.
func decodeContent(raw []byte, enc string, limit int64) (body []byte, truncated bool, skip string) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "", "identity":
		if int64(len(raw)) > limit {
			return raw[:limit], true, ""
		}
		return raw, false, ""
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, false, skipEncoding
		}
		r = zr
	case "deflate":
		r = flate.NewReader(bytes.NewReader(raw))
	default:
		return nil, false, skipEncoding
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, false, skipEncoding
	}
	if int64(len(body)) > limit {
		return body[:limit], true, ""
	}
	return body, err != nil, ""
}
