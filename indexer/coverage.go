package indexer

import (
	"cmp"
	"slices"

	"github.com/inlsearch/inlsearch/indexer/record"
	"github.com/inlsearch/inlsearch/search"
)

// crawlReport lists, from the crawl record as this job leaves it (its
// staged records over the published ones), the pages failing now (carried
// over, stale) and those removed, the most recent first, each list capped
// at search.MaxCrawlIssues.
func crawlReport(db *record.DB) (*search.CrawlReport, error) {
	failing := map[string]search.PageIssue{}
	removed := map[string]search.PageIssue{}
	note := func(r *record.Record) error {
		delete(failing, r.URL)
		delete(removed, r.URL)
		switch {
		case !r.RemovedAt.IsZero():
			removed[r.URL] = search.PageIssue{URL: r.URL, Reason: r.Reason, Status: r.Status, Since: r.RemovedAt}
		case !r.StaleSince.IsZero():
			failing[r.URL] = search.PageIssue{URL: r.URL, Reason: r.Reason, Status: r.Status, Since: r.StaleSince}
		}
		return nil
	}
	if err := db.EachPublished(note); err != nil {
		return nil, err
	}
	if err := db.EachStaged(note); err != nil {
		return nil, err
	}
	rep := &search.CrawlReport{}
	rep.Failing, rep.Truncated = newestIssues(failing)
	var cut bool
	rep.Removed, cut = newestIssues(removed)
	rep.Truncated = rep.Truncated || cut
	return rep, nil
}

func newestIssues(m map[string]search.PageIssue) ([]search.PageIssue, bool) {
	out := make([]search.PageIssue, 0, len(m))
	for _, is := range m {
		out = append(out, is)
	}
	slices.SortFunc(out, func(a, b search.PageIssue) int {
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
		return cmp.Compare(a.URL, b.URL)
	})
	if len(out) > search.MaxCrawlIssues {
		return out[:search.MaxCrawlIssues], true
	}
	return out, false
}
