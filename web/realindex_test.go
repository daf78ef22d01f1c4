package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// MustRealIndex builds a bleve index of the fixture passages plus n
// synthetic ones whose words come from a large vocabulary (so that prefixes
// expand to many terms), as the bomb tests and the fuzzer need.
func MustRealIndex(tb testing.TB, n int) *search.Index {
	tb.Helper()
	ix, err := search.Create(filepath.Join(tb.TempDir(), "index"), search.Vocabulary{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	docs := fixtureDocs()
	rng := rand.New(rand.NewPCG(1, 2))
	syll := []string{"al", "ba", "co", "da", "el", "fa", "ga", "ha", "in", "ja", "ka", "lo", "ma", "no", "or", "pa", "qu", "ra", "sa", "ta"}
	word := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		return b.String()
	}
	countries := []string{"Mexico", "Peru", "Ghana", "Laos", "Haiti"}
	for i := range n {
		words := make([]string, 30)
		for k := range words {
			words[k] = word()
		}
		docs = append(docs, search.Document{
			ID: fmt.Sprintf("syn-%05d", i), URL: fmt.Sprintf("https://www.example.gov/syn/%d#s", i),
			PageURL: fmt.Sprintf("https://www.example.gov/syn/%d", i), Title: "Synthetic " + word(),
			Text: strings.Join(words, " "), Countries: []string{countries[i%len(countries)]},
			Topics: []string{"rule of law"}, Years: []int{2000 + i%25},
			Published: time.Date(2000+i%25, 1, 1, 0, 0, 0, 0, time.UTC),
		})
	}
	if err := ix.Add(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// TestBombQueries sends the regex, wildcard, fuzzy and expansion bombs of
// RELIABILITY.md C3 to the API over a real index. The query language has no
// regex, wildcard or fuzzy syntax, so /, ?, ~ are plain characters: each
// answer is a 200, or a 400 naming the limit, never a 5xx.
func TestBombQueries(t *testing.T) {
	t.Parallel()
	ix := MustRealIndex(t, 3000)
	// The rules under test bound the work (clauses, bytes, terms, regexp
	// size), not the clock: on a loaded machine under the race detector the
	// 2 s default deadline would turn this into a timing test.
	ix.SetLimits(search.Limits{Deadline: time.Minute})
	h := MustServer(t, Config{}, ix, nil, nil).Handler()
	manyOr := make([]string, 2000)
	for i := range manyOr {
		manyOr[i] = fmt.Sprintf("w%d", i)
	}
	prefixes := make([]string, 40)
	for i := range prefixes {
		prefixes[i] = []string{"ala*", "bal*", "cob*", "dam*", "elo*", "fag*", "gaq*", "hat*"}[i%8]
	}
	tests := []struct {
		q      string
		status int
		code   string
	}{
		{"*", 200, ""},
		{"/.*/", 200, ""},
		{"/(a+)+$/", 200, ""},
		{"/[a-z]{1,1000}/", 200, ""},
		{"a*b*c*d*e*", 200, ""},
		{"??????", 200, ""},
		{"foo~10", 200, ""},
		{"al*", 400, "invalid_query"}, // a prefix needs 3 letters
		{"alba*", 200, ""},
		{strings.Join(prefixes, " OR "), 400, "too_many_clauses"},
		{strings.Join(manyOr[:120], " OR "), 200, ""},              // under 1,024 bytes and 1,024 terms
		{strings.Join(manyOr[:300], " OR "), 400, "invalid_query"}, // q over 1,024 bytes
		{strings.Join(manyOr, " OR "), 414, "uri_too_long"},        // the request target over 8 KiB
		{"/" + strings.Repeat("a", 5000) + "/", 400, "invalid_query"},
		{strings.Repeat("(", 40) + "a" + strings.Repeat(")", 40), 400, "invalid_query"},
	}
	for _, tt := range tests {
		name := tt.q
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			rec := do(t, h, "GET", "/api/v1/search?"+url.Values{"q": {tt.q}}.Encode(), nil)
			if rec.Code != tt.status {
				t.Fatalf("q=%.60s: %d, want %d\n%.300s", tt.q, rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if code, _ := decodeError(t, rec); code != tt.code {
					t.Errorf("q=%.60s: code %q, want %q", tt.q, code, tt.code)
				}
			}
		})
	}
}
