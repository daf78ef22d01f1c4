package corpus

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding/charmap"
)

//go:embed site templates
var files embed.FS

// Disallowed is the path prefix that robots.txt forbids; Pages leaves it out.
const Disallowed = "/drafts/"

// BrokenLink is the one internal link of the site that deliberately answers 404.
const BrokenLink = "/j/inl/rls/rpt/2012/annual-review.htm"

// RedirectFrom is the old URL that answers 301; RedirectTo is where it points.
const (
	RedirectFrom = "/j/inl/partners.htm"
	RedirectTo   = "/j/inl/focus/partnerships/index.htm"
)

// ErrNotFound is returned by Render for a path the site does not serve.
var ErrNotFound = errors.New("corpus: page not found")

// Page describes one HTML page of the site, as its front matter declares it.
type Page struct {
	Path      string    // URL path, e.g. "/j/inl/regions/mexico.htm" or "/wildlife-trafficking/"
	Title     string    // front-matter title, without the site suffix
	Template  string    // template name: "classic" or "modern"
	LastMod   time.Time // front-matter lastmod (UTC midnight)
	Published time.Time // front-matter published, or LastMod
	Charset   string    // "utf-8" or "windows-1252"
	Section   string    // grouping for generated listings; may be empty
	Parent    string    // URL path of the breadcrumb parent; may be empty
	Archived  bool      // modern template shows the archived-content notice
	file      string    // path inside the embedded FS
	body      string    // HTML after the front matter
}

// crumb is one breadcrumb link.
type crumb struct {
	Title, Path string
}

// pageData is what a template receives.
type pageData struct {
	Title, Path, LastMod, Published, Charset, Section string
	Archived                                          bool
	Body                                              template.HTML
	Crumbs                                            []crumb
}

// site is the parsed content of the embedded FS, built once.
type site struct {
	pages     []Page           // every front-matter page, drafts included, sorted by Path
	byPath    map[string]*Page // URL path → page
	templates map[string]*template.Template
}

var loadSite = sync.OnceValues(parseSite)

// Pages lists the HTML pages of the site, sorted by path, leaving out the area that
// robots.txt disallows.
func Pages() ([]Page, error) {
	s, err := loadSite()
	if err != nil {
		return nil, err
	}
	out := make([]Page, 0, len(s.pages))
	for _, p := range s.pages {
		if !strings.HasPrefix(p.Path, Disallowed) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Render returns the bytes the site serves at urlPath and their content type, as
// Handler would answer a GET without conditions. It returns ErrNotFound for a path
// that answers 404 or a redirect, and for /sitemap.xml (whose URLs depend on the
// request's host).
func Render(urlPath string) ([]byte, string, error) {
	s, err := loadSite()
	if err != nil {
		return nil, "", err
	}
	return s.render(urlPath)
}

func (s *site) render(urlPath string) ([]byte, string, error) {
	if p, ok := s.byPath[urlPath]; ok {
		b, err := s.renderPage(p)
		if err != nil {
			return nil, "", err
		}
		return b, "text/html; charset=" + p.Charset, nil
	}
	name, ok := fileFor(urlPath)
	if _, isPage := s.byPath[urlFor(name)]; !ok || isPage {
		// a page's source is only served through its template, at its own URL
		return nil, "", fmt.Errorf("%s: %w", urlPath, ErrNotFound)
	}
	b, err := fs.ReadFile(files, name)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", urlPath, ErrNotFound)
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return b, ctype, nil
}

// fileFor maps a URL path to a file inside the embedded FS (not checking existence).
func fileFor(urlPath string) (string, bool) {
	if !strings.HasPrefix(urlPath, "/") || strings.Contains(urlPath, "..") {
		return "", false
	}
	name := "site" + urlPath
	if strings.HasSuffix(urlPath, "/") {
		name += "index.html"
	}
	if !fs.ValidPath(name) {
		return "", false
	}
	return name, true
}

// urlFor maps a file inside the embedded FS to its URL path.
func urlFor(name string) string {
	u := strings.TrimPrefix(name, "site")
	if path.Base(u) == "index.html" {
		return strings.TrimSuffix(u, "index.html")
	}
	return u
}

func parseSite() (*site, error) {
	s := &site{byPath: map[string]*Page{}, templates: map[string]*template.Template{}}
	tmpls, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	for _, t := range tmpls {
		name := strings.TrimSuffix(path.Base(t), ".html")
		tt, err := template.ParseFS(files, t)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		s.templates[name] = tt
	}
	err = fs.WalkDir(files, "site", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		p, ok, err := parsePage(string(b))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if !ok {
			return nil
		}
		if _, known := s.templates[p.Template]; !known {
			return fmt.Errorf("%s: unknown template %q", name, p.Template)
		}
		p.file, p.Path = name, urlFor(name)
		s.pages = append(s.pages, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read site: %w", err)
	}
	sort.Slice(s.pages, func(i, j int) bool { return s.pages[i].Path < s.pages[j].Path })
	for i := range s.pages {
		s.byPath[s.pages[i].Path] = &s.pages[i]
	}
	return s, nil
}

// parsePage reads the front matter; ok is false when the file has none.
func parsePage(src string) (Page, bool, error) {
	const open, end = "<!--\n", "\n-->"
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if !strings.HasPrefix(src, open) {
		return Page{}, false, nil
	}
	head, body, found := strings.Cut(src[len(open):], end)
	if !found {
		return Page{}, false, errors.New("unterminated front matter")
	}
	p := Page{Charset: "utf-8", body: strings.TrimPrefix(body, "\n")}
	var published string
	for line := range strings.SplitSeq(head, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return Page{}, false, fmt.Errorf("front matter line %q: no colon", line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "template":
			p.Template = v
		case "title":
			p.Title = v
		case "lastmod":
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return Page{}, false, fmt.Errorf("lastmod: %w", err)
			}
			p.LastMod = t
		case "published":
			published = v
		case "charset":
			p.Charset = strings.ToLower(v)
		case "section":
			p.Section = v
		case "parent":
			p.Parent = v
		case "archived":
			p.Archived = v == "yes" || v == "true"
		default:
			return Page{}, false, fmt.Errorf("front matter: unknown key %q", k)
		}
	}
	switch {
	case p.Template == "":
		return Page{}, false, errors.New("front matter: no template")
	case p.Title == "":
		return Page{}, false, errors.New("front matter: no title")
	case p.LastMod.IsZero():
		return Page{}, false, errors.New("front matter: no lastmod")
	case p.Charset != "utf-8" && p.Charset != "windows-1252":
		return Page{}, false, fmt.Errorf("front matter: unsupported charset %q", p.Charset)
	}
	p.Published = p.LastMod
	if published != "" {
		t, err := time.Parse(time.DateOnly, published)
		if err != nil {
			return Page{}, false, fmt.Errorf("published: %w", err)
		}
		p.Published = t
	}
	return p, true, nil
}

func (s *site) renderPage(p *Page) ([]byte, error) {
	d := pageData{
		Title:     p.Title,
		Path:      p.Path,
		LastMod:   p.LastMod.Format(time.DateOnly),
		Published: p.Published.Format(time.DateOnly),
		Charset:   p.Charset,
		Section:   p.Section,
		Archived:  p.Archived,
		Body:      template.HTML(s.expandLists(p.body)), //nolint:gosec // trusted embedded source
		Crumbs:    s.crumbs(p),
	}
	var buf bytes.Buffer
	if err := s.templates[p.Template].Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Path, err)
	}
	if p.Charset == "windows-1252" {
		b, err := charmap.Windows1252.NewEncoder().Bytes(buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("encode %s as windows-1252: %w", p.Path, err)
		}
		return b, nil
	}
	return buf.Bytes(), nil
}

// crumbs returns Home, the parent chain (at most a few levels) and the page itself.
func (s *site) crumbs(p *Page) []crumb {
	var chain []crumb
	seen := map[string]bool{p.Path: true}
	for parent := p.Parent; parent != "" && !seen[parent] && len(chain) < 4; {
		seen[parent] = true
		pp, ok := s.byPath[parent]
		if !ok {
			break
		}
		chain = append([]crumb{{Title: pp.Title, Path: pp.Path}}, chain...)
		parent = pp.Parent
	}
	out := []crumb{{Title: "Home", Path: "/"}}
	out = append(out, chain...)
	if p.Path != "/" {
		out = append(out, crumb{Title: p.Title, Path: p.Path})
	}
	return out
}
