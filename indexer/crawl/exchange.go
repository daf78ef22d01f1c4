package crawl

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// Exchange is one HTTP request and its response as the crawl sent and
// received them, for Config.Record (a WARC writer). Body holds the bytes
// read from the connection (before any Content-Encoding is undone, after
// chunking), up to the limit the crawl reads.
type Exchange struct {
	URL            string
	Date           time.Time // when the response headers arrived
	Method         string
	RequestHeader  http.Header
	Proto          string // "HTTP/1.1"
	Status         int
	StatusText     string // "200 OK"
	ResponseHeader http.Header
	Body           []byte
	// Truncated is true when the crawl stopped reading before the body's end.
	Truncated bool

	buf *bytes.Buffer
}

// newExchange starts an exchange and tees the response body into it.
func newExchange(req *http.Request, resp *http.Response) *Exchange {
	ex := &Exchange{
		URL: req.URL.String(), Date: time.Now().UTC(), Method: req.Method, RequestHeader: req.Header.Clone(),
		Proto: resp.Proto, Status: resp.StatusCode, StatusText: resp.Status, ResponseHeader: resp.Header.Clone(),
	}
	if ex.Proto == "" {
		ex.Proto = "HTTP/1.1"
	}
	ex.buf = &bytes.Buffer{}
	resp.Body = teeCloser{Reader: io.TeeReader(resp.Body, ex.buf), Closer: resp.Body}
	return ex
}

type teeCloser struct {
	io.Reader
	io.Closer
}

// more tells whether body, which was read up to a limit, has bytes left.
func (ex *Exchange) more(body io.Reader) bool {
	if ex == nil {
		return false
	}
	var one [1]byte
	n, _ := io.ReadFull(teeOff(body), one[:])
	return n > 0
}

// teeOff returns the reader under the tee, so that probing for more bytes
// does not add them to the recorded body.
func teeOff(r io.Reader) io.Reader {
	if t, ok := r.(teeCloser); ok {
		if rc, ok := t.Closer.(io.Reader); ok {
			return rc
		}
	}
	return r
}

// done hands the exchange to record; ex may be nil (nothing recorded).
func (ex *Exchange) done(record func(*Exchange), truncated bool) {
	if ex == nil {
		return
	}
	ex.Truncated = truncated
	ex.Body, ex.buf = ex.buf.Bytes(), nil
	record(ex)
}

// DecodeHTML converts an HTML body to valid UTF-8 as the crawl does (BOM,
// then the Content-Type charset, then <meta>) and names the encoding: for
// pages read from elsewhere (a web archive, a file).
func DecodeHTML(body []byte, contentType string) ([]byte, string) {
	return decodeBody(body, contentType, false)
}

// MediaType is the media type of a Content-Type value, lower case, without
// parameters.
func MediaType(contentType string) string { return mediaType(contentType) }

// IsHTML tells the media types the crawl reads as HTML pages.
func IsHTML(mediaType string) bool { return isHTMLType(mediaType) }
