package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

// builder is a data folder served through the web layer's replication
// routes, behind a hook that sees (and may change) every request.
type builder struct {
	data string
	url  string
	mu   sync.Mutex
	reqs []string // "path range" of each file request
	hook func(w http.ResponseWriter, r *http.Request, next http.Handler) bool
}

func newBuilder(tb testing.TB) *builder {
	tb.Helper()
	b := &builder{data: tb.TempDir()}
	st, err := search.NewStore(b.data)
	if err != nil {
		tb.Fatal(err)
	}
	h := web.New(web.Config{Generations: st}, nil, nil, nil).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		if strings.Contains(r.URL.Path, "/files/") {
			b.reqs = append(b.reqs, strings.TrimSpace(r.URL.Path[strings.Index(r.URL.Path, "/files/")+7:]+" "+r.Header.Get("Range")))
		}
		hook := b.hook
		b.mu.Unlock()
		if hook != nil && hook(w, r, h) {
			return
		}
		h.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	b.url = srv.URL
	return b
}

func (b *builder) requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.reqs...)
}

func (b *builder) setHook(h func(w http.ResponseWriter, r *http.Request, next http.Handler) bool) {
	b.mu.Lock()
	b.hook, b.reqs = h, nil
	b.mu.Unlock()
}

// runPullCmd runs `inlsearch pull` and returns its exit status and output.
func runPullCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"pull", "--log-level", "error"}, args...), &out, &errb)
	return code, out.String() + errb.String()
}

func largestFile(tb testing.TB, data, id string) search.ManifestFile {
	tb.Helper()
	st, _ := search.NewStore(data)
	m, err := st.Manifest(id)
	if err != nil {
		tb.Fatal(err)
	}
	var f search.ManifestFile
	for _, mf := range m.Files {
		if mf.Size > f.Size {
			f = mf
		}
	}
	return f
}

func pointerOf(tb testing.TB, data string) (string, string) {
	tb.Helper()
	st, err := search.NewStore(data)
	if err != nil {
		tb.Fatal(err)
	}
	cur, prev, _ := st.Pointer()
	return cur, prev
}

func TestPullCopiesAndPublishes(t *testing.T) {
	b := newBuilder(t)
	first := publishDocs(t, b.data, "a", 40)
	replica := t.TempDir()

	code, out := runPullCmd(t, "--from", b.url, "--data", replica)
	if code != 0 || !strings.Contains(out, "published generation "+first) {
		t.Fatalf("pull = %d\n%s", code, out)
	}
	if cur, _ := pointerOf(t, replica); cur != first {
		t.Fatalf("replica's current generation = %q, want %s", cur, first)
	}
	// The copy is the builder's generation: same files, same record, and it
	// is served with the builder's answers.
	st, _ := search.NewStore(replica)
	bst, _ := search.NewStore(b.data)
	got, _ := st.Manifest(first)
	want, _ := bst.Manifest(first)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("replica's manifest differs from the builder's")
	}
	for _, f := range want.Files {
		a, _ := os.ReadFile(filepath.Join(b.data, "generations", first, f.Path))
		c, err := os.ReadFile(filepath.Join(replica, "generations", first, f.Path))
		if err != nil || !bytes.Equal(a, c) {
			t.Errorf("%s differs in the replica (%v)", f.Path, err)
		}
	}
	base := MustServe(t, replica)
	body := mustGetBody(t, base+"/api/v1/search?q=alpha&per_page=100")
	if ans, err := apiAnswer(body); err != nil || !strings.HasPrefix(ans, "40|") {
		t.Errorf("search on the replica = %s (%v), want 40 passages", ans, err)
	}
	if _, err := os.Stat(filepath.Join(replica, "pull", first)); !os.IsNotExist(err) {
		t.Errorf("staging folder left behind: %v", err)
	}

	// Nothing new: nothing is requested, nothing changes.
	b.setHook(nil)
	code, out = runPullCmd(t, "--from", b.url, "--data", replica)
	if code != 0 || !strings.Contains(out, "nothing new") || len(b.requests()) != 0 {
		t.Errorf("second pull = %d, %d file requests\n%s\nwant 0, none, nothing new", code, len(b.requests()), out)
	}

	// The builder publishes again: the replica follows, the first generation its previous.
	second := publishDocs(t, b.data, "b", 40)
	if code, out := runPullCmd(t, "--from", b.url, "--data", replica); code != 0 {
		t.Fatalf("third pull = %d\n%s", code, out)
	}
	if cur, prev := pointerOf(t, replica); cur != second || prev != first {
		t.Errorf("replica's pointer = %s, %s; want %s, %s", cur, prev, second, first)
	}
}

func TestPullResumesPartialFile(t *testing.T) {
	b := newBuilder(t)
	id := publishDocs(t, b.data, "a", 200)
	replica := t.TempDir()
	f := largestFile(t, b.data, id)
	whole, err := os.ReadFile(filepath.Join(b.data, "generations", id, f.Path))
	if err != nil {
		t.Fatal(err)
	}
	half := int64(len(whole) / 2)

	// A run that died in the middle of the largest file (cron, a reboot):
	// its first half is staged.
	staged := filepath.Join(replica, "pull", id, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(staged), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(staged, whole[:half], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runPullCmd(t, "--from", b.url, "--data", replica)
	if code != 0 {
		t.Fatalf("pull = %d\n%s", code, out)
	}
	wantReq := fmt.Sprintf("%s bytes=%d-", f.Path, half)
	var asked []string
	for _, r := range b.requests() {
		if strings.HasPrefix(r, f.Path) {
			asked = append(asked, r)
		}
	}
	if len(asked) != 1 || asked[0] != wantReq {
		t.Errorf("requests for %s = %q, want one resuming at the staged size: %q", f.Path, asked, wantReq)
	}
	if cur, _ := pointerOf(t, replica); cur != id {
		t.Errorf("not published after resume: current %q", cur)
	}

	// Within one run: the connection breaks in the middle of the file; the
	// next try asks for the rest only.
	b2 := newBuilder(t)
	id2 := publishDocs(t, b2.data, "b", 200)
	f2 := largestFile(t, b2.data, id2)
	var cut sync.Once
	b2.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !strings.HasSuffix(r.URL.Path, f2.Path) || r.Header.Get("Range") != "" {
			return false
		}
		done := false
		cut.Do(func() {
			done = true
			w.Header().Set("Content-Length", fmt.Sprint(f2.Size))
			w.Header().Set("ETag", `"`+f2.SHA256+`"`) // as the real route answers
			w.Header().Set("X-Request-Id", "cut-1")
			w.WriteHeader(200)
			data, _ := os.ReadFile(filepath.Join(b2.data, "generations", id2, f2.Path))
			_, _ = w.Write(data[:f2.Size/3])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // the connection breaks
		})
		return done
	})
	replica2 := t.TempDir()
	code, out = runPullCmd(t, "--from", b2.url, "--data", replica2)
	if code != 0 {
		t.Fatalf("pull over a broken connection = %d\n%s", code, out)
	}
	asked = nil
	for _, r := range b2.requests() {
		if strings.HasPrefix(r, f2.Path) {
			asked = append(asked, r)
		}
	}
	if len(asked) != 2 || asked[0] != f2.Path || asked[1] != fmt.Sprintf("%s bytes=%d-", f2.Path, f2.Size/3) {
		t.Errorf("requests for %s = %q, want the whole, then the rest from byte %d", f2.Path, asked, f2.Size/3)
	}
	if cur, _ := pointerOf(t, replica2); cur != id2 {
		t.Errorf("not published: current %q", cur)
	}
}

func TestPullChecksumFailurePublishesNothing(t *testing.T) {
	b := newBuilder(t)
	old := publishDocs(t, b.data, "a", 30)
	replica := t.TempDir()
	if code, out := runPullCmd(t, "--from", b.url, "--data", replica); code != 0 {
		t.Fatalf("first pull = %d\n%s", code, out)
	}
	id := publishDocs(t, b.data, "b", 30)
	f := largestFile(t, b.data, id)
	// The builder's file is damaged on the way (same size, one byte flipped).
	b.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !strings.HasSuffix(r.URL.Path, "/files/"+f.Path) {
			return false
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		body[len(body)/2] ^= 0xff
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
		return true
	})
	code, out := runPullCmd(t, "--from", b.url, "--data", replica)
	if code != 1 || !strings.Contains(out, "checksum mismatch") || !strings.Contains(out, f.Path) {
		t.Fatalf("pull of a damaged file = %d\n%s\nwant exit 1 naming the checksum mismatch and the file", code, out)
	}
	if cur, prev := pointerOf(t, replica); cur != old || prev != "" {
		t.Errorf("pointer after a failed pull = %s, %s; want %s unchanged", cur, prev, old)
	}
	if _, err := os.Stat(filepath.Join(replica, "generations", id)); !os.IsNotExist(err) {
		t.Errorf("generation %s is in generations/ after a failed pull: %v", id, err)
	}
	if _, err := os.Stat(filepath.Join(replica, "pull", id, f.Path)); !os.IsNotExist(err) {
		t.Errorf("the damaged file stays staged: %v", err)
	}
	// Repaired builder: the next pull fetches only the file that failed.
	b.setHook(nil)
	code, out = runPullCmd(t, "--from", b.url, "--data", replica)
	if code != 0 {
		t.Fatalf("pull after the repair = %d\n%s", code, out)
	}
	if reqs := b.requests(); len(reqs) != 1 || reqs[0] != f.Path {
		t.Errorf("requests after the repair = %q, want only %s (the rest was verified and kept)", reqs, f.Path)
	}
	if cur, prev := pointerOf(t, replica); cur != id || prev != old {
		t.Errorf("pointer = %s, %s; want %s, %s", cur, prev, id, old)
	}
}

func TestPullBuilderDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	replica := t.TempDir()
	code, out := runPullCmd(t, "--from", "http://"+addr, "--data", replica)
	if code != 1 || !strings.Contains(out, "unreachable") {
		t.Errorf("pull from a closed port = %d\n%s\nwant 1 and 'unreachable'", code, out)
	}
	if cur, _ := pointerOf(t, replica); cur != "" {
		t.Errorf("something was published: %s", cur)
	}

	empty := newBuilder(t)
	if code, out := runPullCmd(t, "--from", empty.url, "--data", replica); code != 1 || !strings.Contains(out, "no generation") {
		t.Errorf("pull from a builder with nothing published = %d\n%s", code, out)
	}
	notInl := httptest.NewServer(http.NotFoundHandler())
	defer notInl.Close()
	notInlsearch(t, notInl.URL)
	if code, out := runPullCmd(t, "--from", notInl.URL, "--data", replica); code != 1 || !strings.Contains(out, "404") {
		t.Errorf("pull from a server without the route = %d\n%s", code, out)
	}
}

func TestPullReplicationToken(t *testing.T) {
	data := t.TempDir()
	id := publishDocs(t, data, "a", 10)
	t.Setenv("INLSEARCH_REPLICATION_TOKEN", "s3cret-token")
	base := mustServeConfig(t, &Config{Data: data, LogLevel: "error", ReplicationToken: "s3cret-token"}, nil)
	replica := t.TempDir()
	code, out := runPullCmd(t, "--from", base, "--data", replica)
	if code != 0 || !strings.Contains(out, id) {
		t.Fatalf("pull with the token = %d\n%s", code, out)
	}
	t.Setenv("INLSEARCH_REPLICATION_TOKEN", "wrong")
	code, out = runPullCmd(t, "--from", base, "--data", t.TempDir())
	if code != 1 || !strings.Contains(out, "401") {
		t.Errorf("pull with a wrong token = %d\n%s", code, out)
	}
}

func TestPullRefusedWithoutRoom(t *testing.T) {
	b := newBuilder(t)
	id := publishDocs(t, b.data, "a", 30)
	bst, _ := search.NewStore(b.data)
	m, _ := bst.Manifest(id)
	replica := t.TempDir()
	var out bytes.Buffer
	p := newPuller(&Config{From: b.url, Data: replica}, slog.New(slog.DiscardHandler), &out)
	p.free = func() (uint64, error) { return uint64(m.Bytes()), nil } // the files, but not the margin
	err := p.once(context.Background())
	if !errors.Is(err, search.ErrInsufficientDisk) || !strings.Contains(err.Error(), "needed") {
		t.Fatalf("pull without room = %v, want ErrInsufficientDisk with the numbers", err)
	}
	if len(b.requests()) != 0 {
		t.Errorf("files requested before the refusal: %q", b.requests())
	}
	if cur, _ := pointerOf(t, replica); cur != "" {
		t.Errorf("published %s", cur)
	}
	p.free = func() (uint64, error) { return 1 << 40, nil }
	if err := p.once(context.Background()); err != nil {
		t.Fatalf("pull with room = %v", err)
	}
	if cur, _ := pointerOf(t, replica); cur != id {
		t.Errorf("current %q, want %s", cur, id)
	}
}

func TestPullUsage(t *testing.T) {
	replica := t.TempDir()
	for _, args := range [][]string{
		{"--data", replica},
		{"--from", "ftp://x", "--data", replica},
		{"--from", "builder:8080", "--data", replica},
		{"--from", "http://", "--data", replica},
		{"--from", "http://h/?a=b", "--data", replica},
		{"--from", "http://h", "--every", "500ms", "--data", replica},
	} {
		if code, out := runPullCmd(t, args...); code != 2 {
			t.Errorf("pull %q = %d, want 2 (usage)\n%s", args, code, out)
		}
	}
	// The builder's URL may come from the config file ("from"), as the pull unit does.
	b := newBuilder(t)
	id := publishDocs(t, b.data, "a", 5)
	conf := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(conf, []byte(`{"from": "`+b.url+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := runPullCmd(t, "--config", conf, "--data", replica); code != 0 || !strings.Contains(out, id) {
		t.Errorf("pull --config with \"from\" = %d\n%s", code, out)
	}
}

func mustGetBody(tb testing.TB, u string) []byte {
	tb.Helper()
	resp, err := http.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		tb.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return b
}
