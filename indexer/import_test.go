package indexer

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus/pdfgen"
	"github.com/inlsearch/inlsearch/indexer/warc"
)

func runImport(t *testing.T, dir string, clock *testClock, prefix string, files ...string) *Summary {
	t.Helper()
	j := &Job{DataDir: dir, Crawl: testCrawl(), Import: &Import{Files: files, URLPrefix: prefix}}
	if clock != nil {
		j.Now = clock.now
	}
	sum, err := j.Run(context.Background())
	if err != nil {
		t.Fatalf("import: %v (summary %+v)", err, sum)
	}
	return sum
}

func archivedPage(title, text string) string {
	return `<!doctype html><html lang="en"><head><title>` + title + `</title></head><body><main><h1>` + title +
		`</h1><h2 id="s">Section</h2><p>` + text + `</p></main></body></html>`
}

func response(u, status, ctype, body string, at time.Time) *warc.Exchange {
	return &warc.Exchange{URL: u, Date: at, Method: "GET", RequestHeader: http.Header{}, Proto: "HTTP/1.1",
		StatusText: status, ResponseHeader: http.Header{"Content-Type": {ctype}}, Body: []byte(body)}
}

func writeWARC(t *testing.T, path string, exs ...*warc.Exchange) {
	t.Helper()
	w, err := warc.Create(path, "test")
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
}

// TestCrawlWARCRoundTrip crawls a site writing a WARC file, imports that
// file into an empty data folder, and compares the two generations.
func TestCrawlWARCRoundTrip(t *testing.T) {
	site := MustFakeSite(t, 4)
	crawled, imported := t.TempDir(), t.TempDir()
	file := filepath.Join(t.TempDir(), "crawl.warc.gz")
	j := newTestJob(crawled, site, nil, nil)
	j.WARC = file
	sum, err := j.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.WARCRecords < 5 { // robots.txt, sitemap, home, 4 pages
		t.Errorf("%d exchanges archived", sum.WARCRecords)
	}
	isum := runImport(t, imported, nil, "", file)
	a, b := MustCurrent(t, crawled), MustCurrent(t, imported)
	if len(a.docs) == 0 || a.fingerprint() != b.fingerprint() {
		t.Fatalf("crawl and import differ:\ncrawl  %s\nimport %s", a.fingerprint(), b.fingerprint())
	}
	for id, d := range a.docs {
		e := b.docs[id]
		if d.URL != e.URL || d.Title != e.Title || d.Section != e.Section || strings.Join(d.Topics, ",") != strings.Join(e.Topics, ",") {
			t.Errorf("passage %s: crawl %q %q %q, import %q %q %q", id, d.URL, d.Title, d.Section, e.URL, e.Title, e.Section)
		}
		if e.Published.IsZero() {
			t.Errorf("imported passage %s has no published date (the capture date stands in)", e.URL)
		}
	}
	if isum.Skipped[warc.SkipRecordType] == 0 { // the request records and the warcinfo
		t.Errorf("import skipped %v, want request records counted", isum.Skipped)
	}
}

// TestImportBesideCrawl imports captures next to crawled pages: the latest
// capture of a URL wins, an older one never replaces a newer one, a later
// crawl neither asks for imported pages nor drops them, and damaged records
// are reported with their offset.
func TestImportBesideCrawl(t *testing.T) {
	site := MustFakeSite(t, 3)
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	clock.advance()
	MustRun(t, dir, site, clock)
	crawledDocs := len(MustCurrent(t, dir).docs)

	y := func(year int) time.Time { return time.Date(year, 6, 1, 0, 0, 0, 0, time.UTC) }
	arch := "http://archive.test/j/inl/a.htm"
	onSeedHost := site.url("/old-program") // linked from nowhere on the live site
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(archivedPage("Compressed", "Gzip encoded capture about maritime security training.")))
	_ = zw.Close()
	enc := response("http://archive.test/j/inl/gz.htm", "200 OK", "text/html; charset=utf-8", gz.String(), y(2014))
	enc.ResponseHeader.Set("Content-Encoding", "gzip")
	file1 := filepath.Join(t.TempDir(), "one.warc")
	writeWARC(t, file1,
		response(arch, "200 OK", "text/html", archivedPage("Program A", "Newer capture about alternative development in the Andes."), y(2012)),
		response(arch, "200 OK", "text/html", archivedPage("Program A", "Older capture about eradication."), y(2010)),
		response(onSeedHost, "200 OK", "text/html", archivedPage("Old program", "An archived program on precursor chemicals."), y(2015)),
		response("http://archive.test/missing", "404 Not Found", "text/html", "gone", y(2012)),
		response("http://archive.test/logo.png", "200 OK", "image/png", "\x89PNG", y(2012)),
		enc)
	clock.advance()
	sum := runImport(t, dir, clock, "", file1)
	g := MustCurrent(t, dir)
	if got := joinTexts(g.byPage[arch]); !strings.Contains(got, "Newer capture") || strings.Contains(got, "Older capture") {
		t.Errorf("latest capture not chosen: %q", got)
	}
	for _, d := range g.byPage[arch] {
		if !d.Published.Equal(y(2012)) {
			t.Errorf("published = %v, want the capture date", d.Published)
		}
	}
	if !strings.Contains(joinTexts(g.byPage["http://archive.test/j/inl/gz.htm"]), "maritime security") {
		t.Error("gzip-encoded capture not read")
	}
	if len(g.docs) <= crawledDocs || sum.Skipped[warc.SkipStatus] != 1 || sum.Skipped[skipMediaType] != 1 {
		t.Errorf("import: %d passages (crawl had %d), skipped %v", len(g.docs), crawledDocs, sum.Skipped)
	}
	if r := mustRecord(t, dir, arch); !r.Imported || !r.Captured.Equal(y(2012)) {
		t.Errorf("record: imported %v captured %v", r.Imported, r.Captured)
	}

	// An older capture does not replace the newer one; a newer one does.
	file2 := filepath.Join(t.TempDir(), "two.warc.gz")
	writeWARC(t, file2, response(arch, "200 OK", "text/html", archivedPage("Program A", "A 2011 capture about demand reduction."), y(2011)))
	clock.advance()
	sum = runImport(t, dir, clock, "", file2)
	if sum.Skipped[skipOlderCapture] != 1 || strings.Contains(joinTexts(MustCurrent(t, dir).byPage[arch]), "2011") {
		t.Errorf("older capture: skipped %v", sum.Skipped)
	}
	writeWARC(t, file2, response(arch, "200 OK", "text/html", archivedPage("Program A", "A 2016 capture about corrections reform."), y(2016)))
	clock.advance()
	runImport(t, dir, clock, "", file2)
	if !strings.Contains(joinTexts(MustCurrent(t, dir).byPage[arch]), "2016 capture") {
		t.Error("newer capture did not replace the older one")
	}

	// A later crawl: imported pages kept, the one on the seed host not asked for.
	site.resetLog()
	clock.advance()
	MustRun(t, dir, site, clock)
	if hasRequest(site, "/old-program") {
		t.Error("the crawl asked for an imported page")
	}
	g = MustCurrent(t, dir)
	for _, u := range []string{arch, onSeedHost, "http://archive.test/j/inl/gz.htm"} {
		if len(g.byPage[u]) == 0 {
			t.Errorf("crawl dropped imported page %s", u)
		}
	}
	if r := mustRecord(t, dir, onSeedHost); !r.Imported || !r.StaleSince.IsZero() {
		t.Errorf("imported page after a crawl: imported %v stale since %v", r.Imported, r.StaleSince)
	}

	// A damaged record is reported with its offset; a cut file yields the
	// records before the damage.
	raw, err := os.ReadFile(file1)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(raw, []byte("Newer capture"))
	bad := append([]byte(nil), raw...)
	copy(bad[i:], "XXXXX")
	cut := bytes.Index(raw, []byte("An archived program"))
	damaged := filepath.Join(t.TempDir(), "damaged.warc")
	truncated := filepath.Join(t.TempDir(), "cut.warc")
	if err := os.WriteFile(damaged, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, raw[:cut], 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := t.TempDir()
	sum = runImport(t, fresh, nil, "", damaged, truncated)
	if sum.FailReasons[ReasonWARCMalformed] != 2 {
		t.Errorf("malformed: %v %+v", sum.FailReasons, sum.Failures)
	}
	for _, f := range sum.Failures {
		if !strings.Contains(f.URL, "#offset=") {
			t.Errorf("failure %s names no offset", f.URL)
		}
	}
	g = MustCurrent(t, fresh)
	// The damaged file's 2012 capture is gone; the cut file's 2012 capture
	// (before the damage) is read, and its 2010 one too is there.
	if !strings.Contains(joinTexts(g.byPage[arch]), "Newer capture") {
		t.Errorf("records before the damage not read: %q", joinTexts(g.byPage[arch]))
	}
}

// TestImportLocalFiles reads HTML files under file:// URLs, or under
// --url-prefix.
func TestImportLocalFiles(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "j", "inl"), 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(root, "j", "inl", "index.htm")
	if err := os.WriteFile(page, []byte(archivedPage("Local", "A saved page on police training in Haiti.")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum := runImport(t, dir, nil, "", root)
	abs, _ := filepath.Abs(page)
	if len(MustCurrent(t, dir).byPage["file://"+filepath.ToSlash(abs)]) == 0 || sum.Skipped[skipFileType] != 1 {
		t.Errorf("file URL: pages %v, skipped %v", MustCurrent(t, dir).byPage, sum.Skipped)
	}
	dir = t.TempDir()
	runImport(t, dir, nil, "https://2009-2017.state.gov/", root)
	if len(MustCurrent(t, dir).byPage["https://2009-2017.state.gov/j/inl/index.htm"]) == 0 {
		t.Errorf("--url-prefix: pages %v", MustCurrent(t, dir).byPage)
	}
}

// TestImportPDFs reads a PDF capture of a WARC file and a local PDF file
// through the crawl's PDF path: passages per chapter, #page=N links.
func TestImportPDFs(t *testing.T) {
	files, err := pdfgen.SiteFiles()
	if err != nil {
		t.Fatal(err)
	}
	report := files[pdfgen.ReportPath]
	root := t.TempDir()
	arch := filepath.Join(root, "a.warc.gz")
	at := time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC)
	writeWARC(t, arch, response("http://archive.test/j/inl/rls/nrcrpt/2015/report.pdf", "200 OK", "application/pdf", string(report), at))
	local := filepath.Join(root, "docs", "report.pdf")
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, report, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum := runImport(t, dir, nil, "https://www.state.gov/", arch, filepath.Join(root, "docs"))
	if sum.Captures != 2 {
		t.Errorf("captures %d (skipped %v, failures %v), want 2", sum.Captures, sum.Skipped, sum.Failures)
	}
	g := MustCurrent(t, dir)
	for _, u := range []string{"http://archive.test/j/inl/rls/nrcrpt/2015/report.pdf", "https://www.state.gov/report.pdf"} {
		found := false
		for _, d := range g.byPage[u] {
			if strings.Contains(d.Text, "mangrove checkpoint at Puerto Castilla") {
				found = true
				if !strings.HasSuffix(d.URL, "#page=6") || !strings.HasPrefix(d.Section, "Honduras") {
					t.Errorf("%s: hit url %q section %q, want #page=6 under Honduras", u, d.URL, d.Section)
				}
			}
		}
		if !found {
			t.Errorf("%s: no passage of page 6 among %d passages", u, len(g.byPage[u]))
		}
	}
}
