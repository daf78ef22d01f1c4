package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html static/*
var files embed.FS

// layoutFiles are parsed into every page; pageFiles each define "content".
// templates_test.go checks that every file of templates/ is listed here.
var (
	layoutFiles = []string{"layout.html"}
	pageFiles   = []string{"search.html", "status.html", "error.html", "passage.html", "facet.html", "similar.html", "changes.html", "coverage.html", "api.html"}
)

// asset is one embedded static file, served under a name that carries its
// content hash so that it can be cached forever.
type asset struct {
	body        []byte
	contentType string
	etag        string
	hashed      bool
}

// assetSet maps served names (hashed and plain) to files, and plain names to
// hashed URLs. Requests are looked up in the map, never on a filesystem path.
type assetSet struct {
	byName map[string]*asset
	urls   map[string]string
}

var assetTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml; charset=utf-8",
}

func mustLoadAssets() *assetSet {
	set, err := loadAssets(files)
	if err != nil {
		panic(err)
	}
	return set
}

func loadAssets(fsys fs.FS) (*assetSet, error) {
	set := &assetSet{byName: map[string]*asset{}, urls: map[string]string{}}
	entries, err := fs.ReadDir(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("read static: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		ext := path.Ext(name)
		ct, ok := assetTypes[ext]
		if !ok || e.IsDir() {
			return nil, fmt.Errorf("static %s: unsupported file", name)
		}
		body, err := fs.ReadFile(fsys, "static/"+name)
		if err != nil {
			return nil, fmt.Errorf("read static %s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:12]
		hashedName := strings.TrimSuffix(name, ext) + "." + h + ext
		set.byName[name] = &asset{body: body, contentType: ct, etag: `"` + h + `"`}
		set.byName[hashedName] = &asset{body: body, contentType: ct, etag: `"` + h + `"`, hashed: true}
		set.urls[name] = "/static/" + hashedName
	}
	return set, nil
}

// url returns the hashed URL of a static file; templates call it as asset.
func (a *assetSet) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

func (s *Server) handleStatic(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("filepath"), "/")
	a, ok := s.assets.byName[name]
	if !ok {
		s.fail(c, errRouteNotFound)
		return
	}
	if a.hashed {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	c.Header("ETag", a.etag)
	if c.GetHeader("If-None-Match") == a.etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.contentType, a.body)
}

// mustParsePages parses every template at startup: a broken template stops
// the program before it serves anything.
func mustParsePages(assets *assetSet) map[string]*template.Template {
	funcs := template.FuncMap{"asset": assets.url, "lower": strings.ToLower, "countRows": countRows, "add": func(a, b int) int { return a + b }}
	layoutPaths := make([]string, len(layoutFiles))
	for i, f := range layoutFiles {
		layoutPaths[i] = "templates/" + f
	}
	base := template.Must(template.New("layout").Funcs(funcs).ParseFS(files, layoutPaths...))
	pages := make(map[string]*template.Template, len(pageFiles))
	for _, f := range pageFiles {
		pages[f] = template.Must(template.Must(base.Clone()).ParseFS(files, "templates/"+f))
	}
	return pages
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(c *gin.Context, status int, page string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.fail(c, fmt.Errorf("render: no page %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		if page == "error.html" {
			s.logger(c).Error("render error page", slog.Any("error", err))
			c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
			return
		}
		s.fail(c, fmt.Errorf("render %s: %w", page, err))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}
