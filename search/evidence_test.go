package search

import (
	"context"
	"testing"
)

// TestEvidenceStoredApart checks that a passage's evidence comes back from
// Get and that search hits do not carry it (it is never decoded on the
// search path).
func TestEvidenceStoredApart(t *testing.T) {
	t.Parallel()
	doc := Document{ID: "ev-1", URL: "https://example.gov/a#x", PageURL: "https://example.gov/a", Title: "Iraq",
		Text: "The CPATT advisers trained police in Basra.", Organizations: []string{"CPATT"},
		FoundOrganizations: []string{"CPATT"},
		Evidence:           map[string]string{"organization:CPATT": "The CPATT advisers trained police in Basra."}}
	ix := MustIndex(t, testVocabulary, []Document{doc})
	ctx := context.Background()
	got, err := ix.Get(ctx, "ev-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Evidence["organization:CPATT"] != doc.Evidence["organization:CPATT"] {
		t.Errorf("Get evidence = %q, want %q", got.Evidence, doc.Evidence)
	}
	if len(got.FoundOrganizations) != 1 || got.FoundOrganizations[0] != "CPATT" {
		t.Errorf("Get found organizations = %q, want [CPATT]", got.FoundOrganizations)
	}
	res, err := ix.Search(ctx, Query{Q: "advisers"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("Search hits = %d, want 1", len(res.Hits))
	}
	if res.Hits[0].Evidence != nil {
		t.Errorf("search hit evidence = %q, want none (stored apart, read by Get only)", res.Hits[0].Evidence)
	}
}
