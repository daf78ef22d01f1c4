package indexer

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer/record"
	"github.com/inlsearch/inlsearch/search"
)

const nPages = 20

// TestIncrementalCrawls runs crawls of a site that changes between them and
// checks the counts of each job and the contents of each generation.
func TestIncrementalCrawls(t *testing.T) {
	site := MustFakeSite(t, nPages)
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	home := site.url("/")
	u := func(i int) string { return site.url(pagePath(i)) }
	site.set(pagePath(9), func(p *fakePage) { p.validator = "lastmod" })
	site.set(pagePath(10), func(p *fakePage) { p.validator = "none" })

	// 1. First crawl: every page is new and parsed.
	t1 := clock.advance()
	sum := MustRun(t, dir, site, clock)
	wantCounts(t, "first crawl", sum, Counts{New: nPages + 1, Parsed: nPages + 1})
	wantIndex(t, "first crawl", sum, IndexSummary{Mode: IndexFull, Reason: reasonFirst, Added: sum.Passages})
	g1 := MustCurrent(t, dir)
	for i := 1; i <= nPages; i++ {
		docs := g1.byPage[u(i)]
		if len(docs) != 2 {
			t.Fatalf("first crawl: page %d has %d passages, want 2", i, len(docs))
		}
		for _, d := range docs {
			if !d.FirstSeen.Equal(t1) || !d.LastSeen.Equal(t1) || !d.ChangedAt.Equal(t1) {
				t.Errorf("first crawl: %s seen %v/%v/%v, want all %v", d.URL, d.FirstSeen, d.LastSeen, d.ChangedAt, t1)
			}
		}
	}

	// 2. Nothing changed: every page is asked for conditionally (when it has
	// validators) and none is parsed.
	site.resetLog()
	t2 := clock.advance()
	sum = MustRun(t, dir, site, clock)
	wantCounts(t, "unchanged re-crawl", sum, Counts{Unchanged: nPages + 1})
	wantIndex(t, "unchanged re-crawl", sum, IndexSummary{Mode: IndexIncremental, Base: g1.id, Kept: sum.Passages})
	if sum.NotModified != nPages-1 { // p10 has no validators, / neither
		t.Errorf("unchanged re-crawl: %d not modified, want %d", sum.NotModified, nPages-1)
	}
	for _, r := range site.requests() {
		switch r.path {
		case "/robots.txt", "/sitemap.xml", "/", pagePath(10):
		case pagePath(9):
			if r.ifModifiedSince == "" {
				t.Errorf("unchanged re-crawl: %s asked without If-Modified-Since", r.path)
			}
		default:
			if r.ifNoneMatch == "" {
				t.Errorf("unchanged re-crawl: %s asked without If-None-Match", r.path)
			}
		}
	}
	g2 := MustCurrent(t, dir)
	if g2.fingerprint() != g1.fingerprint() {
		t.Errorf("unchanged re-crawl changed the passages")
	}
	for _, d := range g2.docs {
		if d.PageURL != home && (!d.FirstSeen.Equal(t1) || !d.LastSeen.Equal(t2) || !d.ChangedAt.Equal(t1)) {
			t.Errorf("unchanged re-crawl: %s first/last/changed %v/%v/%v, want %v/%v/%v", d.URL, d.FirstSeen, d.LastSeen, d.ChangedAt, t1, t2, t1)
		}
	}

	// 3. A page added, one edited, one gone with 404, one with 410.
	site.set(pagePath(nPages+1), func(p *fakePage) {
		p.finance = "A new program trains customs officers in container control at the port, with dogs and scanners bought for the inspection teams."
		p.police = "Police cadets learn community policing and the handling of evidence from instructors who visit the academy twice a year."
	})
	site.set(pagePath(2), func(p *fakePage) {
		p.police = "Edited: the unit now also trains prosecutors on extradition requests and on cases of organized crime."
		p.version++
	})
	site.set(pagePath(3), func(p *fakePage) { p.status = http.StatusNotFound })
	site.set(pagePath(4), func(p *fakePage) { p.status = http.StatusGone })
	t3 := clock.advance()
	sum = MustRun(t, dir, site, clock)
	// home changed (a new link), p02 edited.
	wantCounts(t, "edits", sum, Counts{New: 1, Changed: 2, Unchanged: nPages - 3, Removed: 2, Parsed: 3})
	g3 := MustCurrent(t, dir)
	// Only the passages that differ from the last generation's (last_seen
	// aside) are written, and only those gone or replaced are deleted.
	added, deleted := changedPassages(g2, g3)
	if added == 0 || deleted < 4 {
		t.Fatalf("edits: %d passages differ, %d gone or replaced: the test site did not change", added, deleted)
	}
	wantIndex(t, "edits", sum, IndexSummary{Mode: IndexIncremental, Base: g2.id, Added: added, Kept: sum.Passages - added, Deleted: deleted})
	for _, gone := range []int{3, 4} {
		if n := len(g3.byPage[u(gone)]); n != 0 {
			t.Errorf("edits: removed page %d still has %d passages", gone, n)
		}
	}
	if docs := g3.byPage[u(nPages+1)]; len(docs) == 0 || !docs[0].FirstSeen.Equal(t3) {
		t.Errorf("edits: the added page is missing or not first seen now: %+v", docs)
	}
	for _, d := range g3.byPage[u(2)] {
		wantFirst, wantChanged := t3, t3 // a passage new to the page
		if old, ok := g1.docs[d.ID]; ok {
			wantFirst = t1
			if old.Text == d.Text && old.Section == d.Section {
				wantChanged = t1
			}
		}
		if !d.FirstSeen.Equal(wantFirst) || !d.ChangedAt.Equal(wantChanged) {
			t.Errorf("edits: %s first_seen %v changed_at %v, want %v and %v", d.URL, d.FirstSeen, d.ChangedAt, wantFirst, wantChanged)
		}
	}
	if d, ok := g3.docs[DocID(u(2)+"#finance")]; !ok || !d.ChangedAt.Equal(t1) {
		t.Errorf("edits: the untouched section of the edited page: %+v, want changed_at %v", d, t1)
	}
	if !strings.Contains(joinTexts(g3.byPage[u(2)]), "Edited:") {
		t.Errorf("edits: the edited text is not indexed")
	}
	for _, gone := range []int{3, 4} {
		rec := mustRecord(t, dir, u(gone))
		if rec.RemovedAt.IsZero() || len(rec.Docs) != 0 {
			t.Errorf("edits: record of removed page %d: removed_at %v, %d docs", gone, rec.RemovedAt, len(rec.Docs))
		}
	}

	// 4. Transient failures for one crawl: a 500, a timeout and a 429 with
	// Retry-After. Their passages are carried over, marked stale.
	site.set(pagePath(5), func(p *fakePage) { p.status = http.StatusInternalServerError })
	site.set(pagePath(6), func(p *fakePage) { p.stall = true })
	site.set(pagePath(7), func(p *fakePage) { p.status = http.StatusTooManyRequests; p.retryAfter = "1" })
	site.resetLog()
	t4 := clock.advance()
	sum = MustRun(t, dir, site, clock)
	wantCounts(t, "transient failures", sum, Counts{Unchanged: nPages - 3, Failed: 3, CarriedOver: 3, Stale: 3})
	if len(sum.Degraded) != 0 {
		t.Errorf("transient failures: degraded %v, want none (3 of %d pages)", sum.Degraded, nPages)
	}
	g4 := MustCurrent(t, dir)
	for _, i := range []int{5, 6, 7} {
		docs := g4.byPage[u(i)]
		if len(docs) != 2 {
			t.Errorf("transient failures: page %d has %d passages, want 2 carried over", i, len(docs))
		}
		for _, d := range docs {
			if !d.StaleSince.Equal(t4) || !d.LastSeen.Equal(t3) {
				t.Errorf("transient failures: %s stale_since %v last_seen %v, want %v and %v", d.URL, d.StaleSince, d.LastSeen, t4, t3)
			}
		}
	}
	var asked []time.Time
	for _, r := range site.requests() {
		if r.path == pagePath(7) {
			asked = append(asked, r.at)
		}
	}
	if len(asked) != 2 || asked[1].Sub(asked[0]) < 900*time.Millisecond {
		t.Errorf("429 with Retry-After: 1: asked at %v, want twice, 1 s apart", asked)
	}

	// 5. The pages answer again: fresh, no longer stale.
	for _, i := range []int{5, 6, 7} {
		site.set(pagePath(i), func(p *fakePage) { p.status, p.stall, p.retryAfter = 0, false, "" })
	}
	clock.advance()
	sum = MustRun(t, dir, site, clock)
	wantCounts(t, "recovered", sum, Counts{Unchanged: nPages})
	g5 := MustCurrent(t, dir)
	for _, d := range g5.docs {
		if !d.StaleSince.IsZero() {
			t.Errorf("recovered: %s still stale since %v", d.URL, d.StaleSince)
		}
	}

	// 6. robots.txt answers 503: the host is disallowed for the run and
	// carried over whole.
	site.mu.Lock()
	site.robotsStatus = http.StatusServiceUnavailable
	site.mu.Unlock()
	clock.advance()
	sum = MustRun(t, dir, site, clock)
	if len(sum.Degraded) != 1 {
		t.Errorf("robots 503: degraded %v, want the host", sum.Degraded)
	}
	if g := MustCurrent(t, dir); g.fingerprint() != g5.fingerprint() {
		t.Errorf("robots 503: the host was not carried over as it was")
	}
	if sum.Counts.CarriedOver != nPages || sum.Counts.Stale != nPages {
		t.Errorf("robots 503: carried over %d, stale %d, want %d each", sum.Counts.CarriedOver, sum.Counts.Stale, nPages)
	}
	site.mu.Lock()
	site.robotsStatus = 0
	site.mu.Unlock()

	// 7. More than 20% of the pages fail: the host is carried over whole, even
	// a page edited and a page gone in the meantime.
	for i := 11; i <= 15; i++ {
		site.set(pagePath(i), func(p *fakePage) { p.status = http.StatusBadGateway })
	}
	site.set(pagePath(1), func(p *fakePage) { p.finance = "Edited while the site was failing."; p.version++ })
	site.set(pagePath(8), func(p *fakePage) { p.status = http.StatusNotFound })
	clock.advance()
	sum = MustRun(t, dir, site, clock)
	hs := sum.Hosts[strings.TrimPrefix(site.srv.URL, "http://")]
	if hs == nil || hs.Degraded == "" || len(sum.Degraded) != 1 {
		t.Fatalf("over 20%% failures: host not degraded: %+v %v", hs, sum.Degraded)
	}
	if sum.Counts.Failed != 5 || sum.Counts.Removed != 0 || sum.Counts.CarriedOver != nPages {
		t.Errorf("over 20%% failures: counts %+v, want 5 failed, 0 removed, %d carried over", sum.Counts, nPages)
	}
	g7 := MustCurrent(t, dir)
	if strings.Contains(joinTexts(g7.byPage[u(1)]), "Edited while") || len(g7.byPage[u(8)]) == 0 {
		t.Errorf("over 20%% failures: the host's last generation did not stand")
	}

	// 8. Healthy again: the edit and the removal land.
	for i := 11; i <= 15; i++ {
		site.set(pagePath(i), func(p *fakePage) { p.status = 0 })
	}
	clock.advance()
	sum = MustRun(t, dir, site, clock)
	g8 := MustCurrent(t, dir)
	if !strings.Contains(joinTexts(g8.byPage[u(1)]), "Edited while") || len(g8.byPage[u(8)]) != 0 || len(sum.Degraded) != 0 {
		t.Errorf("healthy again: edit or removal missing; degraded %v", sum.Degraded)
	}
	wantCounts(t, "healthy again", sum, Counts{Changed: 1, Removed: 1, Unchanged: nPages - 2, Parsed: 1})

	// 9. robots.txt now disallows a page: it is removed.
	site.mu.Lock()
	site.robotsBody = "User-agent: *\nDisallow: " + pagePath(20) + "\n"
	site.mu.Unlock()
	clock.advance()
	sum = MustRun(t, dir, site, clock)
	wantCounts(t, "robots disallow", sum, Counts{Removed: 1, Unchanged: nPages - 2})
	if n := len(MustCurrent(t, dir).byPage[u(20)]); n != 0 || mustRecord(t, dir, u(20)).RemovedAt.IsZero() {
		t.Errorf("robots disallow: page 20 still has %d passages", n)
	}
}

func wantCounts(t *testing.T, step string, sum *Summary, want Counts) {
	t.Helper()
	if sum.Counts != want {
		t.Errorf("%s: counts %+v, want %+v (failures %v)", step, sum.Counts, want, sum.Failures)
	}
}

func joinTexts(docs []search.Document) string {
	var b strings.Builder
	for _, d := range docs {
		b.WriteString(d.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func mustRecord(t *testing.T, dir, u string) *record.Record {
	t.Helper()
	db, err := record.Open(filepath.Join(dir, record.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec, ok, err := db.Get(u)
	if err != nil || !ok {
		t.Fatalf("record %s: %v %v", u, ok, err)
	}
	return rec
}

// wantIndex checks how a job built its index (Segments and Seconds aside).
func wantIndex(t *testing.T, step string, sum *Summary, want IndexSummary) {
	t.Helper()
	if sum.Index == nil {
		t.Fatalf("%s: no index summary", step)
	}
	got := *sum.Index
	got.Segments, got.Seconds = 0, 0
	if got != want {
		t.Errorf("%s: index %+v, want %+v", step, got, want)
	}
}

// changedPassages counts the passages of generation b that are not in a as
// they are (last_seen aside), and those of a that b removed or replaced.
func changedPassages(a, b generation) (added, deleted int) {
	for id, d := range b.docs {
		old, ok := a.docs[id]
		old.LastSeen, d.LastSeen = time.Time{}, time.Time{}
		if !ok || !reflect.DeepEqual(old, d) {
			added++
			if ok {
				deleted++
			}
		}
	}
	for id := range a.docs {
		if _, ok := b.docs[id]; !ok {
			deleted++
		}
	}
	return added, deleted
}

// TestFullBuildWhen: the index is built in full on request and when the
// published generation was made by another parser or index version, and
// from the published generation otherwise.
func TestFullBuildWhen(t *testing.T) {
	site := MustFakeSite(t, 4)
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	run := func(rebuild bool) *Summary {
		t.Helper()
		clock.advance()
		j := newTestJob(dir, site, clock, nil)
		j.Rebuild = rebuild
		sum, err := j.Run(context.Background())
		if err != nil {
			t.Fatalf("job: %v", err)
		}
		return sum
	}
	run(false)
	if sum := run(true); sum.Index.Mode != IndexFull || sum.Index.Reason != reasonRequested || sum.Index.Added != sum.Passages {
		t.Errorf("--rebuild: index %+v, want a full build of %d passages", sum.Index, sum.Passages)
	}
	for _, key := range []string{VersionParser, search.VersionIndex} {
		st, err := search.NewStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		cur, _, _ := st.Pointer()
		g, err := st.Info(cur)
		if err != nil {
			t.Fatal(err)
		}
		g.Versions[key] = "0-older"
		raw, _ := json.Marshal(g)
		if err := os.WriteFile(filepath.Join(dir, "generations", cur, "COMPLETE"), raw, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := run(false)
		if sum.Index.Mode != IndexFull || !strings.Contains(sum.Index.Reason, "0-older") {
			t.Errorf("%s changed: index %+v, want a full build saying why", key, sum.Index)
		}
		if sum := run(false); sum.Index.Mode != IndexIncremental || sum.Index.Added != 0 {
			t.Errorf("after the full build for %s: index %+v, want an incremental one writing nothing", key, sum.Index)
		}
	}
}

// TestRetagWithoutFetching: when only the tagger changed since the
// published generation (its model or taxonomy: the record's parser differs,
// its extractor does not), a crawl asks for every page conditionally,
// parses none, tags the stored passages again, builds the index in full
// and says so.
func TestRetagWithoutFetching(t *testing.T) {
	site := MustFakeSite(t, 6)
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	MustRun(t, dir, site, clock)
	g1 := MustCurrent(t, dir)

	// An older tagger: another parser key, and a tag it got wrong.
	const older = ParserVersion + "-000000000000"
	db, err := record.Open(filepath.Join(dir, record.FileName))
	if err != nil {
		t.Fatal(err)
	}
	var recs []*record.Record
	err = db.EachPublished(func(r *record.Record) error {
		if !r.Live() {
			return nil
		}
		if r.Extractor != ParserVersion {
			t.Errorf("record %s: extractor %q, want %q", r.URL, r.Extractor, ParserVersion)
		}
		r.Parser = older
		for i := range r.Docs {
			r.Docs[i].Topics = append(r.Docs[i].Topics, "older tagger's topic")
		}
		recs = append(recs, r)
		return nil
	})
	if err == nil {
		err = db.Stage(recs...)
	}
	if err == nil {
		err = db.Promote()
	}
	_ = db.Close()
	if err != nil {
		t.Fatal(err)
	}
	st, err := search.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.Info(g1.id)
	if err != nil {
		t.Fatal(err)
	}
	g.Versions[VersionParser] = older
	raw, _ := json.Marshal(g)
	if err := os.WriteFile(filepath.Join(dir, "generations", g1.id, "COMPLETE"), raw, 0o644); err != nil {
		t.Fatal(err)
	}

	site.resetLog()
	clock.advance()
	sum := MustRun(t, dir, site, clock)
	// The home page has no validators: its body comes anyway and is parsed.
	if sum.Counts.Parsed != 1 || sum.Counts.Retagged != sum.NotModified || sum.Counts.Retagged != 6 {
		t.Errorf("counts %+v (%d not modified), want the 6 pages answering 304 retagged and only the home page parsed", sum.Counts, sum.NotModified)
	}
	if sum.Index.Mode != IndexFull || !strings.Contains(sum.Index.Reason, "parser changed") {
		t.Errorf("index %+v, want a full build for the new parser", sum.Index)
	}
	for _, r := range site.requests() {
		if strings.HasPrefix(r.path, "/p") && r.ifNoneMatch == "" && r.ifModifiedSince == "" {
			t.Errorf("%s asked unconditionally", r.path)
		}
	}
	g2 := MustCurrent(t, dir)
	if len(g2.docs) != len(g1.docs) {
		t.Fatalf("%d passages after retagging, %d before", len(g2.docs), len(g1.docs))
	}
	for id, d := range g2.docs {
		if slices.Contains(d.Topics, "older tagger's topic") {
			t.Errorf("%s keeps the older tagger's topic", d.URL)
		}
		want := g1.docs[id]
		d.LastSeen, want.LastSeen = time.Time{}, time.Time{}
		if !reflect.DeepEqual(d, want) {
			t.Errorf("%s retagged differs from its first tagging:\n%+v\n%+v", d.URL, d, want)
		}
	}
	if rec := mustRecord(t, dir, site.url(pagePath(1))); rec.Parser == older {
		t.Errorf("record keeps the older parser %q", rec.Parser)
	}
}
