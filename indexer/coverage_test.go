package indexer

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/indexer/record"
)

// TestCrawlReport: a page failing in the published record and fetched again
// in this crawl is no longer failing; a page removed now is; the staged
// record wins over the published one.
func TestCrawlReport(t *testing.T) {
	db, err := record.Open(filepath.Join(t.TempDir(), record.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err = db.Stage(
		&record.Record{URL: "https://a.gov/x", Status: 503, Reason: "server_error", StaleSince: t0},
		&record.Record{URL: "https://a.gov/y", Status: 503, Reason: "server_error", StaleSince: t0},
		&record.Record{URL: "https://a.gov/ok", Status: 200},
	)
	if err == nil {
		err = db.Promote()
	}
	if err == nil {
		err = db.Stage(
			&record.Record{URL: "https://a.gov/x", Status: 200},
			&record.Record{URL: "https://a.gov/ok", Status: 404, Reason: "not_found", RemovedAt: t0.Add(time.Hour)},
		)
	}
	if err != nil {
		t.Fatal(err)
	}
	rep, err := crawlReport(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failing) != 1 || rep.Failing[0].URL != "https://a.gov/y" || rep.Failing[0].Reason != "server_error" || rep.Failing[0].Status != 503 {
		t.Errorf("failing = %+v, want https://a.gov/y (server_error, 503)", rep.Failing)
	}
	if len(rep.Removed) != 1 || rep.Removed[0].URL != "https://a.gov/ok" || !rep.Removed[0].Since.Equal(t0.Add(time.Hour)) {
		t.Errorf("removed = %+v, want https://a.gov/ok", rep.Removed)
	}
}
