package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/web"
)

// jobJSON is the last_job of /api/v1/status, with the fields these tests read.
type jobJSON struct {
	ID     string `json:"id"`
	State  string `json:"state"`
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

// waitJob polls until the runner's last job satisfies done, and returns it.
func waitJob(t *testing.T, r *jobRunner, done func(*jobRecord) bool) *jobRecord {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if last, _ := r.snapshot(); last != nil && done(last) {
			return last
		}
		if time.Now().After(deadline) {
			last, _ := r.snapshot()
			t.Fatalf("job never reached the expected state; last %+v", last)
		}
	}
}

// TestReindexSkippedWhileLocked: a job that finds the data folder locked by
// another crawl ends "skipped" with the holder's pid, not "failed"; once
// that crawl has finished, the status shows its outcome; the schedule tries
// again at its next tick and then succeeds.
func TestReindexSkippedWhileLocked(t *testing.T) {
	site := httptest.NewServer(corpus.Handler())
	t.Cleanup(site.Close)
	data := t.TempDir()
	publishDocs(t, data, "a", 5)
	live, logs, log := mustLiveLogged(t, data)
	cfg := &Config{Data: data, Seeds: []string{site.URL + "/"}, Delay: time.Millisecond, Force: true}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &jobRunner{cfg: cfg, log: log, live: live, ctx: ctx}
	rep := &statusReporter{live: live, runner: r, data: data}

	lock, err := indexer.AcquireLock(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := r.Reindex(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.wait()
	body, _ := json.Marshal(rep.Status(context.Background()))
	var st struct {
		LastJob jobJSON `json:"last_job"`
	}
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	wantReason := fmt.Sprintf("another crawl (pid %d) holds the data folder's lock", os.Getpid())
	if st.LastJob != (jobJSON{ID: id, State: "skipped", Reason: wantReason}) {
		t.Errorf("status last_job = %s, want skipped with reason %q and no error", body, wantReason)
	}
	if strings.Contains(logs.String(), "reindex failed") || !strings.Contains(logs.String(), "reindex skipped") {
		t.Errorf("a skipped job is logged as a failure:\n%s", logs.String())
	}

	// The crawl that held the lock (cron, another process) finishes: its
	// outcome is the latest news.
	lock.Release()
	other, err := newJob(cfg, nil).Run(context.Background())
	if err != nil {
		t.Fatalf("the other crawl: %v", err)
	}
	if got := rep.Status(context.Background()).LastJob; got == nil || got.ID != other.ID || got.State != web.JobSucceeded {
		t.Errorf("status after the other crawl ended = %+v, want its job %s", got, other.ID)
	}

	// Scheduled: skipped while locked, retried at the next tick once free.
	if lock, err = indexer.AcquireLock(data, nil); err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	scheduled := make(chan struct{})
	go func() { defer close(scheduled); r.schedule(sctx, 20*time.Millisecond) }()
	waitJob(t, r, func(j *jobRecord) bool { return j.ID != id && j.State == web.JobSkipped })
	lock.Release()
	done := waitJob(t, r, func(j *jobRecord) bool { return j.State == web.JobSucceeded })
	stop()
	<-scheduled
	r.wait()
	if got := rep.Status(context.Background()).LastJob; got == nil || got.State != web.JobSucceeded {
		t.Errorf("status after the retry (job %s succeeded) = %+v", done.ID, got)
	}
	if strings.Contains(logs.String(), "reindex failed") {
		t.Errorf("a job failed:\n%s", logs.String())
	}
}

// adminDo sends an admin request with the token (when not empty) and
// decodes the JSON answer into v.
func adminDo(t *testing.T, method, target, token string, v any) int {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, target, err, body)
		}
	}
	return resp.StatusCode
}

// TestReindexCancel: DELETE /api/v1/reindex stops a running job through its
// context: 202 cancelling, then the job ends "cancelled" (not failed), the
// previous generation is still served, no partial generation nor lock is
// left, and the crawl record serves the next crawl. Without a token 401;
// with no job running 404 no_reindex_running.
func TestReindexCancel(t *testing.T) {
	data := t.TempDir()
	gen := publishDocs(t, data, "a", 30)
	site := stallSite(t)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	base := mustServeConfig(t, &Config{Data: data, Seeds: []string{site.URL + "/"}, Delay: time.Millisecond, AdminToken: "tok"}, log)
	target := base + "/api/v1/reindex"

	var e errorBody
	if code := adminDo(t, "DELETE", target, "tok", &e); code != 404 || e.Error.Code != "no_reindex_running" {
		t.Errorf("DELETE with no job = %d %+v, want 404 no_reindex_running", code, e)
	}
	var started struct{ ID string }
	if code := adminDo(t, "POST", target, "tok", &started); code != 202 || started.ID == "" {
		t.Fatalf("POST = %d %+v", code, started)
	}
	if code := adminDo(t, "DELETE", target, "", &e); code != 401 || e.Error.Code != "unauthorized" {
		t.Errorf("DELETE without a token = %d %+v, want 401", code, e)
	}
	var st struct {
		Generation *struct{ ID string } `json:"generation"`
		LastJob    *jobJSON             `json:"last_job"`
	}
	getJSON(t, base+"/api/v1/status", &st)
	if st.LastJob == nil || st.LastJob.ID != started.ID || st.LastJob.State != "running" {
		t.Fatalf("status after an unauthorized DELETE = %+v, want %s running", st.LastJob, started.ID)
	}

	var cancelled struct{ ID, State string }
	if code := adminDo(t, "DELETE", target, "tok", &cancelled); code != 202 || cancelled.ID != started.ID || cancelled.State != "cancelling" {
		t.Fatalf("DELETE = %d %+v, want 202 {%s cancelling}", code, cancelled, started.ID)
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		getJSON(t, base+"/api/v1/status", &st)
		if st.LastJob != nil && st.LastJob.State != "cancelling" && st.LastJob.State != "running" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not end after DELETE: %+v", st.LastJob)
		}
	}
	if j := st.LastJob; j.ID != started.ID || j.State != "cancelled" || j.Error != "" || j.Reason == "" {
		t.Errorf("last job %+v, want %s cancelled with a reason and no error", j, started.ID)
	}
	// The summary the job saved (what a restarted server shows) agrees.
	if saved, err := indexer.LastSummary(data); err != nil || saved.ID != started.ID || saved.State != indexer.StateCancelled {
		t.Errorf("saved summary = %+v, %v; want %s %s", saved, err, started.ID, indexer.StateCancelled)
	}
	if st.Generation == nil || st.Generation.ID != gen {
		t.Errorf("served generation %+v, want %s", st.Generation, gen)
	}
	var res struct{ Total int }
	if code := getJSON(t, base+"/api/v1/search?q=alpha", &res); code != 200 || res.Total != 30 {
		t.Errorf("search after the cancel = %d, %d hits; want 200, 30", code, res.Total)
	}
	if code := adminDo(t, "DELETE", target, "tok", &e); code != 404 || e.Error.Code != "no_reindex_running" {
		t.Errorf("second DELETE = %d %+v, want 404", code, e)
	}
	gens, _ := os.ReadDir(filepath.Join(data, "generations"))
	if len(gens) != 1 || gens[0].Name() != gen {
		t.Errorf("generations after the cancelled job: %v, want only %s", gens, gen)
	}
	if _, err := os.Stat(filepath.Join(data, "crawl.lock")); !os.IsNotExist(err) {
		t.Errorf("crawl lock left behind: %v", err)
	}
	if strings.Contains(logs.String(), "reindex failed") {
		t.Errorf("the cancelled job is logged as failed:\n%s", logs.String())
	}

	// The crawl record is consistent: the next crawl reads it as it is.
	corpusSite := httptest.NewServer(corpus.Handler())
	t.Cleanup(corpusSite.Close)
	next := &Config{Data: data, Seeds: []string{corpusSite.URL + "/"}, Delay: time.Millisecond, Force: true}
	if _, err := newJob(next, log).Run(context.Background()); err != nil {
		t.Fatalf("crawl after the cancel: %v", err)
	}
	if strings.Contains(logs.String(), "moved aside") {
		t.Errorf("the crawl record was unreadable after the cancel:\n%s", logs.String())
	}
}
