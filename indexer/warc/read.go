package warc

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Capture is one HTTP response record of an archive.
type Capture struct {
	URL    string    // WARC-Target-URI
	Date   time.Time // WARC-Date: when it was captured
	Status int
	Header http.Header
	// Offset is where the record starts in the file (in the compressed
	// file for a .warc.gz).
	Offset int64
	// Truncated is true when the record says its payload was cut
	// (WARC-Truncated).
	Truncated bool

	rec gowarc.WarcRecord
}

// Payload reads the capture's HTTP payload (its entity body as archived,
// Content-Encoding not undone), at most limit bytes; more reports that the
// payload went on past limit. It can be called only from within the
// function given to Read.
func (c *Capture) Payload(limit int64) (data []byte, more bool, err error) {
	pb, ok := c.rec.Block().(gowarc.PayloadBlock)
	if !ok {
		return nil, false, errors.New("record has no payload")
	}
	r, err := pb.PayloadBytes()
	if err != nil {
		return nil, false, err
	}
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true, err
	}
	return data, false, err
}

// Skip reasons counted by Read.
const (
	SkipRevisit    = "revisit"        // a revisit record: no payload of its own
	SkipRecordType = "record_type"    // request, metadata, warcinfo, resource… records
	SkipNotHTTP    = "not_http"       // a response record that is not an HTTP response (dns:, ftp:)
	SkipStatus     = "status_not_200" // an HTTP response other than 200
	SkipMalformed  = "malformed"      // a record that could not be parsed
)

// Stats counts the records of a file.
type Stats struct {
	Records   int            // records read, malformed ones included
	Responses int            // 200 responses handed to fn
	Skipped   map[string]int // by Skip… reason
	// Malformed lists the records that could not be read, with their offset.
	Malformed []*MalformedError
}

// MalformedError is a record that could not be parsed.
type MalformedError struct {
	File   string
	Offset int64
	Err    error
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("%s: malformed record at offset %d: %v", e.File, e.Offset, e.Err)
}

func (e *MalformedError) Unwrap() error { return e.Err }

// maxMalformed stops reading a file after this many malformed records in a
// row: it is not a WARC file, or it is damaged beyond the next record.
const maxMalformed = 20

// Read calls fn for every 200 HTTP response record of the WARC file at
// path, in file order. fn's error stops the walk and is returned. A
// malformed record is counted in the stats and skipped; an error opening
// the file, or a file with no readable record at all, is returned.
func Read(path string, fn func(*Capture) error) (*Stats, error) {
	st := &Stats{Skipped: map[string]int{}}
	f, err := os.Open(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	rd, err := gowarc.NewWarcFileReaderFromStream(f, 0,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn), gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore), gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore))
	if err != nil {
		return st, err
	}
	defer rd.Close()
	inRow := 0
	var next int64 // where the next record should start
	for {
		r, err := rd.Next()
		if err == io.EOF && r.WarcRecord == nil { // the end; a wrapped EOF is a cut record
			break
		}
		if r.Offset > next && r.WarcRecord != nil {
			// Bytes the reader skipped to find this record: a record whose
			// start was damaged.
			st.Records++
			st.Skipped[SkipMalformed]++
			st.Malformed = append(st.Malformed, &MalformedError{File: path, Offset: next,
				Err: fmt.Errorf("%d bytes without a record start", r.Offset-next)})
		}
		next = r.Offset + r.Size
		st.Records++
		if err == nil && r.WarcRecord != nil {
			err = damage(r.Validation)
		}
		if err != nil || r.WarcRecord == nil {
			if err == nil {
				err = errors.New("no record")
			}
			_ = r.Close()
			st.Skipped[SkipMalformed]++
			st.Malformed = append(st.Malformed, &MalformedError{File: path, Offset: r.Offset, Err: err})
			if inRow++; inRow >= maxMalformed || errors.Is(err, gowarc.ErrNoRecord) {
				break
			}
			continue
		}
		inRow = 0
		ferr := handle(path, r, st, fn)
		_ = r.Close()
		if ferr != nil {
			return st, ferr
		}
	}
	if st.Records > 0 && st.Records == st.Skipped[SkipMalformed] {
		return st, fmt.Errorf("%s: no readable WARC record: %w", path, st.Malformed[0])
	}
	return st, nil
}

func handle(path string, r gowarc.Record, st *Stats, fn func(*Capture) error) error {
	rec := r.WarcRecord
	switch rec.Type() {
	case gowarc.Response:
	case gowarc.Revisit:
		st.Skipped[SkipRevisit]++
		return nil
	default:
		st.Skipped[SkipRecordType]++
		return nil
	}
	hb, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok {
		st.Skipped[SkipNotHTTP]++
		return nil
	}
	if hb.HttpStatusCode() != http.StatusOK {
		st.Skipped[SkipStatus]++
		return nil
	}
	date, err := rec.Date()
	if err != nil {
		st.Skipped[SkipMalformed]++
		st.Malformed = append(st.Malformed, &MalformedError{File: path, Offset: r.Offset, Err: fmt.Errorf("WARC-Date: %w", err)})
		return nil
	}
	c := &Capture{
		URL:  strings.Trim(strings.TrimSpace(rec.WarcHeader().Get(gowarc.WarcTargetURI)), "<>"),
		Date: date.UTC(), Status: hb.HttpStatusCode(), Offset: r.Offset,
		Truncated: rec.WarcHeader().Has(gowarc.WarcTruncated), rec: rec,
	}
	if h := hb.HttpHeader(); h != nil {
		c.Header = *h
	} else {
		c.Header = http.Header{}
	}
	st.Responses++
	return fn(c)
}

// damage returns the first validation finding that makes a record unusable:
// a wrong digest, a length that does not match, a missing required field,
// a cut end. Other findings (an id without <>, a bare LF) are tolerated.
func damage(validation []error) error {
	for _, v := range validation {
		var de *gowarc.DigestError
		var le *gowarc.ContentLengthError
		var he *gowarc.HeaderFieldError
		switch {
		case errors.As(v, &de), errors.As(v, &le):
			return v
		case errors.As(v, &he) && strings.Contains(he.Msg, "missing required field"):
			return v
		case strings.Contains(v.Error(), "too few bytes in end of record marker"):
			return v
		}
	}
	return nil
}
