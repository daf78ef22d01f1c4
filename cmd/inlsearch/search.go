package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer"
	"github.com/inlsearch/inlsearch/search"
)

func newJob(cfg *Config, log *slog.Logger) *indexer.Job {
	return &indexer.Job{
		DataDir: cfg.Data,
		Seeds:   cfg.Seeds,
		Crawl:   crawlConfig(cfg),
		PDF:     pdfRunner(cfg),
		Force:   cfg.Force,
		Rebuild: cfg.Rebuild,
		Space:   limits.Space,
		Log:     log,
	}
}

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := newFlagSet("search", cfg, "filters")
	fs.SetOutput(stderr)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	live, err := search.OpenLiveLimits(cfg.Data, limits.Search)
	if err != nil {
		return err
	}
	defer live.Close()
	if st := live.Status(); !st.Serving {
		msg := "no index in " + cfg.Data + ": run `inlsearch crawl --data " + cfg.Data + " --seed URL` first"
		if st.Error != "" {
			msg += " (" + st.Error + ")"
		}
		return fmt.Errorf("%s", msg)
	}
	q := search.Query{
		Q:       strings.Join(fs.Args(), " "),
		Filters: map[string][]string{},
		Page:    1,
		PerPage: cfg.PerPage,
		Match:   cfg.Match,
	}
	for facet, vals := range map[string][]string{
		search.FacetOrganization: cfg.Organization, search.FacetCountry: cfg.Country,
		search.FacetRegion: cfg.Region, search.FacetTopic: cfg.Topic, search.FacetType: cfg.Type,
	} {
		if len(vals) > 0 {
			q.Filters[facet] = vals
		}
	}
	if cfg.Format == "csv" {
		q.NoFacets = true
	}
	p, err := live.Compile(q)
	if err != nil {
		return err
	}
	defer p.Release()
	res, err := live.SearchPlan(ctx, p)
	if err != nil {
		return err
	}
	switch cfg.Format {
	case "json":
		// exactly what GET /api/v1/search answers (search.Result's JSON)
		return json.NewEncoder(stdout).Encode(res)
	case "csv":
		return writeCSV(stdout, res.Hits, p.Generation())
	default:
		writeText(stdout, res)
		return nil
	}
}

func writeText(w io.Writer, res *search.Result) {
	if res.Relaxed {
		fmt.Fprintf(w, "%d passages hold every word; with all words but one, %d passages match (%s)\n\n", res.ExactTotal, res.Total, res.Took.Round(time.Millisecond))
	} else {
		fmt.Fprintf(w, "%d passages match (%s)\n\n", res.Total, res.Took.Round(time.Millisecond))
	}
	for i, h := range res.Hits {
		fmt.Fprintf(w, "%d. %s", i+1, h.Title)
		if h.Partial {
			fmt.Fprint(w, " (one word missing)")
		}
		if h.Section != "" {
			fmt.Fprintf(w, " — %s", h.Section)
		}
		fmt.Fprintf(w, "\n   %s\n   %s\n", h.URL, plainSnippet(h.Snippet))
		var tags []string
		tags = append(tags, h.Organizations...)
		tags = append(tags, h.Countries...)
		tags = append(tags, h.Topics...)
		if len(tags) > 0 {
			fmt.Fprintf(w, "   [%s]\n", strings.Join(tags, "; "))
		}
		fmt.Fprintln(w)
	}
	for _, f := range search.Facets {
		vals := res.Facets[f]
		if len(vals) == 0 {
			continue
		}
		parts := make([]string, 0, len(vals))
		for _, v := range vals {
			parts = append(parts, fmt.Sprintf("%s (%d)", v.Value, v.Count))
		}
		fmt.Fprintf(w, "%s: %s\n", f, strings.Join(parts, ", "))
	}
}

// plainSnippet turns the HTML snippet into terminal text, matches in *stars*.
func plainSnippet(s string) string {
	r := strings.NewReplacer("<mark>", "*", "</mark>", "*", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`, "&amp;", "&")
	return r.Replace(s)
}

// writeCSV writes hits as the CSV export does (search.CSVWriter).
func writeCSV(w io.Writer, hits []search.Hit, generation string) error {
	cw, err := search.NewCSVWriter(w, generation)
	if err != nil {
		return err
	}
	for _, h := range hits {
		if err := cw.Write(h); err != nil {
			return err
		}
	}
	return cw.Flush()
}
