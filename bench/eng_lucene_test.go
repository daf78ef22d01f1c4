package main

import (
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// TestLuceneAnswer reads the program's answers: totals, escaped facet
// values, errors, and lines that are neither.
func TestLuceneAnswer(t *testing.T) {
	line := "OK\t42\torganization\x1fA\\tB\x1f3\x1fC\\\\D\x1f1\x1ecountry\x1etype\x1fx\\fy\x1f2\x1eyear\x1eregion\x1etopic\n"
	a, err := parseLuceneAnswer(line, true)
	if err != nil {
		t.Fatal(err)
	}
	if a.Total != 42 {
		t.Errorf("total %d", a.Total)
	}
	if got := strings.Join(a.Facets[search.FacetOrganization], ","); got != "A\tB=3,C\\D=1" {
		t.Errorf("organization %q", got)
	}
	if got := strings.Join(a.Facets[search.FacetType], ","); got != "x\x1fy=2" {
		t.Errorf("type %q", got)
	}
	if len(a.Facets[search.FacetCountry]) != 0 || len(a.Facets) != len(search.Facets) {
		t.Errorf("facets %v", a.Facets)
	}
	if a, err := parseLuceneAnswer("OK\t7\t\n", false); err != nil || a.Total != 7 || a.Facets != nil {
		t.Errorf("without facets: %+v %v", a, err)
	}
	if _, err := parseLuceneAnswer("ERR\tjava.lang.IllegalArgumentException: x\\ty\n", true); err == nil || !strings.Contains(err.Error(), "IllegalArgumentException: x\ty") {
		t.Errorf("ERR line: %v", err)
	}
	for _, bad := range []string{"", "OK\t1\n", "OK\tx\t\n", "OK\t1\ttopic\x1fa\n", "OK\t1\ttopic\x1fa\x1fmany\n", "READY\n"} {
		if _, err := parseLuceneAnswer(bad, true); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestLuceneLines checks the lines sent to the program: a field never holds
// a raw separator, and the query's parts are where the program reads them.
func TestLuceneLines(t *testing.T) {
	q := Query{Words: []string{"zoba", "zobe"}, Op: "or", Page: 3, Facets: true,
		Filters: []Filter{{search.FacetCountry, "Côte d'Ivoire"}, {search.FacetTopic, "a\tb\x1ec"}}}
	got := queryLine(q)
	want := "zoba OR zobe\t3\t1\tcountry\x1fCôte d'Ivoire\x1etopic\x1fa\\tb\\ec\n"
	if got != want {
		t.Errorf("query line %q, want %q", got, want)
	}
	d := search.Document{ID: "p1", URL: "u", Title: "T\\", Section: "S\nx", Text: "a\tb",
		Organizations: []string{"O1", "O\x1f2"}, Countries: []string{"C"}, Regions: []string{"R"}, Topics: []string{"T"},
		Type: "fact sheet", Years: []int{2020, 2021}, Amounts: []float64{1e6, 2.5},
		Published: time.Date(1970, 1, 11, 0, 0, 0, 0, time.UTC)}
	fields := strings.Split(strings.TrimSuffix(corpusLine(&d), "\n"), "\t")
	if len(fields) != 7+len(search.Facets) {
		t.Fatalf("%d fields: %q", len(fields), fields)
	}
	for i, w := range []string{"p1", "u", `T\\`, `S\nx`, `a\tb`, "10", "1e+06\x1f2.5", "O1\x1fO\\f2", "C", "R", "T", "fact sheet", "2020\x1f2021"} {
		if fields[i] != w {
			t.Errorf("field %d %q, want %q", i, fields[i], w)
		}
	}
}

// TestFindLucene names what is missing when the program is not built.
func TestFindLucene(t *testing.T) {
	_, err := findLucene(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "setup.sh") {
		t.Errorf("empty folder: %v", err)
	}
}
