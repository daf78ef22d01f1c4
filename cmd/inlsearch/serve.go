package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"sync"
	"time"

	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := newFlagSet("serve", cfg, "addr", "seed", "reindex", "debug", "proxy")
	fs.SetOutput(stderr)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if cfg.ReindexEvery > 0 && len(cfg.Seeds) == 0 {
		return usageError{"--reindex-every needs at least one --seed"}
	}
	log := newLogger(cfg, stderr)
	return serve(ctx, cfg, log, stdout, nil)
}

// watchEvery is how often serve looks for a newly published generation.
var watchEvery = 2 * time.Second

// serve serves the index of cfg.Data on cfg.Addr until ctx ends. When ready
// is not nil it receives the listening address.
func serve(ctx context.Context, cfg *Config, log *slog.Logger, stdout io.Writer, ready chan<- string) error {
	warnFilesystem(cfg, log)
	live, err := search.OpenLiveLimits(cfg.Data, limits.Search)
	if err != nil {
		return err
	}
	defer live.Close()
	if err := live.Store().SetKeep(search.KeepPolicy{Generations: cfg.KeepGenerations, For: cfg.KeepFor}); err != nil {
		log.Warn("record keep policy", slog.Any("error", err))
	} else if pruned := live.Store().Prune(); len(pruned) > 0 {
		log.Info("generations pruned", slog.Any("generations", pruned))
	}
	st := live.Status()
	switch {
	case st.Degraded != "":
		log.Warn("serving a fallback generation", slog.String("reason", st.Degraded))
	case !st.Serving && st.Error != "":
		log.Error("no readable index generation; searches answer 503 until a crawl publishes one", slog.String("error", st.Error))
	case !st.Serving:
		log.Warn("no index yet; searches answer 503 until a crawl publishes one", slog.String("data", cfg.Data))
	default:
		log.Info("serving generation", slog.String("generation", st.Generation.ID), slog.Int("passages", st.Generation.Passages))
	}

	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopJobs()
	var srv *web.Server
	metrics := newServerMetrics(live, func() web.AdmissionStats { return srv.AdmissionStats() })
	runner := &jobRunner{cfg: cfg, log: log, live: live, ctx: jobCtx, metrics: metrics}
	var reindexer web.Reindexer
	if len(cfg.Seeds) > 0 {
		reindexer = runner
	}
	if cfg.AdminToken == "" {
		log.Info("admin routes disabled: INLSEARCH_ADMIN_TOKEN is not set")
	}
	wc := webConfig(cfg, log, live.Limits())
	wc.ObserveRequest, wc.ObserveSearch = metrics.observeRequest, metrics.observeSearch
	wc.Generations, wc.ReplicationToken = live.Store(), cfg.ReplicationToken // replicas copy from here
	if cfg.MetricsAddr == "" {
		wc.Metrics, wc.MetricsPublic = metrics.handler(), cfg.MetricsPublic
	}
	srv = web.New(wc, live, &statusReporter{live: live, runner: runner, data: cfg.Data}, reindexer)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	addr := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "inlsearch is serving on %s\n", addr)
	if ready != nil {
		ready <- addr
	}

	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		wg.Wait()
	}()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("listen %s: %w", cfg.MetricsAddr, err)
		}
		fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", mln.Addr())
		wg.Go(func() { serveMetrics(ctx, mln, metrics.handler(), log) })
	}
	if cfg.DebugAddr != "" {
		dln, err := net.Listen("tcp", cfg.DebugAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("listen %s: %w", cfg.DebugAddr, err)
		}
		fmt.Fprintf(stdout, "profiles on http://%s/debug/pprof/\n", dln.Addr())
		wg.Go(func() { serveDebug(ctx, dln, log) })
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		live.Watch(ctx, watchEvery, func(swapped bool, err error) {
			switch {
			case swapped && err != nil:
				log.Warn("serving a fallback generation", slog.String("generation", live.Status().Generation.ID), slog.Any("reason", err))
			case err != nil:
				log.Warn("index reload", slog.Any("error", err))
			default:
				log.Info("swapped to new generation", slog.String("generation", live.Status().Generation.ID))
			}
		})
	}()
	if cfg.ReindexEvery > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runner.schedule(ctx, cfg.ReindexEvery)
		}()
	}
	err = srv.Serve(ctx, ln)
	cancel()
	stopJobs() // a running crawl stops; its partial generation is discarded
	runner.wait()
	return err
}

// webConfig is the server's configuration: the limits in force, the search
// limits of the index served (one set of limits), and the flags.
func webConfig(cfg *Config, log *slog.Logger, searchLimits search.Limits) web.Config {
	perClient := limits.MaxPerClient
	if cfg.MaxPerClient != 0 {
		perClient = cfg.MaxPerClient
	}
	return web.Config{
		AdminToken:     cfg.AdminToken,
		Version:        version,
		Logger:         log,
		Limits:         searchLimits,
		MaxInFlight:    limits.MaxInFlight,
		MaxPerClient:   perClient,
		TrustedProxies: cfg.TrustedProxies,
		MaxQueued:      limits.MaxQueued,
		QueueWait:      limits.QueueWait,
		Server:         limits.Server,
	}
}

// jobRunner runs crawl jobs one at a time, on demand or on a schedule.
type jobRunner struct {
	cfg  *Config
	log  *slog.Logger
	live *search.Live
	ctx  context.Context // jobs run under it, not under the request that started them

	mu       sync.Mutex
	running  string
	stop     context.CancelCauseFunc // cancels the running job
	stopping bool                    // an operator asked the running job to stop
	last     *jobRecord
	next     time.Time
	metrics  *serverMetrics // nil: none
	wg       sync.WaitGroup
}

type jobRecord struct {
	ID      string
	State   string // web.JobRunning, JobSucceeded, JobFailed, JobSkipped, JobCancelling, JobCancelled
	Error   string
	Reason  string // why a job skipped or was cancelled
	Summary *indexer.Summary
	Started time.Time
	Ended   time.Time
	// Progress is where the crawl of a running job stands (nil before its first page).
	Progress *crawl.Progress
}

// snapshot returns the last job and the next planned run.
func (r *jobRunner) snapshot() (last *jobRecord, next time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last != nil {
		c := *r.last
		last = &c
	}
	return last, r.next
}

// Reindex starts a job in the background and returns its id.
func (r *jobRunner) Reindex(_ context.Context) (string, error) {
	return r.start()
}

// CancelReindex cancels the running job's context and returns its id at
// once; the job ends as cancelled, its partial generation discarded and the
// crawl record unchanged (indexer.Job guarantees both).
func (r *jobRunner) CancelReindex(_ context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running == "" {
		return "", web.ErrNoReindexRunning
	}
	r.stopping = true
	r.last.State = web.JobCancelling
	r.stop(indexer.ErrCancelled)
	r.log.Info("reindex cancel requested", slog.String("job_id", r.running))
	return r.running, nil
}

// runningJob returns the id of the job that runs, if one does.
func (r *jobRunner) runningJob() (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running, r.running != ""
}

func (r *jobRunner) start() (string, error) {
	if id, running := r.runningJob(); running {
		return id, fmt.Errorf("job %s: %w", id, web.ErrReindexRunning)
	}
	// Pre-flight: refuse at once, with the numbers, when a new generation
	// would not fit (the admin route answers 409 insufficient_disk). It
	// walks the current generation's files, so it runs outside the lock
	// that status and cancel requests take.
	if st, err := search.NewStore(r.cfg.Data); err != nil {
		return "", err
	} else if err := st.CheckSpace(limits.Space); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running != "" {
		return r.running, fmt.Errorf("job %s: %w", r.running, web.ErrReindexRunning)
	}
	id := indexer.NewJobID()
	ctx, stop := context.WithCancelCause(r.ctx)
	r.running, r.stop, r.stopping = id, stop, false
	rec := &jobRecord{ID: id, State: web.JobRunning, Started: time.Now().UTC()}
	r.last = rec
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer stop(nil)
		sum, err := r.run(ctx, id, func(p crawl.Progress) {
			r.mu.Lock()
			rec.Progress = &p
			r.mu.Unlock()
		})
		r.mu.Lock()
		rec.Summary, rec.Ended = sum, time.Now().UTC()
		rec.State, rec.Reason, rec.Error = outcome(err, r.stopping)
		r.running, r.stop, r.stopping = "", nil, false
		state := rec.State
		r.mu.Unlock()
		if r.metrics != nil {
			r.metrics.jobDone(state, rec.Ended.Sub(rec.Started), sum)
		}
		switch state {
		case web.JobSkipped:
			// Not a failure: another crawl is doing the work; the schedule
			// tries again at its next tick.
			r.log.Info("reindex skipped", slog.String("job_id", id), slog.String("reason", rec.Reason))
			return
		case web.JobCancelled:
			r.log.Info("reindex cancelled", slog.String("job_id", id))
			return
		case web.JobFailed:
			r.log.Warn("reindex failed", slog.String("job_id", id), slog.Any("error", err), slog.Duration("duration", rec.Ended.Sub(rec.Started)))
			return
		}
		r.log.Info("reindex done", slog.String("job_id", id), slog.String("generation", sum.Generation), slog.Int("passages", sum.Passages),
			slog.Duration("duration", rec.Ended.Sub(rec.Started)))
		if _, err := r.live.Reload(); err != nil {
			r.log.Warn("index reload", slog.Any("error", err))
		}
	}()
	return id, nil
}

// outcome names how a job ended: succeeded, skipped (another crawl held the
// data folder's lock: nothing was done), cancelled (on request; errText
// keeps an error other than the cancellation itself) or failed.
func outcome(err error, stopping bool) (state, reason, errText string) {
	var locked *indexer.LockedError
	switch {
	case err == nil:
		return web.JobSucceeded, "", ""
	case errors.As(err, &locked):
		holder := "another crawl"
		if locked.PID > 0 {
			holder = fmt.Sprintf("another crawl (pid %d)", locked.PID)
		}
		return web.JobSkipped, holder + " holds the data folder's lock", ""
	case stopping:
		if !errors.Is(err, context.Canceled) {
			errText = err.Error()
		}
		return web.JobCancelled, "stopped on request (DELETE /api/v1/reindex)", errText
	default:
		return web.JobFailed, "", err.Error()
	}
}

// run runs one job under ctx; a panic fails the job instead of the server.
func (r *jobRunner) run(ctx context.Context, id string, progress func(crawl.Progress)) (sum *indexer.Summary, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job %s: panic: %v", id, v)
		}
	}()
	job := newJob(r.cfg, r.log)
	job.ID = id
	job.Crawl.Progress = progress
	return job.Run(ctx)
}

// schedule starts a job every period, with up to 10% jitter, skipping a tick
// while a job runs.
func (r *jobRunner) schedule(ctx context.Context, every time.Duration) {
	for {
		wait := every + jitter(every/10)
		r.mu.Lock()
		r.next = time.Now().Add(wait).UTC()
		r.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		switch _, err := r.start(); {
		case errors.Is(err, web.ErrReindexRunning):
			r.log.Info("scheduled reindex skipped: run in progress")
		case err != nil:
			r.log.Warn("scheduled reindex skipped", slog.Any("error", err))
		}
	}
}

func jitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	n, err := rand.Int(rand.Reader, big.NewInt(int64(max)))
	if err != nil {
		return 0
	}
	return time.Duration(n.Int64())
}

func (r *jobRunner) wait() { r.wg.Wait() }

// warnFilesystem logs a warning when the data folder is on a network or
// synced filesystem (RELIABILITY.md F6).
func warnFilesystem(cfg *Config, log *slog.Logger) {
	_ = os.MkdirAll(cfg.Data, 0o755) // the command creates it anyway
	if w := search.FilesystemWarning(cfg.Data); w != "" {
		log.Warn(w)
	}
}
