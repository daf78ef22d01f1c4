package main

import (
	"context"
	"io"

	"github.com/inlsearch/inlsearch/indexer"
)

// runImport indexes web archives and local files into the data folder: a
// job like a crawl (lock, checks, atomic swap, summary, last-job.json)
// whose pages are read from the files.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &Config{}
	fs := newFlagSet("import", cfg, "import")
	fs.SetOutput(stderr)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"name at least one FILE: a WARC file (.warc, .warc.gz), an .html or .pdf file, or a folder of them"}
	}
	log := newLogger(cfg, stderr)
	warnFilesystem(cfg, log)
	job := newJob(cfg, log)
	job.Seeds = nil
	job.Import = &indexer.Import{Files: fs.Args(), URLPrefix: cfg.URLPrefix}
	sum, err := job.Run(ctx)
	return reportJob(stdout, cfg, sum, err)
}
