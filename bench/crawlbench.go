package main

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
	"golang.org/x/text/encoding/charmap"
)

// CrawlStats are the figures of the crawl side: parsing and tagging the
// pages of the demo site, replicated, without the network.
type CrawlStats struct {
	Reps              int     `json:"reps"`
	Pages             int     `json:"pages"`
	Passages          int     `json:"passages"`
	PagesPerS         float64 `json:"pages_per_s"`
	PassagesPerS      float64 `json:"passages_per_s"`
	Workers           int     `json:"workers"`
	PagesPerSParallel float64 `json:"pages_per_s_parallel"`
	Failed            string  `json:"failed,omitempty"`
}

type page struct {
	url  string
	body []byte
}

// demoPages renders every page of the bundled demo site, as UTF-8.
func demoPages() ([]page, error) {
	ps, err := corpus.Pages()
	if err != nil {
		return nil, fmt.Errorf("demo site: %w", err)
	}
	var out []page
	for _, p := range ps {
		body, _, err := corpus.Render(p.Path)
		if err != nil {
			continue // pages that answer 404 or redirect
		}
		if strings.EqualFold(p.Charset, "windows-1252") {
			if body, err = charmap.Windows1252.NewDecoder().Bytes(body); err != nil {
				return nil, fmt.Errorf("decode %s: %w", p.Path, err)
			}
		}
		out = append(out, page{url: "http://demo.example" + p.Path, body: body})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("demo site: no pages")
	}
	return out, nil
}

// crawlSide times extract + tag (what indexer.Documents does per page) over
// the demo site repeated reps times, on one goroutine and then on all cores.
func crawlSide(reps int) (*CrawlStats, error) {
	pages, err := demoPages()
	if err != nil {
		return nil, err
	}
	tg, err := tag.New()
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	one := func(p page) (int, error) {
		pg, err := extract.Extract(p.url, p.body)
		if err != nil {
			return 0, err
		}
		for _, ps := range pg.Passages {
			_ = tg.Tag(tag.Input{URL: p.url, Title: pg.Title, Headings: ps.Headings, Text: ps.Text, Published: pg.Published})
		}
		return len(pg.Passages), nil
	}
	st := &CrawlStats{Reps: reps, Workers: runtime.GOMAXPROCS(0)}
	t0 := time.Now()
	for range reps {
		for _, p := range pages {
			n, err := one(p)
			if err != nil {
				return nil, fmt.Errorf("extract %s: %w", p.url, err)
			}
			st.Pages++
			st.Passages += n
		}
	}
	secs := time.Since(t0).Seconds()
	st.PagesPerS = round3(float64(st.Pages) / secs)
	st.PassagesPerS = round3(float64(st.Passages) / secs)

	var next atomic.Int64
	var wg sync.WaitGroup
	total := int64(reps * len(pages))
	t0 = time.Now()
	for range st.Workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < total; i = next.Add(1) - 1 {
				_, _ = one(pages[i%int64(len(pages))])
			}
		})
	}
	wg.Wait()
	st.PagesPerSParallel = round3(float64(total) / time.Since(t0).Seconds())
	return st, nil
}
