package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Exchange is one HTTP request and its response, to be archived.
type Exchange struct {
	URL            string
	Date           time.Time
	Method         string
	RequestHeader  http.Header
	Proto          string // "HTTP/1.1"
	StatusText     string // "200 OK"
	ResponseHeader http.Header
	Body           []byte // as received (Content-Encoding not undone)
	Truncated      bool   // the body was not read to its end
}

// Writer writes exchanges to one WARC 1.1 file: a warcinfo record first,
// then a request and a response record per exchange, each with its block
// digest and the response with its payload digest (SHA-1, base32, as most
// tools write them). A file whose name ends in .gz gets one gzip member per
// record. It is safe for concurrent use.
type Writer struct {
	mu     sync.Mutex
	f      *os.File
	gz     bool
	m      gowarc.Marshaler
	info   string // the warcinfo record's id
	n      int
	closed bool
}

func recordOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithAddMissingDigest(true), gowarc.WithDefaultDigestAlgorithm("sha1"),
		gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true),
	}
}

// Create creates (or truncates) the WARC file at path and writes its
// warcinfo record, naming software.
func Create(path, software string) (*Writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create WARC file: %w", err)
	}
	w := &Writer{f: f, gz: strings.HasSuffix(path, ".gz"), m: gowarc.NewMarshaler()}
	rb := gowarc.NewRecordBuilder(gowarc.Warcinfo, recordOptions()...)
	rb.AddWarcHeaderTime(gowarc.WarcDate, time.Now())
	rb.AddWarcHeader(gowarc.WarcFilename, filepath.Base(path))
	rb.AddWarcHeader(gowarc.ContentType, "application/warc-fields")
	_, _ = fmt.Fprintf(rb, "software: %s\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n", software)
	rec, _, err := rb.Build()
	if err == nil {
		w.info = "<" + strings.Trim(rec.RecordId(), "<>") + ">"
		err = w.put(rec)
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("write warcinfo: %w", err)
	}
	return w, nil
}

// Records is the number of exchanges written.
func (w *Writer) Records() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// Write archives one exchange.
func (w *Writer) Write(ex *Exchange) error {
	resp, err := w.response(ex)
	if err != nil {
		return err
	}
	req, err := w.request(ex, "<"+strings.Trim(resp.RecordId(), "<>")+">")
	if err != nil {
		_ = resp.Close()
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	defer resp.Close()
	defer req.Close()
	if w.closed {
		return errors.New("WARC writer closed")
	}
	if err := w.put(resp); err != nil {
		return err
	}
	if err := w.put(req); err != nil {
		return err
	}
	w.n++
	return nil
}

func (w *Writer) response(ex *Exchange) (gowarc.WarcRecord, error) {
	rb := gowarc.NewRecordBuilder(gowarc.Response, recordOptions()...)
	w.common(rb, ex)
	rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	if ex.Truncated {
		rb.AddWarcHeader(gowarc.WarcTruncated, "length")
	}
	var head bytes.Buffer
	proto := ex.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	fmt.Fprintf(&head, "%s %s\r\n", proto, ex.StatusText)
	h := ex.ResponseHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	// The body is archived as read: after chunking, possibly cut.
	h.Del("Transfer-Encoding")
	if ex.Truncated || h.Get("Content-Length") != "" {
		h.Set("Content-Length", fmt.Sprint(len(ex.Body)))
	}
	writeHeader(&head, h)
	_, _ = rb.Write(head.Bytes())
	_, _ = rb.Write(ex.Body)
	rec, _, err := rb.Build()
	if err != nil {
		return nil, fmt.Errorf("WARC response record %s: %w", ex.URL, err)
	}
	return rec, nil
}

func (w *Writer) request(ex *Exchange, concurrent string) (gowarc.WarcRecord, error) {
	rb := gowarc.NewRecordBuilder(gowarc.Request, recordOptions()...)
	w.common(rb, ex)
	rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=request")
	rb.AddWarcHeader(gowarc.WarcConcurrentTo, concurrent)
	var head bytes.Buffer
	target, host := ex.URL, ""
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			host, target = rest[:j], rest[j:]
		} else {
			host, target = rest, "/"
		}
	}
	method := ex.Method
	if method == "" {
		method = http.MethodGet
	}
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, target, host)
	writeHeader(&head, ex.RequestHeader)
	_, _ = rb.Write(head.Bytes())
	rec, _, err := rb.Build()
	if err != nil {
		return nil, fmt.Errorf("WARC request record %s: %w", ex.URL, err)
	}
	return rec, nil
}

func (w *Writer) common(rb gowarc.WarcRecordBuilder, ex *Exchange) {
	rb.AddWarcHeader(gowarc.WarcTargetURI, ex.URL)
	rb.AddWarcHeaderTime(gowarc.WarcDate, ex.Date)
	if w.info != "" {
		rb.AddWarcHeader(gowarc.WarcWarcinfoID, w.info)
	}
}

func writeHeader(b *bytes.Buffer, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\r\n", k, strings.NewReplacer("\r", " ", "\n", " ").Replace(v))
		}
	}
	b.WriteString("\r\n")
}

// put writes one record; w.mu is held (or w is not shared yet).
func (w *Writer) put(rec gowarc.WarcRecord) error {
	var out io.Writer = w.f
	var zw *gzip.Writer
	if w.gz {
		zw = gzip.NewWriter(w.f)
		out = zw
	}
	if _, _, err := w.m.Marshal(out, rec, 0); err != nil {
		return fmt.Errorf("write WARC record: %w", err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return fmt.Errorf("write WARC record: %w", err)
		}
	}
	return nil
}

// Close flushes the file to disk and closes it.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.f.Sync()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close WARC file: %w", err)
	}
	return nil
}
