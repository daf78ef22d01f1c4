package warc

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func exchange(url, status, ctype, body string, at time.Time) *Exchange {
	return &Exchange{URL: url, Date: at, Method: "GET", RequestHeader: http.Header{"User-Agent": {"t/1"}},
		Proto: "HTTP/1.1", StatusText: status, ResponseHeader: http.Header{"Content-Type": {ctype}, "Content-Length": {"1"}},
		Body: []byte(body)}
}

func writeFile(t *testing.T, name string, exs ...*Exchange) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	w, err := Create(p, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range exs {
		if err := w.Write(ex); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

type got struct {
	url, body string
	date      time.Time
	offset    int64
}

func readAll(t *testing.T, p string) ([]got, *Stats, error) {
	t.Helper()
	var out []got
	st, err := Read(p, func(c *Capture) error {
		b, _, err := c.Payload(1 << 20)
		if err != nil {
			return err
		}
		out = append(out, got{c.URL, string(b), c.Date, c.Offset})
		return nil
	})
	return out, st, err
}

func TestWriteRead(t *testing.T) {
	at := time.Date(2016, 3, 1, 12, 0, 0, 0, time.UTC)
	exs := []*Exchange{
		exchange("http://h/a", "200 OK", "text/html", "<p>alpha</p>", at),
		exchange("http://h/gone", "404 Not Found", "text/html", "no", at),
		exchange("http://h/b", "200 OK", "application/pdf", "%PDF-1.4 beta", at.Add(time.Hour)),
	}
	for _, name := range []string{"x.warc", "x.warc.gz"} {
		t.Run(name, func(t *testing.T) {
			p := writeFile(t, name, exs...)
			caps, st, err := readAll(t, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(caps) != 2 || caps[0].url != "http://h/a" || caps[0].body != "<p>alpha</p>" || caps[1].body != "%PDF-1.4 beta" {
				t.Fatalf("captures = %+v", caps)
			}
			if !caps[1].date.Equal(at.Add(time.Hour)) {
				t.Errorf("date = %v", caps[1].date)
			}
			// warcinfo and three requests are other record types; the 404 a status skip.
			if st.Records != 7 || st.Skipped[SkipRecordType] != 4 || st.Skipped[SkipStatus] != 1 {
				t.Errorf("stats = %+v", st)
			}
			raw, _ := os.ReadFile(p)
			if name == "x.warc" {
				for _, want := range []string{"WARC-Payload-Digest: sha1:", "WARC-Block-Digest: sha1:", "WARC-Concurrent-To:", "WARC/1.1"} {
					if !bytes.Contains(raw, []byte(want)) {
						t.Errorf("file lacks %q", want)
					}
				}
			}
		})
	}
}

// A damaged record is reported with its offset, and the records after it
// are read; a file cut in the middle of a record yields those before.
func TestReadDamaged(t *testing.T) {
	at := time.Date(2016, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, name := range []string{"d.warc", "d.warc.gz"} {
		t.Run(name, func(t *testing.T) {
			p := writeFile(t, name,
				exchange("http://h/1", "200 OK", "text/html", "one", at),
				exchange("http://h/2", "200 OK", "text/html", "two", at),
				exchange("http://h/3", "200 OK", "text/html", "three", at))
			caps, _, err := readAll(t, p)
			if err != nil || len(caps) != 3 {
				t.Fatalf("clean: %v %v", caps, err)
			}
			raw, _ := os.ReadFile(p)
			// Damage record 2 (its response record): at its start, then in
			// its payload (bit rot under the digest; in a .gz a broken member).
			inside := caps[1].offset + (caps[2].offset-caps[1].offset)*3/10 // inside a gzip member
			if i := bytes.Index(raw, []byte("two")); i >= 0 && !strings.HasSuffix(name, ".gz") {
				inside = int64(i) // the payload, under its digest
			}
			for _, at := range []int64{caps[1].offset, inside} {
				bad := append([]byte(nil), raw...)
				copy(bad[at:], bytes.Repeat([]byte{'#'}, 3))
				if err := os.WriteFile(p, bad, 0o600); err != nil {
					t.Fatal(err)
				}
				caps2, st, err := readAll(t, p)
				if err != nil {
					t.Fatal(err)
				}
				var urls []string
				for _, c := range caps2 {
					urls = append(urls, c.url)
				}
				if strings.Join(urls, " ") != "http://h/1 http://h/3" {
					t.Errorf("damage at %d: read %v", at, urls)
				}
				if len(st.Malformed) == 0 || st.Malformed[0].Offset != caps[1].offset {
					t.Errorf("damage at %d: malformed = %v, want one at offset %d", at, st.Malformed, caps[1].offset)
				}
			}

			// Truncated in the third response record.
			if err := os.WriteFile(p, raw[:caps[2].offset+40], 0o600); err != nil {
				t.Fatal(err)
			}
			caps3, st, err := readAll(t, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(caps3) != 2 || caps3[1].url != "http://h/2" || st.Skipped[SkipMalformed] != 1 {
				t.Errorf("truncated: %+v %+v", caps3, st)
			}
		})
	}
}

func TestReadNotWARC(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.warc")
	if err := os.WriteFile(p, []byte("<html>not an archive</html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readAll(t, p); err == nil {
		t.Error("a file that is not WARC read without error")
	}
}
