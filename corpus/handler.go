package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"html"
	"io/fs"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// sectionOrder fixes the order of sections in generated listings; others follow by name.
var sectionOrder = []string{
	"Partnerships", "Regions", "Country Programs", "Focus Areas", "Reports",
	"Fact Sheets", "Press Releases", "Remarks and Testimony", "About",
}

// relativeLocs are the sitemap entries written as relative URLs, to exercise the
// crawler's resolution against the sitemap's own URL.
var relativeLocs = map[string]string{
	"/j/inl/focus/partnerships/index.htm": "/j/inl/focus/partnerships/index.htm",
	"/wildlife-trafficking/":              "wildlife-trafficking/",
}

var pageListRE = regexp.MustCompile(`<!--#pagelist(?::([^>]*?))?-->`)

// Handler serves the site: pages wrapped in their templates, raw files, the generated
// sitemap.xml, the one redirect, 404s for everything else. Only GET and HEAD are allowed.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s, err := loadSite()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p := r.URL.Path
	switch {
	case p == RedirectFrom:
		http.Redirect(w, r, RedirectTo, http.StatusMovedPermanently)
		return
	case p == "/sitemap.xml":
		b := s.sitemap(baseURL(r))
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		serveBytes(w, r, b, time.Time{})
		return
	}
	if canon, ok := strings.CutSuffix(p, "/index.html"); ok {
		if _, isPage := s.byPath[canon+"/"]; isPage {
			http.Redirect(w, r, canon+"/", http.StatusMovedPermanently)
			return
		}
	}
	b, ctype, err := s.render(p)
	if errors.Is(err, ErrNotFound) {
		if s.isDir(p) {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(notFoundPage))
		return
	}
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var mod time.Time
	if pg, ok := s.byPath[p]; ok {
		mod = pg.LastMod
	}
	w.Header().Set("Content-Type", ctype)
	serveBytes(w, r, b, mod)
}

// serveBytes answers with an ETag and, when known, Last-Modified, so that conditional
// requests get 304.
func serveBytes(w http.ResponseWriter, r *http.Request, b []byte, mod time.Time) {
	sum := sha256.Sum256(b)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, "", mod, bytes.NewReader(b))
}

// isDir reports whether urlPath (without a final slash) names a folder with an index.
func (s *site) isDir(urlPath string) bool {
	if strings.HasSuffix(urlPath, "/") {
		return false
	}
	_, ok := s.byPath[urlPath+"/"]
	if ok {
		return true
	}
	name, ok := fileFor(urlPath + "/")
	if !ok {
		return false
	}
	_, err := fs.Stat(files, name)
	return err == nil
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// sitemapURL is one <url> entry of sitemap.xml.
type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
}

// urlSet is the root element of sitemap.xml.
type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

func (s *site) sitemap(base string) []byte {
	var set urlSet
	for _, p := range s.pages {
		if strings.HasPrefix(p.Path, Disallowed) {
			continue
		}
		loc, ok := relativeLocs[p.Path]
		if !ok {
			loc = base + p.Path
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: loc, LastMod: p.LastMod.Format(time.DateOnly)})
	}
	b, err := xml.MarshalIndent(set, "", "  ")
	if err != nil { // cannot happen: plain strings
		panic(err)
	}
	return append([]byte(xml.Header), append(b, '\n')...)
}

// expandLists replaces the pagelist markers of a body with generated link lists.
func (s *site) expandLists(body string) string {
	return pageListRE.ReplaceAllStringFunc(body, func(m string) string {
		only := strings.TrimSpace(pageListRE.FindStringSubmatch(m)[1])
		return s.pageList(only)
	})
}

// pageList lists the visible pages of one section (or of all, grouped) as HTML.
func (s *site) pageList(only string) string {
	groups := map[string][]Page{}
	for _, p := range s.pages {
		if strings.HasPrefix(p.Path, Disallowed) || p.Path == "/" {
			continue
		}
		sec := p.Section
		if sec == "" {
			sec = "Other Pages"
		}
		if only != "" && sec != only {
			continue
		}
		groups[sec] = append(groups[sec], p)
	}
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	rank := func(n string) int {
		for i, o := range sectionOrder {
			if o == n {
				return i
			}
		}
		return len(sectionOrder)
	}
	sort.Slice(names, func(i, j int) bool {
		ri, rj := rank(names[i]), rank(names[j])
		if ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	var b strings.Builder
	for _, n := range names {
		ps := groups[n]
		sort.Slice(ps, func(i, j int) bool { return ps[i].Title < ps[j].Title })
		if only == "" {
			b.WriteString("<h2>" + html.EscapeString(n) + "</h2>\n")
		}
		b.WriteString("<ul class=\"page-list\">\n")
		for _, p := range ps {
			b.WriteString(`<li><a href="` + html.EscapeString(p.Path) + `">` +
				html.EscapeString(p.Title) + "</a></li>\n")
		}
		b.WriteString("</ul>\n")
	}
	return b.String()
}

const notFoundPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Page Not Found - U.S. Department of State</title></head>
<body><h1>Page Not Found</h1><p>The page you requested could not be found. It may have been moved or archived.</p>
<p><a href="/">Return to the home page</a></p></body></html>
`
