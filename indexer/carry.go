package indexer

import (
	"fmt"
	"log/slog"
	"sort"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/record"
)

// degradedShare is the share of a host's pages that may fail before the
// whole host is carried over from the last generation (more than 20%).
const degradedShare = 0.20

// answered are failure reasons for which the host answered, with something
// that is not an HTML page: they say nothing of its health and do not count
// as failed (a known page that fails so is still carried over).
var answered = map[string]bool{
	crawl.ReasonUnsupportedType: true, crawl.ReasonContentTooLarge: true, crawl.ReasonDecompressedTooLarge: true,
	crawl.ReasonUnsupportedEncoding: true, crawl.ReasonRedirectBlocked: true, crawl.ReasonRedirectLoop: true,
	crawl.ReasonTooManyRedirects: true, crawl.ReasonInvalidURL: true, "redirect_without_location": true,
}

// reasonNotReached marks a known page the crawl did not get to (limits).
const reasonNotReached = "not_reached"

// settle decides, once the crawl is over, the fate of every published page
// the crawl did not hand over: 404, 410 and robots.txt remove it; any other
// failure, or not being reached at all, carries its passages over, marked
// stale. A host on which more than 20% of the pages failed is carried over
// whole, as it was in the last generation, and reported as degraded.
func (b *builder) settle(rep *crawl.Report) ([]string, error) {
	fails := make(map[string]crawl.Failure, len(rep.Failures))
	type tally struct{ handled, failed, other, notReached int }
	tallies := map[string]*tally{}
	tallyOf := func(h string) *tally {
		t := tallies[h]
		if t == nil {
			t = &tally{}
			tallies[h] = t
		}
		return t
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for h, hr := range rep.Hosts {
		hs := b.host(h)
		hs.Robots, hs.Skipped = hr.Robots, hr.Skipped
	}
	for h, n := range b.fetched {
		tallyOf(h).handled += n
	}
	for _, f := range rep.Failures {
		fails[f.URL] = f
		h := hostOf(f.URL)
		if _, inScope := rep.Hosts[h]; !inScope || b.handled[f.URL] || f.Reason == crawl.ReasonRobotsDisallowed {
			continue
		}
		t := tallyOf(h)
		if f.Gone() || answered[f.Reason] || isDocumentReason(f.Reason) {
			t.other++
			continue
		}
		t.failed++
		b.host(h).Counts.Failed++
	}

	urls := make([]string, 0, len(b.metas))
	for u, m := range b.metas {
		if m.Live && !b.handled[u] && !m.Imported { // imported pages stay as they are
			urls = append(urls, u)
		}
	}
	sort.Strings(urls)
	var recs []*record.Record
	for _, u := range urls {
		rec, ok, err := b.db.Get(u)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		f, failed := fails[u]
		_, inScope := rep.Hosts[rec.Host]
		if inScope && b.scope != nil {
			_, inScope = b.scope.CheckURL(u)
		}
		switch {
		case !inScope:
			b.remove(rec, "out_of_scope", 0)
			b.extra.Removed++
		case failed && f.Gone():
			b.remove(rec, f.Reason, f.Status)
			b.host(rec.Host).Counts.Removed++
		case failed:
			b.stale(rec, f.Reason, f.Status)
			b.host(rec.Host).Counts.CarriedOver++
		default:
			reason := reasonNotReached
			if hr := rep.Hosts[rec.Host]; hr != nil && hr.Skipped != "" {
				reason = hr.Skipped
			}
			b.stale(rec, reason, 0)
			tallyOf(rec.Host).notReached++
			b.host(rec.Host).Counts.CarriedOver++
		}
		recs = append(recs, rec)
		b.staged[u] = rec.Host
	}
	if err := b.stageAll(recs); err != nil {
		return nil, err
	}

	var degraded []string
	carried := map[string]bool{}
	hosts := make([]string, 0, len(tallies))
	for h := range tallies {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		t := tallies[h]
		total, bad := t.handled+t.failed+t.other+t.notReached, t.failed+t.notReached
		if total == 0 {
			continue
		}
		hs := b.host(h)
		hs.ErrorRate = float64(bad) / float64(total)
		if hs.ErrorRate <= degradedShare {
			continue
		}
		hs.Degraded = fmt.Sprintf("error rate %.0f%% (%d of %d pages failed or not reached)", 100*hs.ErrorRate, bad, total)
		if err := b.carryHost(h, fails); err != nil {
			return nil, err
		}
		degraded = append(degraded, h+": "+hs.Degraded)
		carried[h] = true
		b.log.Warn("host degraded: carried over from the last generation", slog.String("host", h),
			slog.Float64("error_rate", hs.ErrorRate), slog.Int("failed", bad), slog.Int("pages", total))
	}
	for _, rec := range recs {
		if !rec.Live() && !carried[rec.Host] {
			b.log.Info("page removed", slog.String("url", rec.URL), slog.String("reason", rec.Reason), slog.Int("status", rec.Status))
		}
	}
	return degraded, nil
}

// carryHost puts host h back as it was in the last generation: what the
// crawl staged for it is dropped, and its published pages stay, those the
// crawl did not hand over marked stale. b.mu must be held.
func (b *builder) carryHost(h string, fails map[string]crawl.Failure) error {
	var drop []string
	for u, host := range b.staged {
		if host == h {
			drop = append(drop, u)
		}
	}
	sort.Strings(drop)
	if err := b.db.Unstage(drop); err != nil {
		return err
	}
	for _, u := range drop {
		delete(b.staged, u)
	}
	hs := b.host(h)
	hs.Counts = Counts{Failed: hs.Counts.Failed, Parsed: hs.Counts.Parsed}
	var recs []*record.Record
	for u, m := range b.metas {
		if !m.Live || m.Host != h || m.Imported {
			continue
		}
		hs.Counts.CarriedOver++
		if b.handled[u] {
			continue // fetched fine, but the host's last generation stands
		}
		rec, ok, err := b.db.Get(u)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		reason, status := reasonNotReached, 0
		if f, ok := fails[u]; ok {
			reason, status = f.Reason, f.Status
		} else if hs.Skipped != "" {
			reason = hs.Skipped
		}
		b.stale(rec, reason, status)
		recs = append(recs, rec)
		b.staged[u] = h
	}
	return b.stageAll(recs)
}

func (b *builder) stageAll(recs []*record.Record) error {
	const chunk = 256
	for i := 0; i < len(recs); i += chunk {
		if err := b.db.Stage(recs[i:min(i+chunk, len(recs))]...); err != nil {
			return err
		}
	}
	return nil
}
