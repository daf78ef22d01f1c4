package indexer

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/warc"
)

// fetch hands the builder the job's pages: the crawl's (archived to j.WARC
// when set) or an import's.
func (j *Job) fetch(ctx context.Context, cfg crawl.Config, seeds []string, b *builder, log *slog.Logger, sum *Summary) (*crawl.Report, error) {
	if j.Import != nil {
		return j.Import.run(ctx, b, crawl.New(cfg, log).Config(), log, sum)
	}
	if j.WARC == "" {
		return crawl.New(cfg, log).Crawl(ctx, seeds, b.handle)
	}
	w, err := warc.Create(j.WARC, cfg.UserAgent)
	if err != nil {
		return nil, err
	}
	var failed int
	cfg.Record = func(ex *crawl.Exchange) {
		err := w.Write(&warc.Exchange{URL: ex.URL, Date: ex.Date, Method: ex.Method, RequestHeader: ex.RequestHeader,
			Proto: ex.Proto, StatusText: ex.StatusText, ResponseHeader: ex.ResponseHeader, Body: ex.Body, Truncated: ex.Truncated})
		if err != nil {
			b.mu.Lock()
			failed++
			b.mu.Unlock()
			log.Warn("archive exchange", slog.String("url", ex.URL), slog.Any("error", err))
		}
	}
	rep, err := crawl.New(cfg, log).Crawl(ctx, seeds, b.handle)
	cerr := w.Close()
	sum.WARC, sum.WARCRecords = j.WARC, w.Records()
	switch {
	case err != nil:
	case cerr != nil:
		err = cerr
	case failed > 0:
		// The archive was asked for: a crawl that could not write it whole fails.
		err = fmt.Errorf("WARC %s: %d exchanges not written", j.WARC, failed)
	}
	return rep, err
}
