package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestServeKeepGenerations: serve --keep-generations 2 records its policy
// in the data folder and prunes to it at start; a pruned generation named
// by gen= is 410, a kept one answers.
func TestServeKeepGenerations(t *testing.T) {
	data := t.TempDir()
	var ids []string
	for _, tag := range []string{"a", "b", "c", "d"} {
		ids = append(ids, publishDocs(t, data, tag, 10))
	}
	base := mustServeConfig(t, &Config{Data: data, LogLevel: "error", KeepGenerations: 2}, nil)
	if _, err := os.Stat(filepath.Join(data, "KEEP")); err != nil {
		t.Errorf("serve did not record its keep policy: %v", err)
	}
	gens, _ := os.ReadDir(filepath.Join(data, "generations"))
	if len(gens) != 2 {
		t.Errorf("%d generations on disk after serve --keep-generations 2, want 2", len(gens))
	}
	for _, tc := range []struct {
		gen  string
		code int
	}{{ids[0], http.StatusGone}, {ids[2], http.StatusOK}, {ids[3], http.StatusOK}} {
		resp, err := http.Get(base + "/api/v1/search?q=alpha&gen=" + tc.gen)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code || (tc.code == 200 && resp.Header.Get("X-Inlsearch-Generation") != tc.gen) {
			t.Errorf("gen=%s: %d, header %q; want %d", tc.gen, resp.StatusCode, resp.Header.Get("X-Inlsearch-Generation"), tc.code)
		}
	}
}
