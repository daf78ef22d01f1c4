package crawl

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// calendar is an endless trap: each month links to the next, with session-id variants.
func calendar(w http.ResponseWriter, r *http.Request) {
	m, _ := strconv.Atoi(r.URL.Query().Get("m"))
	htmlPage(
		fmt.Sprintf("/cal?m=%d", m+1),
		fmt.Sprintf("/cal;jsessionid=XYZ?m=%d", m+1),
		fmt.Sprintf("/cal?m=%d&sid=%d", m+1, m),
		fmt.Sprintf("/cal?m=%d#day-3", m+1),
	)(w, r)
}

func TestCrawlLimits(t *testing.T) {
	t.Parallel()
	t.Run("depth", func(t *testing.T) {
		t.Parallel()
		s := MustSite(t, map[string]http.HandlerFunc{"/cal": calendar})
		cfg := fastConfig()
		cfg.MaxDepth = 3
		rep, _ := MustCrawl(t, cfg, s.URL("/cal?m=0"))
		if rep.Fetched != 4 || !rep.LimitReached {
			t.Errorf("Fetched = %d, LimitReached = %v; want 4 (depths 0–3), true", rep.Fetched, rep.LimitReached)
		}
		for _, h := range s.log() {
			if h.path != "/robots.txt" && h.path != "/sitemap.xml" && strings.Contains(h.path, "sid") {
				t.Errorf("session variant %s requested", h.path)
			}
		}
		if n := s.count("/cal?m=1"); n != 1 {
			t.Errorf("/cal?m=1 requested %d times, want 1 (variants deduplicated)", n)
		}
	})
	t.Run("pages", func(t *testing.T) {
		t.Parallel()
		s := MustSite(t, map[string]http.HandlerFunc{"/cal": calendar})
		cfg := fastConfig()
		cfg.MaxPages = 5
		rep, _ := MustCrawl(t, cfg, s.URL("/cal?m=0"))
		if rep.Fetched != 5 || !rep.LimitReached {
			t.Errorf("Fetched = %d, LimitReached = %v; want 5, true", rep.Fetched, rep.LimitReached)
		}
	})
	t.Run("links per page", func(t *testing.T) {
		t.Parallel()
		links := make([]string, 5000)
		for i := range links {
			links[i] = "/p/" + strconv.Itoa(i)
		}
		s := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage(links...), "/p/": htmlPage()})
		cfg := fastConfig()
		cfg.Delay = time.Microsecond
		cfg.MaxLinksPerPage = 20
		rep, _ := MustCrawl(t, cfg, s.URL("/"))
		if rep.Fetched != 21 || rep.LinksDropped != 4980 {
			t.Errorf("Fetched = %d, LinksDropped = %d; want 21, 4980", rep.Fetched, rep.LinksDropped)
		}
		if s.count("/p/20") != 0 {
			t.Errorf("link beyond the cap was fetched")
		}
	})
	t.Run("queue", func(t *testing.T) {
		t.Parallel()
		links := make([]string, 100)
		for i := range links {
			links[i] = "/q/" + strconv.Itoa(i)
		}
		s := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage(links...), "/q/": htmlPage()})
		cfg := fastConfig()
		cfg.Delay = time.Microsecond
		cfg.MaxQueue = 10
		rep, _ := MustCrawl(t, cfg, s.URL("/"))
		if rep.Fetched != 10 || !rep.LimitReached {
			t.Errorf("Fetched = %d, LimitReached = %v; want 10 (queue cap), true", rep.Fetched, rep.LimitReached)
		}
	})
}
