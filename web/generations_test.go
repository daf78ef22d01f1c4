package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inlsearch/inlsearch/search"
)

// MustGenerationStore returns a data folder holding two published
// generations (previous, current).
func MustGenerationStore(tb testing.TB) (st *search.Store, previous, current string) {
	tb.Helper()
	st, err := search.NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	publish := func(n int) string {
		b, err := st.Begin(search.Vocabulary{})
		if err != nil {
			tb.Fatal(err)
		}
		docs := fixtureDocs()[:n]
		if err := b.Index.Add(context.Background(), docs); err != nil {
			tb.Fatal(err)
		}
		if err := b.Commit(search.Generation{Passages: n, Pages: n}, true); err != nil {
			tb.Fatal(err)
		}
		return b.ID
	}
	previous = publish(3)
	current = publish(5)
	return st, previous, current
}

func decodeGenerations(tb testing.TB, body []byte) generationsJSON {
	tb.Helper()
	var out generationsJSON
	if err := json.Unmarshal(body, &out); err != nil {
		tb.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	return out
}

func TestAPIGenerations(t *testing.T) {
	t.Parallel()
	st, prev, cur := MustGenerationStore(t)
	h := MustServer(t, Config{Generations: st}, nil, nil, nil).Handler()
	rec := do(t, h, "GET", "/api/v1/generations", nil)
	if rec.Code != 200 {
		t.Fatalf("status = %d\n%s", rec.Code, rec.Body)
	}
	got := decodeGenerations(t, rec.Body.Bytes())
	if got.Current != cur || got.Previous != prev || len(got.Generations) != 2 {
		t.Fatalf("current %s previous %s, %d generations; want %s %s 2", got.Current, got.Previous, len(got.Generations), cur, prev)
	}
	g := got.Generations[0]
	if g.ID != cur || !g.Current || g.Passages != 5 || got.Generations[1].ID != prev || got.Generations[1].Current {
		t.Fatalf("generations = %+v, want the current (5 passages) first", got.Generations)
	}
	var sum int64
	for _, f := range g.Files {
		b, err := os.ReadFile(filepath.Join(st.Dir, "generations", cur, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatalf("listed file %s: %v", f.Path, err)
		}
		h := sha256.Sum256(b)
		if int64(len(b)) != f.Size || hex.EncodeToString(h[:]) != f.SHA256 {
			t.Errorf("%s: listed %d %s, on disk %d %x", f.Path, f.Size, f.SHA256, len(b), h)
		}
		sum += f.Size
	}
	if len(g.Files) < 2 || g.Bytes != sum {
		t.Errorf("%d files, bytes %d; want the index's files summing to %d", len(g.Files), g.Bytes, sum)
	}

	empty, err := search.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rec = do(t, MustServer(t, Config{Generations: empty}, nil, nil, nil).Handler(), "GET", "/api/v1/generations", nil)
	if got := decodeGenerations(t, rec.Body.Bytes()); rec.Code != 200 || got.Current != "" || got.Generations == nil || len(got.Generations) != 0 {
		t.Errorf("nothing published: %d %s, want 200 with no current and an empty list", rec.Code, rec.Body)
	}
	rec = do(t, MustServer(t, Config{}, nil, nil, nil).Handler(), "GET", "/api/v1/generations", nil)
	if rec.Code != 404 {
		t.Errorf("without a store: status %d, want 404 (no route)", rec.Code)
	}
}

func TestGenerationFile(t *testing.T) {
	t.Parallel()
	st, _, cur := MustGenerationStore(t)
	h := MustServer(t, Config{Generations: st}, nil, nil, nil).Handler()
	m, err := st.Manifest(cur)
	if err != nil {
		t.Fatal(err)
	}
	var f search.ManifestFile
	for _, mf := range m.Files {
		if mf.Size > f.Size {
			f = mf
		}
	}
	want, err := os.ReadFile(filepath.Join(st.Dir, "generations", cur, filepath.FromSlash(f.Path)))
	if err != nil {
		t.Fatal(err)
	}
	target := "/api/v1/generations/" + cur + "/files/" + f.Path

	rec := do(t, h, "GET", target, nil)
	if rec.Code != 200 || rec.Body.String() != string(want) {
		t.Fatalf("GET %s: %d, %d bytes; want 200 and the file's %d bytes", target, rec.Code, rec.Body.Len(), len(want))
	}
	if et := rec.Header().Get("ETag"); et != `"`+f.SHA256+`"` {
		t.Errorf("ETag = %s, want the checksum %q", et, f.SHA256)
	}
	if ar := rec.Header().Get("Accept-Ranges"); ar != "bytes" {
		t.Errorf("Accept-Ranges = %q, want bytes", ar)
	}

	half := len(want) / 2
	rec = do(t, h, "GET", target, nil, "Range", fmt.Sprintf("bytes=%d-", half), "If-Range", `"`+f.SHA256+`"`)
	if rec.Code != 206 || rec.Body.String() != string(want[half:]) {
		t.Fatalf("resume from %d: %d, %d bytes; want 206 and the last %d bytes", half, rec.Code, rec.Body.Len(), len(want)-half)
	}
	if cr := rec.Header().Get("Content-Range"); cr != fmt.Sprintf("bytes %d-%d/%d", half, len(want)-1, len(want)) {
		t.Errorf("Content-Range = %q", cr)
	}
	// An If-Range of another content: the whole file, not a part of it.
	rec = do(t, h, "GET", target, nil, "Range", "bytes=10-", "If-Range", `"`+strings.Repeat("0", 64)+`"`)
	if rec.Code != 200 || rec.Body.Len() != len(want) {
		t.Errorf("If-Range of other content: %d, %d bytes; want 200 and the whole file", rec.Code, rec.Body.Len())
	}
	rec = do(t, h, "GET", target, nil, "Range", fmt.Sprintf("bytes=%d-", len(want)+10))
	if rec.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: %d, want 416", rec.Code)
	}

	for _, tt := range []struct {
		target string
		status int
		code   string
	}{
		{"/api/v1/generations/" + cur + "/files/COMPLETE", 404, "not_found"},
		{"/api/v1/generations/" + cur + "/files/MANIFEST", 404, "not_found"},
		{"/api/v1/generations/" + cur + "/files/index", 404, "not_found"},
		{"/api/v1/generations/" + cur + "/files/index/../COMPLETE", 404, "not_found"},
		{"/api/v1/generations/" + cur + "/files/index/%2e%2e/COMPLETE", 404, "not_found"},
		{"/api/v1/generations/" + cur + "/files/..%2f..%2fCURRENT", 404, "not_found"},
		{"/api/v1/generations/" + cur + "/files//etc/passwd", 404, "not_found"},
		{"/api/v1/generations/" + cur + "/files/index/store/..%5c..%5cCOMPLETE", 404, "not_found"},
		{"/api/v1/generations/20990101T000000Z-00000000/files/" + f.Path, 404, "not_found"},
		{"/api/v1/generations/..%2f..%2f/files/" + f.Path, 404, "not_found"}, // no route
		{"/api/v1/generations/a.b/files/" + f.Path, 400, "invalid_parameter"},
		{"/api/v1/generations/" + strings.Repeat("a", 65) + "/files/" + f.Path, 400, "invalid_parameter"},
	} {
		rec := do(t, h, "GET", tt.target, nil)
		var e apiError
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != tt.status || e.Error.Code != tt.code {
			t.Errorf("GET %s = %d %q, want %d %s", tt.target, rec.Code, e.Error.Code, tt.status, tt.code)
		}
		if strings.Contains(rec.Body.String(), st.Dir) || strings.Contains(rec.Body.String(), "root:") {
			t.Errorf("GET %s answers a path or a file outside the manifest: %s", tt.target, rec.Body)
		}
	}
}

func TestGenerationFileDownloadsCapped(t *testing.T) {
	t.Parallel()
	st, _, cur := MustGenerationStore(t)
	srv := MustServer(t, Config{Generations: st, MaxDownloads: 1}, nil, nil, nil)
	m, _ := st.Manifest(cur)
	target := "/api/v1/generations/" + cur + "/files/" + m.Files[0].Path
	srv.downloads <- struct{}{} // one download in flight
	rec := do(t, srv.Handler(), "GET", target, nil)
	if rec.Code != 503 || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("beyond MaxDownloads: %d (Retry-After %q), want 503 with Retry-After: 1", rec.Code, rec.Header().Get("Retry-After"))
	}
	<-srv.downloads
	if rec := do(t, srv.Handler(), "GET", target, nil); rec.Code != 200 {
		t.Errorf("after it ended: %d, want 200", rec.Code)
	}
}

func TestGenerationsReplicationToken(t *testing.T) {
	t.Parallel()
	st, _, cur := MustGenerationStore(t)
	h := MustServer(t, Config{Generations: st, ReplicationToken: testToken}, nil, nil, nil).Handler()
	m, _ := st.Manifest(cur)
	file := "/api/v1/generations/" + cur + "/files/" + m.Files[0].Path
	for i, tt := range []struct {
		target, auth string
		status       int
	}{
		{"/api/v1/generations", "", 401},
		{"/api/v1/generations", "Bearer wrong", 401},
		{"/api/v1/generations?token=" + testToken, "", 401},
		{file, "", 401},
		{file, "Bearer " + testToken[:len(testToken)-1], 401},
		{"/api/v1/generations", "Bearer " + testToken, 200},
		{file, "Bearer " + testToken, 200},
	} {
		hdr := []string{remoteAddrHeader, fmt.Sprintf("192.0.2.%d:1234", i+1)}
		if tt.auth != "" {
			hdr = append(hdr, "Authorization", tt.auth)
		}
		rec := do(t, h, "GET", tt.target, nil, hdr...)
		if rec.Code != tt.status {
			t.Errorf("GET %s (%q) = %d, want %d", tt.target, tt.auth, rec.Code, tt.status)
		}
		if tt.status == 401 && rec.Header().Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("401 without WWW-Authenticate: Bearer")
		}
	}
}
