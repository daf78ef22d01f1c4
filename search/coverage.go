package search

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Coverage: what a generation holds, per source host and per section (the
// first path segment), with the crawl's failures and removals, so that "no
// results for X in Y" can be told apart from "not crawled".

// MaxCrawlIssues bounds the failing and removed pages a generation records.
const MaxCrawlIssues = 2000

// PageIssue is a page that failed, went stale or was removed.
type PageIssue struct {
	URL    string    `json:"url"`
	Reason string    `json:"reason,omitempty"`
	Status int       `json:"status,omitempty"`
	Since  time.Time `json:"since,omitzero"` // stale or removed since
}

// CrawlReport is what the crawl that built a generation knew of the pages
// it could not index: failing now (their passages carried over, stale) and
// removed (404, 410, robots.txt…).
type CrawlReport struct {
	Failing   []PageIssue `json:"failing"`
	Removed   []PageIssue `json:"removed"`
	Truncated bool        `json:"truncated,omitempty"`
}

// SourceCoverage is the coverage of one host or one section of a host.
type SourceCoverage struct {
	Name       string           `json:"name"` // host, or the section's path ("/embassies/")
	Pages      int              `json:"pages"`
	Passages   int              `json:"passages"`
	FirstCrawl time.Time        `json:"first_crawl,omitzero"`
	LastCrawl  time.Time        `json:"last_crawl,omitzero"`
	Stale      int              `json:"stale_pages"`
	Failing    int              `json:"failing_pages"`
	Removed    int              `json:"removed_pages"`
	Types      []FacetValue     `json:"types"` // pages per document type
	Sections   []SourceCoverage `json:"sections,omitempty"`
}

// Coverage is what one generation covers.
type Coverage struct {
	Generation Generation              `json:"generation"`
	Pages      int                     `json:"pages"`
	Passages   int                     `json:"passages"`
	Hosts      []SourceCoverage        `json:"hosts"`
	Facets     map[string][]FacetValue `json:"facets"` // pages per facet value
	Failing    []PageIssue             `json:"failing"`
	Stale      []PageIssue             `json:"stale"`
	Removed    []PageIssue             `json:"removed"`
}

// sourceKey is the host and section of a page URL.
func sourceKey(raw string) (host, section string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unknown)", "/"
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if seg == "" {
		return u.Host, "/"
	}
	return u.Host, "/" + seg + "/"
}

type sourceAcc struct {
	c     SourceCoverage
	pages map[string]bool
	stale map[string]bool
	types map[string]map[string]bool
}

func newSourceAcc(name string) *sourceAcc {
	return &sourceAcc{c: SourceCoverage{Name: name}, pages: map[string]bool{}, stale: map[string]bool{}, types: map[string]map[string]bool{}}
}

func (a *sourceAcc) add(d *Document) {
	a.c.Passages++
	a.pages[d.PageURL] = true
	if !d.StaleSince.IsZero() {
		a.stale[d.PageURL] = true
	}
	if d.Type != "" {
		if a.types[d.Type] == nil {
			a.types[d.Type] = map[string]bool{}
		}
		a.types[d.Type][d.PageURL] = true
	}
	if !d.FirstSeen.IsZero() && (a.c.FirstCrawl.IsZero() || d.FirstSeen.Before(a.c.FirstCrawl)) {
		a.c.FirstCrawl = d.FirstSeen
	}
	if d.LastSeen.After(a.c.LastCrawl) {
		a.c.LastCrawl = d.LastSeen
	}
}

func (a *sourceAcc) done() SourceCoverage {
	c := a.c
	c.Pages, c.Stale = len(a.pages), len(a.stale)
	c.Types = pageCounts(a.types)
	return c
}

// pageCounts turns value → pages into values by page count.
func pageCounts(m map[string]map[string]bool) []FacetValue {
	out := make([]FacetValue, 0, len(m))
	for v, pages := range m {
		out = append(out, FacetValue{Value: v, Count: len(pages)})
	}
	slices.SortFunc(out, func(a, b FacetValue) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}

// coverage reads every passage of ix once.
func coverage(ctx context.Context, ix *Index, g Generation) (*Coverage, error) {
	p, err := ix.Compile(ExportQuery(Query{}))
	if err != nil {
		return nil, err
	}
	sctx, cancel := ix.eng.bounded(ctx)
	set, err := ix.eng.gather(sctx, ix.bi, p)
	cancel()
	if err != nil {
		return nil, err
	}
	defer set.release()
	hosts := map[string]*sourceAcc{}
	sections := map[string]map[string]*sourceAcc{}
	facets := map[string]map[string]map[string]bool{}
	stale := map[string]PageIssue{}
	all := map[string]bool{}
	cov := &Coverage{Generation: g, Passages: len(set.hits), Facets: map[string][]FacetValue{}}
	for i, h := range set.hits {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		d, err := set.load(h.num)
		if err != nil {
			return nil, err
		}
		all[d.PageURL] = true
		host, sec := sourceKey(d.PageURL)
		if hosts[host] == nil {
			hosts[host], sections[host] = newSourceAcc(host), map[string]*sourceAcc{}
		}
		if sections[host][sec] == nil {
			sections[host][sec] = newSourceAcc(sec)
		}
		hosts[host].add(d)
		sections[host][sec].add(d)
		if !d.StaleSince.IsZero() {
			stale[d.PageURL] = PageIssue{URL: d.PageURL, Since: d.StaleSince}
		}
		for facet, vals := range map[string][]string{FacetOrganization: d.Organizations, FacetCountry: d.Countries,
			FacetRegion: d.Regions, FacetTopic: d.Topics, FacetType: {d.Type}} {
			for _, v := range vals {
				if v == "" {
					continue
				}
				if facets[facet] == nil {
					facets[facet] = map[string]map[string]bool{}
				}
				if facets[facet][v] == nil {
					facets[facet][v] = map[string]bool{}
				}
				facets[facet][v][d.PageURL] = true
			}
		}
	}
	cov.Pages = len(all)
	for f, m := range facets {
		cov.Facets[f] = pageCounts(m)
	}
	for _, f := range []string{FacetOrganization, FacetCountry, FacetRegion, FacetTopic, FacetType} {
		if cov.Facets[f] == nil {
			cov.Facets[f] = []FacetValue{}
		}
	}
	cov.Stale = make([]PageIssue, 0, len(stale))
	for _, s := range stale {
		cov.Stale = append(cov.Stale, s)
	}
	slices.SortFunc(cov.Stale, func(a, b PageIssue) int { return cmp.Compare(a.URL, b.URL) })
	cov.Failing, cov.Removed = []PageIssue{}, []PageIssue{}
	if g.Crawl != nil {
		cov.Failing, cov.Removed = nonNil(g.Crawl.Failing), nonNil(g.Crawl.Removed)
	}
	count := func(issues []PageIssue, bump func(*SourceCoverage)) {
		for _, is := range issues {
			host, sec := sourceKey(is.URL)
			if hosts[host] == nil {
				hosts[host], sections[host] = newSourceAcc(host), map[string]*sourceAcc{}
			}
			if sections[host][sec] == nil {
				sections[host][sec] = newSourceAcc(sec)
			}
			bump(&hosts[host].c)
			bump(&sections[host][sec].c)
		}
	}
	count(cov.Failing, func(c *SourceCoverage) { c.Failing++ })
	count(cov.Removed, func(c *SourceCoverage) { c.Removed++ })
	for host, acc := range hosts {
		hc := acc.done()
		for _, s := range sections[host] {
			hc.Sections = append(hc.Sections, s.done())
		}
		slices.SortFunc(hc.Sections, func(a, b SourceCoverage) int { return cmp.Compare(a.Name, b.Name) })
		cov.Hosts = append(cov.Hosts, hc)
	}
	slices.SortFunc(cov.Hosts, func(a, b SourceCoverage) int { return cmp.Compare(a.Name, b.Name) })
	if cov.Hosts == nil {
		cov.Hosts = []SourceCoverage{}
	}
	return cov, nil
}

// coverageCache keeps the coverage of the generations asked for (a
// generation never changes).
type coverageCache struct {
	mu   sync.Mutex
	byID map[string]*Coverage
}

// maxCachedCoverage bounds the generations whose coverage is remembered.
const maxCachedCoverage = 4

// Coverage returns what generation gen ("" the one served) covers (see
// Coverage); it is computed once per generation. Errors: ErrUnavailable,
// ErrGenerationGone, ErrBadQuery (malformed gen), ErrTimeout.
func (l *Live) Coverage(ctx context.Context, gen string) (*Coverage, error) {
	h, err := l.acquireAt(gen)
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	l.cov.mu.Lock()
	c := l.cov.byID[h.id]
	l.cov.mu.Unlock()
	if c != nil {
		return c, nil
	}
	g, err := l.Generation(h.id)
	if err != nil {
		return nil, err
	}
	c, err = coverage(ctx, h.ix, g)
	if err != nil {
		return nil, h.ix.eng.searchErr(ctx, err)
	}
	l.cov.mu.Lock()
	if l.cov.byID == nil || len(l.cov.byID) >= maxCachedCoverage {
		l.cov.byID = map[string]*Coverage{}
	}
	l.cov.byID[h.id] = c
	l.cov.mu.Unlock()
	return c, nil
}
