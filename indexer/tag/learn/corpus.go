// Package learn trains the tagger's models (indexer/tag, data/model.json)
// from the labelled corpus (indexer/tag/testdata/corpus) and measures them:
// it loads the pages and their labels, turns them into examples with the
// tagger's own features, fits the logistic regressions, picks the topic
// thresholds by genre-grouped cross-validation, and scores a tagger per
// genre (Evaluate), by facet value (Diagnose) and by leave-one-genre-out
// cross-validation (CrossValidate).
//
// The blind test split is never read by the trainer: LoadCorpus leaves every
// page whose label says "split": "test" out unless asked for exactly those.
package learn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/inlsearch/inlsearch/corpus"
	"github.com/inlsearch/inlsearch/indexer/extract"
	"github.com/inlsearch/inlsearch/indexer/tag"
)

// Label is the label file of one corpus page (testdata/corpus/SPEC.md).
type Label struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Genre     string `json:"genre"`
	Site      string `json:"site"`
	Publisher string `json:"publisher"`
	Template  string `json:"template"`
	Split     string `json:"split"`
	// Set names the writers' set of a page that came from a spent blind set
	// ("blind2", "blind3"); "" for the first writers' pages.
	Set                string          `json:"set,omitempty"`
	Type               string          `json:"type"`
	Organizations      []string        `json:"organizations"`
	OtherOrganizations []OtherOrg      `json:"other_organizations"`
	Countries          []string        `json:"countries"`
	Regions            []string        `json:"regions"`
	Topics             []string        `json:"topics"`
	Years              []int           `json:"years"`
	Sections           []SectionLabel  `json:"sections"`
	Notes              json.RawMessage `json:"notes"`
}

// OtherOrg is an organization outside the taxonomy that a page names.
type OtherOrg struct {
	Name    string `json:"name"`
	Acronym string `json:"acronym"`
}

// SectionLabel is the labels of one section of a page.
type SectionLabel struct {
	Heading       string   `json:"heading"`
	Topics        []string `json:"topics"`
	Organizations []string `json:"organizations"`
	Countries     []string `json:"countries"`
}

// Doc is one labelled page, extracted as the crawl extracts it.
type Doc struct {
	Path  string // the page file, relative to its folder ("budget/peru-2012.html")
	URL   string // the URL the page is tagged under
	Label Label
	Page  tag.Page
	Text  string // the passages' text as the crawl gives it to Type
	// Section holds, per passage, the index of its labelled section in
	// Label.Sections, or -1 (no section label: the page's labels only).
	Section []int
	// Aux is set for pages labelled at page level only (the demo gold, the held-out pages).
	Aux bool

	feats     [][]tag.Feature // passage features, computed once (features)
	listed    [][]bool        // per passage and topic, named only in lists (features)
	terms     map[string]int  // the page's word stems (features; tag.PageLex)
	typeFeats []tag.Feature
}

// Split selects the corpus pages to load.
type Split int

const (
	// Open loads the train and dev pages: everything but the blind test.
	Open Split = iota
	// Blind loads the test pages only (the final, once-only measurement).
	Blind
)

// LoadCorpus reads dir/<genre>/<slug>.json and .html. With Open, pages whose
// label says "split": "test" are skipped unread beyond their split; with
// Blind, only those are read. Pages are returned sorted by path.
func LoadCorpus(dir string, which Split) ([]*Doc, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var docs []*Doc
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var split struct {
			Split string `json:"split"`
		}
		if err := json.Unmarshal(b, &split); err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		if (split.Split == "test") != (which == Blind) {
			continue
		}
		var l Label
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		htmlPath := strings.TrimSuffix(n, ".json") + ".html"
		body, err := os.ReadFile(htmlPath)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, htmlPath)
		if l.Genre == "" {
			l.Genre = filepath.Base(filepath.Dir(n))
		}
		u := l.URL
		if u == "" {
			u = "https://example.gov/" + filepath.ToSlash(rel)
		}
		d, err := newDoc(filepath.ToSlash(rel), u, body, l)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// newDoc extracts a page and matches its passages to the labelled sections.
func newDoc(path, pageURL string, body []byte, l Label) (*Doc, error) {
	r, err := charset.NewReader(bytes.NewReader(body), "text/html")
	if err != nil {
		return nil, fmt.Errorf("charset %s: %w", path, err)
	}
	utf8Body, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	page, err := extract.Extract(pageURL, utf8Body)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", path, err)
	}
	d := &Doc{Path: path, URL: pageURL, Label: l}
	d.Page = tag.Page{URL: pageURL, Title: page.Title, Site: page.Site, Published: page.Published}
	var full strings.Builder
	for _, p := range page.Passages {
		d.Page.Passages = append(d.Page.Passages, tag.PagePassage{Headings: p.Headings, Text: p.Text})
		if n := len(p.Headings); n > 0 {
			full.WriteString(p.Headings[n-1] + "\n")
		}
		full.WriteString(p.Text + "\n")
	}
	d.Text = full.String()
	d.Section = matchSections(page.Passages, l.Sections)
	return d, nil
}

// matchSections gives each passage the index of the labelled section whose
// heading is its innermost heading, sections taken in page order; -1 for
// the others.
func matchSections(ps []extract.Passage, secs []SectionLabel) []int {
	out := make([]int, len(ps))
	used := make([]bool, len(secs))
	for i, p := range ps {
		out[i] = -1
		if len(p.Headings) == 0 {
			continue
		}
		h := headingKey(p.Headings[len(p.Headings)-1])
		for j, s := range secs {
			if !used[j] && headingKey(s.Heading) == h {
				out[i], used[j] = j, true
				break
			}
		}
	}
	return out
}

// headingKey normalises a heading for matching: lower case, single spaces,
// no surrounding punctuation.
func headingKey(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.Trim(s, " :.;,–—-*•")
}

// GoldPage is a page of the demo gold (corpus/gold/*.json) or of the
// held-out gold, with its page labels.
type GoldPage struct {
	Path          string   `json:"path"`
	Title         string   `json:"title"`
	Type          string   `json:"type"`
	Organizations []string `json:"organizations"`
	Countries     []string `json:"countries"`
	Regions       []string `json:"regions"`
	Topics        []string `json:"topics"`
	Years         []int    `json:"years"`
}

func (g GoldPage) label(genre string) Label {
	return Label{Title: g.Title, Genre: genre, Split: "train", Type: g.Type, Organizations: g.Organizations,
		Countries: g.Countries, Regions: g.Regions, Topics: g.Topics, Years: g.Years}
}

// LoadDemoGold reads the demo site's gold pages (files, e.g. corpus/gold/*.json),
// rendered from the embedded demo site; they carry page labels only.
func LoadDemoGold(files []string) ([]*Doc, error) {
	var docs []*Doc
	for _, n := range files {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var gold []GoldPage
		if err := json.Unmarshal(b, &gold); err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		for _, g := range gold {
			body, _, err := corpus.Render(g.Path)
			if err != nil {
				return nil, fmt.Errorf("render %s: %w", g.Path, err)
			}
			d, err := newDoc(g.Path, "http://127.0.0.1:8080"+g.Path, body, g.label("demo"))
			if err != nil {
				return nil, err
			}
			d.Aux = true
			docs = append(docs, d)
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Path < docs[j].Path })
	return docs, nil
}

// LoadHoldout reads the held-out pages of dir (gold.json) whose name passes
// keep, served from https://example.gov/<file> as TestHoldout serves them;
// they carry page labels only.
func LoadHoldout(dir string, keep func(name string) bool) ([]*Doc, error) {
	b, err := os.ReadFile(filepath.Join(dir, "gold.json"))
	if err != nil {
		return nil, err
	}
	var gold []GoldPage
	if err := json.Unmarshal(b, &gold); err != nil {
		return nil, fmt.Errorf("parse gold.json: %w", err)
	}
	sort.Slice(gold, func(i, j int) bool { return gold[i].Path < gold[j].Path })
	var docs []*Doc
	for _, g := range gold {
		if !keep(g.Path) {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, g.Path))
		if err != nil {
			return nil, err
		}
		d, err := newDoc(g.Path, "https://example.gov/"+g.Path, body, g.label("holdout"))
		if err != nil {
			return nil, err
		}
		d.Aux = true
		docs = append(docs, d)
	}
	return docs, nil
}
