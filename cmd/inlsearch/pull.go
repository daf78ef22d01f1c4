package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/search"
)

// pull makes this data folder a replica of a builder's: it copies the
// builder's current generation over its API (GET /api/v1/generations, then
// each file of the manifest, resuming a partial download with Range), checks
// every file's SHA-256, and publishes the copy through the store's own
// publication (search.Store.Import). Nothing is published unless every file
// arrived whole and verified.

const (
	pullAttempts    = 3                // tries per file (each resumes where the last stopped)
	pullStallWindow = time.Minute      // a download that sends nothing for this long is cut
	pullListLimit   = 16 << 20         // bytes of the generations list read at most
	pullRetryWait   = 1 * time.Second  // the wait before the second try (doubled after)
	pullConnTimeout = 10 * time.Second // dial and TLS handshake
	pullHeadTimeout = 30 * time.Second // from request sent to response headers
)

// ErrChecksum is wrapped by the error of a pull when a downloaded file does
// not match the builder's manifest.
var ErrChecksum = errors.New("checksum mismatch")

func runPull(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := newFlagSet("pull", cfg, "pull")
	fs.SetOutput(stderr)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if cfg.From == "" {
		return usageError{"--from URL (the builder's base URL) is needed"}
	}
	log := newLogger(cfg, stderr)
	warnFilesystem(cfg, log)
	p := newPuller(cfg, log, stdout)
	if cfg.Every == 0 {
		return p.once(ctx)
	}
	t := time.NewTicker(cfg.Every)
	defer t.Stop()
	for {
		if err := p.once(ctx); err != nil && ctx.Err() == nil {
			log.Warn("pull failed", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

type puller struct {
	from   string // builder base URL, no trailing slash
	token  string
	data   string
	client *http.Client
	log    *slog.Logger
	out    io.Writer
	// free returns the bytes available in the data folder (tests); nil: statfs.
	free func() (uint64, error)
}

func newPuller(cfg *Config, log *slog.Logger, out io.Writer) *puller {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: pullConnTimeout}).DialContext,
		TLSHandshakeTimeout:   pullConnTimeout,
		ResponseHeaderTimeout: pullHeadTimeout,
		MaxIdleConnsPerHost:   2,
	}
	return &puller{from: strings.TrimRight(cfg.From, "/"), token: cfg.ReplicationToken, data: cfg.Data,
		client: &http.Client{Transport: wrapTransport(tr)}, log: log, out: out}
}

// wrapTransport wraps the puller's transport; the tests check there every
// exchange with the builder's API against its OpenAPI document.
var wrapTransport = func(rt http.RoundTripper) http.RoundTripper { return rt }

// remoteGenerations is the builder's GET /api/v1/generations.
type remoteGenerations struct {
	Current     string `json:"current"`
	Previous    string `json:"previous"`
	Generations []struct {
		search.Generation
		Files []search.ManifestFile `json:"files"`
	} `json:"generations"`
}

// once copies and publishes the builder's current generation unless this
// folder serves it already ("nothing new": no file is requested).
func (p *puller) once(ctx context.Context) error {
	start := time.Now()
	list, err := p.list(ctx)
	if err != nil {
		return err
	}
	if list.Current == "" {
		return fmt.Errorf("builder %s has published no generation yet", p.from)
	}
	var g search.Generation
	var m search.Manifest
	for _, rg := range list.Generations {
		if rg.ID == list.Current {
			g, m = rg.Generation, search.Manifest{Generation: rg.ID, Files: rg.Files}
		}
	}
	if g.ID == "" {
		return fmt.Errorf("builder %s: its current generation %s is not in its list", p.from, list.Current)
	}
	if err := m.Check(); err != nil {
		return fmt.Errorf("builder %s: %w", p.from, err)
	}
	st, err := search.NewStore(p.data)
	if err != nil {
		return err
	}
	if cur, _, _ := st.Pointer(); cur == g.ID {
		fmt.Fprintf(p.out, "nothing new: generation %s is current in %s\n", g.ID, p.data)
		return nil
	}
	lock, err := indexer.AcquireLock(p.data, p.log)
	if err != nil {
		return err
	}
	defer lock.Release()
	for _, id := range st.CleanPartial() { // as a crawl does, under the lock
		p.log.Info("removed partial generation", slog.String("generation", id))
	}
	if st.Has(g.ID) {
		if err := st.Repoint(g.ID); err != nil {
			return err
		}
		fmt.Fprintf(p.out, "published generation %s in %s (kept here already: nothing copied)\n", g.ID, p.data)
		return nil
	}
	st.CleanStaging(g.ID) // downloads of generations the builder moved past
	staged, err := st.StagingPath(g.ID)
	if err != nil {
		return err
	}
	free := p.free
	if free == nil {
		free = st.Free
	}
	if err := checkRoom(free, st.Dir, staged, m); err != nil {
		return err
	}
	p.log.Info("pull started", slog.String("generation", g.ID), slog.Int("files", len(m.Files)), slog.Int64("bytes", m.Bytes()))
	var got, reused int64
	for _, f := range m.Files {
		n, err := p.fetch(ctx, g.ID, f, filepath.Join(staged, filepath.FromSlash(f.Path)))
		if err != nil {
			return fmt.Errorf("generation %s: %w", g.ID, err)
		}
		got += n
		reused += f.Size - n
	}
	if err := st.Import(g, m); err != nil {
		return fmt.Errorf("publish generation %s: %w", g.ID, err)
	}
	d := time.Since(start)
	p.log.Info("pull done", slog.String("generation", g.ID), slog.Int64("downloaded", got), slog.Duration("duration", d))
	fmt.Fprintf(p.out, "published generation %s in %s: %d passages, %d files, %s downloaded (%s already here) in %s\n",
		g.ID, p.data, g.Passages, len(m.Files), sizeText(got), sizeText(reused), d.Round(time.Millisecond))
	return nil
}

// checkRoom refuses a pull whose files do not fit on the data folder's
// filesystem (what is staged already counts), with the numbers.
func checkRoom(freeBytes func() (uint64, error), dir, staged string, m search.Manifest) error {
	var have int64
	for _, f := range m.Files {
		if fi, err := os.Stat(filepath.Join(staged, filepath.FromSlash(f.Path))); err == nil {
			have += min(fi.Size(), f.Size)
		}
	}
	need := uint64(m.Bytes()-have) + search.DefaultSpaceRule.MinFree
	free, err := freeBytes()
	if err != nil {
		return fmt.Errorf("free space of %s: %w", dir, err)
	}
	if free < need {
		return fmt.Errorf("%w in %s: %s free, %s needed for generation %s (%s, %s staged already)",
			search.ErrInsufficientDisk, dir, sizeText(int64(free)), sizeText(int64(need)), m.Generation,
			sizeText(m.Bytes()), sizeText(have))
	}
	return nil
}

// list reads the builder's generations.
func (p *puller) list(ctx context.Context) (*remoteGenerations, error) {
	resp, err := p.get(ctx, "/api/v1/generations", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, p.statusError(resp)
	}
	var list remoteGenerations
	if err := json.NewDecoder(io.LimitReader(resp.Body, pullListLimit)).Decode(&list); err != nil {
		return nil, fmt.Errorf("builder %s: bad generations list: %w", p.from, err)
	}
	return &list, nil
}

func (p *puller) get(ctx context.Context, path string, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.from+path, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("builder %s unreachable: %w", p.from, err)
	}
	return resp, nil
}

// statusError describes an answer other than the expected one, with the
// message of the builder's JSON error when there is one.
func (p *puller) statusError(resp *http.Response) error {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e)
	msg := resp.Status
	if e.Error.Message != "" {
		msg += ": " + e.Error.Message
	}
	hint := ""
	switch resp.StatusCode {
	case http.StatusNotFound:
		if resp.Request != nil && strings.HasSuffix(resp.Request.URL.Path, "/api/v1/generations") {
			hint = " (is it an inlsearch serve of this version?)"
		}
	case http.StatusUnauthorized:
		hint = " (set INLSEARCH_REPLICATION_TOKEN to the builder's)"
	}
	return fmt.Errorf("builder %s answered %s%s", p.from, msg, hint)
}

// fetch makes dest the file f of generation id, checked against its
// checksum, resuming what an earlier try or run left. It returns the bytes
// downloaded. A checksum failure removes dest and is not retried.
func (p *puller) fetch(ctx context.Context, id string, f search.ManifestFile, dest string) (int64, error) {
	var total int64
	wait := pullRetryWait
	for attempt := 1; ; attempt++ {
		n, err := p.fetchOnce(ctx, id, f, dest)
		total += n
		if err == nil || errors.Is(err, ErrChecksum) || attempt == pullAttempts || ctx.Err() != nil {
			return total, err
		}
		p.log.Warn("download interrupted; resuming", slog.String("file", f.Path), slog.Int("attempt", attempt), slog.Any("error", err))
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (p *puller) fetchOnce(ctx context.Context, id string, f search.ManifestFile, dest string) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return 0, err
	}
	file, err := os.OpenFile(dest, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	have, err := file.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	h := sha256.New()
	if have > f.Size {
		have = 0
	} else if have > 0 {
		if _, err := io.Copy(h, io.NewSectionReader(file, 0, have)); err != nil {
			return 0, err
		}
		if have == f.Size {
			if hex.EncodeToString(h.Sum(nil)) == f.SHA256 {
				return 0, nil // downloaded whole by an earlier run
			}
			have = 0 // whole but wrong: download it again
		}
	}
	if have == 0 {
		h.Reset()
		if err := file.Truncate(0); err != nil {
			return 0, err
		}
	}
	if f.Size == 0 {
		return 0, verify(h, f, file, dest)
	}
	hdr := http.Header{}
	if have > 0 {
		hdr.Set("Range", fmt.Sprintf("bytes=%d-", have))
		hdr.Set("If-Range", `"`+f.SHA256+`"`) // the builder's whole file if it is not the same one
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	resp, err := p.get(ctx, "/api/v1/generations/"+url.PathEscape(id)+"/files/"+escapePath(f.Path), hdr)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0 &&
		strings.HasPrefix(resp.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-", have)):
	case resp.StatusCode == http.StatusOK:
		if have > 0 {
			have = 0
			h.Reset()
			if err := file.Truncate(0); err != nil {
				return 0, err
			}
		}
	default:
		return 0, fmt.Errorf("%s: %w", f.Path, p.statusError(resp))
	}
	if _, err := file.Seek(have, io.SeekStart); err != nil {
		return 0, err
	}
	body := &stallReader{r: resp.Body, cancel: cancel}
	want := f.Size - have
	n, err := io.Copy(io.MultiWriter(file, h), io.LimitReader(body, want+1))
	body.stop()
	if err == nil && n != want {
		err = fmt.Errorf("%s: got %d bytes, want %d", f.Path, n, want)
		if n > want {
			_ = file.Truncate(0) // longer than the manifest says: start over
		}
	}
	if err != nil {
		return n, fmt.Errorf("download %s: %w", f.Path, err)
	}
	return n, verify(h, f, file, dest)
}

// verify checks the checksum of a whole downloaded file and syncs it; a
// mismatch removes it, so that the next run downloads it again.
func verify(h hash.Hash, f search.ManifestFile, file *os.File, dest string) error {
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
		_ = file.Close()
		_ = os.Remove(dest)
		return fmt.Errorf("%s: %w: sha256 %s, the builder's manifest says %s", f.Path, ErrChecksum, got, f.SHA256)
	}
	if err := file.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", f.Path, err)
	}
	return nil
}

// escapePath escapes each element of a slash-separated path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// stallReader cancels a download that sends nothing for pullStallWindow.
type stallReader struct {
	r      io.Reader
	cancel context.CancelFunc
	once   sync.Once
	timer  *time.Timer
}

func (s *stallReader) Read(b []byte) (int, error) {
	s.once.Do(func() { s.timer = time.AfterFunc(pullStallWindow, s.cancel) })
	s.timer.Reset(pullStallWindow)
	return s.r.Read(b)
}

func (s *stallReader) stop() {
	if s.timer != nil {
		s.timer.Stop()
	}
}

// sizeText writes a byte count for people.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}
