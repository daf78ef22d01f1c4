package indexer

import (
	"os"
	"testing"

	"github.com/inlsearch/inlsearch/indexer/pdf"
)

func TestMain(m *testing.M) {
	pdf.ServeChild() // PDF extraction runs in children of this test binary
	os.Exit(m.Run())
}
