package crawl

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"testing"
	"time"
)

func xmlDoc(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>`+body)
	}
}

func TestCrawlSitemaps(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	fmt.Fprint(zw, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/from-gz</loc></url></urlset>`)
	zw.Close()
	s := MustSite(t, nil)
	s.setRoutes(map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: *\nDisallow: /blocked\nSitemap: /maps/listed.xml\nSitemap: http://elsewhere.example/sitemap.xml\n"),
		"/":           htmlPage(),
		"/maps/listed.xml": xmlDoc(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
			<url><loc>relative.html</loc><lastmod>2024-03-05</lastmod></url>
			<url><loc> ` + s.URL("/absolute") + ` </loc></url>
			<url><loc>http://elsewhere.example/x</loc></url>
			<url><loc>/blocked/page</loc></url>
		</urlset>`),
		"/sitemap.xml": xmlDoc(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
			<sitemap><loc>/maps/child.xml</loc></sitemap>
			<sitemap><loc>/maps/pages.xml.gz</loc></sitemap>
		</sitemapindex>`),
		"/maps/child.xml": xmlDoc(`<urlset><url><loc>/from-child</loc></url></urlset>`),
		"/maps/pages.xml.gz": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(gz.Bytes())
		},
		"/maps/relative.html": htmlPage(), "/absolute": htmlPage(), "/from-child": htmlPage(),
		"/from-gz": htmlPage(), "/blocked/page": htmlPage(),
	})
	rep, col := MustCrawl(t, fastConfig(), s.URL("/"))
	for _, p := range []string{"/maps/relative.html", "/absolute", "/from-child", "/from-gz"} {
		pg := col.get(s.URL(p))
		if pg == nil {
			t.Errorf("sitemap entry %s not fetched", p)
			continue
		}
		if pg.Depth != 1 {
			t.Errorf("%s: Depth = %d, want 1", p, pg.Depth)
		}
	}
	if pg := col.get(s.URL("/maps/relative.html")); pg != nil && !pg.Lastmod.Equal(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Lastmod = %v, want 2024-03-05", pg.Lastmod)
	}
	if s.count("/blocked/page") != 0 {
		t.Errorf("robots-disallowed sitemap entry was requested")
	}
	hr := rep.Hosts[s.host()]
	if hr.Sitemaps != 4 || hr.SitemapURLs != 6 {
		t.Errorf("host Sitemaps = %d, SitemapURLs = %d; want 4, 6", hr.Sitemaps, hr.SitemapURLs)
	}
	if rep.OutOfScope != 2 {
		t.Errorf("OutOfScope = %d, want 2 (the foreign sitemap and the foreign entry)", rep.OutOfScope)
	}
}

func TestCrawlSitemapBomb(t *testing.T) {
	t.Parallel()
	bomb := gzipBomb(t, 64) // 64 MiB of zeros
	s := MustSite(t, map[string]http.HandlerFunc{
		"/robots.txt": text("Sitemap: /bomb.xml.gz\nSitemap: /encoded.xml\n"),
		"/":           htmlPage(),
		"/bomb.xml.gz": func(w http.ResponseWriter, _ *http.Request) {
			w.Write(bomb)
		},
		"/encoded.xml": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		},
	})
	cfg := fastConfig()
	cfg.MaxSitemapBytes = 1 << 20
	rep, _ := MustCrawl(t, cfg, s.URL("/"))
	if hr := rep.Hosts[s.host()]; hr.SitemapErrors != 2 || hr.Sitemaps != 0 {
		t.Errorf("host SitemapErrors = %d, Sitemaps = %d; want 2, 0", hr.SitemapErrors, hr.Sitemaps)
	}
	if rep.Fetched != 1 {
		t.Errorf("Fetched = %d, want 1: the crawl goes on", rep.Fetched)
	}
}

func TestParseSitemapTruncated(t *testing.T) {
	t.Parallel()
	body := []byte(`<urlset><url><loc>/a</loc></url><url><loc>/b</loc></url><url><loc>/c`)
	pages, _ := parseSitemap("http://example.org/s.xml", body, 100)
	if len(pages) != 2 || pages[1].loc != "http://example.org/b" {
		t.Errorf("parseSitemap(truncated) = %+v, want /a and /b", pages)
	}
	pages, _ = parseSitemap("http://example.org/s.xml", body, 1)
	if len(pages) != 1 {
		t.Errorf("parseSitemap(limit 1) returned %d entries", len(pages))
	}
}

// A URL is fetched once: a sitemap that a page links to is not fetched again
// as a page, and a seed that robots.txt names as a sitemap is read as one.
func TestSitemapFetchedOnce(t *testing.T) {
	t.Parallel()
	for name, seed := range map[string]string{"linked from a page": "/", "given as a seed": "/sitemap.xml"} {
		t.Run(name, func(t *testing.T) {
			s := MustSite(t, nil)
			s.setRoutes(map[string]http.HandlerFunc{
				"/robots.txt":  text("User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n"),
				"/":            htmlPage("/sitemap.xml", "/a"),
				"/sitemap.xml": xmlDoc(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/listed</loc></url></urlset>`),
				"/a":           htmlPage(), "/listed": htmlPage(),
			})
			rep, col := MustCrawl(t, fastConfig(), s.URL(seed))
			if n := s.count("/sitemap.xml"); n != 1 {
				t.Errorf("/sitemap.xml requested %d times, want once", n)
			}
			if col.get(s.URL("/listed")) == nil {
				t.Errorf("the sitemap's entry was not fetched")
			}
			if col.get(s.URL("/sitemap.xml")) != nil {
				t.Errorf("the sitemap was also handled as a page")
			}
			if hr := rep.Hosts[s.host()]; hr.Sitemaps != 1 {
				t.Errorf("Sitemaps = %d, want 1", hr.Sitemaps)
			}
		})
	}
}
