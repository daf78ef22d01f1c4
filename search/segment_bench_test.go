package search

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	stock "github.com/blevesearch/zapx/v17"

	"github.com/inlsearch/inlsearch/internal/zap"
)

// proseDocs returns n passages of about 5 KB of prose-like text: stop words
// and a Zipf-distributed vocabulary of 50,000 made-up words, as in bench/.
func proseDocs(n int) []Document {
	r := rand.New(rand.NewSource(7))
	zipf := rand.NewZipf(r, 1.1, 1, 49999)
	stops := strings.Fields("the of and to in a for on with by is that as from at was are were this which")
	word := func(k uint64) string {
		const letters = "abcdefghiklmnoprstuvy"
		var b strings.Builder
		for k++; k > 0; k /= uint64(len(letters)) {
			b.WriteByte(letters[k%uint64(len(letters))])
		}
		return b.String()
	}
	docs := make([]Document, n)
	for i := range docs {
		var b strings.Builder
		for b.Len() < 5000 {
			if r.Intn(2) == 0 {
				b.WriteString(stops[r.Intn(len(stops))])
			} else {
				b.WriteString(word(zipf.Uint64()))
			}
			if r.Intn(15) == 0 {
				b.WriteString(".")
			}
			b.WriteByte(' ')
		}
		docs[i] = Document{
			ID: fmt.Sprintf("p%06d", i), URL: "https://example.org/p#" + fmt.Sprint(i), PageURL: "https://example.org/p",
			Title: word(zipf.Uint64()) + " " + word(zipf.Uint64()), Section: word(zipf.Uint64()), Text: b.String(),
			Countries: []string{"Peru"}, Topics: []string{"corrections", "police training"}, Years: []int{2010 + i%10},
			Published: time.Date(2010+i%10, 1, 1, 0, 0, 0, 0, time.UTC), FirstSeen: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			ChangedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		}
	}
	return docs
}

// analysed maps docs with m as the writer does (compactDocument) and
// analyses them as scorch does for a batch (every field's terms, with
// positions), ready for a segment
// plugin's New, which consumes them.
func analysed(tb testing.TB, m *mapping.IndexMappingImpl, docs []Document) []index.Document {
	tb.Helper()
	res := make([]index.Document, 0, len(docs))
	for i := range docs {
		f, err := fields(&docs[i], time.Time{})
		if err != nil {
			tb.Fatal(err)
		}
		d, err := compactDocument(m, docs[i].ID, f) // as the writer does
		if err != nil {
			tb.Fatal(err)
		}
		d.AddIDField()
		d.VisitFields(func(f index.Field) { f.Analyze() })
		res = append(res, d)
	}
	return res
}

// BenchmarkSegmentBuild measures, on one core, the two costs of indexing a
// batch that no tuning of the pipeline removes: analysing the passages with
// the real mapping (tokens, stems, term frequencies with positions) and
// building the zap segment of the batch (postings, locations, dictionaries,
// stored fields, doc values). Reported per passage (ms/passage); no merge,
// no persistence, no concurrency. The README's build floor comes from it.
func BenchmarkSegmentBuild(b *testing.B) {
	docs := proseDocs(BatchSize)
	m := NewMapping()
	var analysis, build time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		res := analysed(b, m, docs)
		t1 := time.Now()
		seg, _, err := (&zap.ZapPlugin{}).New(res)
		if err != nil {
			b.Fatal(err)
		}
		build += time.Since(t1)
		analysis += t1.Sub(t0)
		n += len(docs)
		_ = seg.Close()
	}
	b.ReportMetric(analysis.Seconds()*1000/float64(n), "analysis-ms/passage")
	b.ReportMetric(build.Seconds()*1000/float64(n), "segment-ms/passage")
	b.ReportMetric(0, "ns/op")
}

// TestLocationBytes measures, when INLSEARCH_SIZE_FIGURES names a number of
// proseDocs passages, what the term vectors of the analysed fields cost in
// one segment of them, in zapx v17's format and in internal/zap's: zapx
// writes every occurrence as five varints (field, position, start, end,
// number of array positions), and the text analyzer leaves start and end 0
// (noOffsets) and no field is an array, so three bytes of each are zeros;
// internal/zap writes the gaps between positions. It logs both segments'
// sizes beside the raw text, and checks that every passage's occurrences
// were counted and that the compact format is the smaller.
func TestLocationBytes(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("INLSEARCH_SIZE_FIGURES"))
	if n <= 0 {
		t.Skip("set INLSEARCH_SIZE_FIGURES=passages to measure")
	}
	docs := proseDocs(n)
	m := NewMapping()
	res := make([]index.Document, 0, len(docs))
	var locs, zeroLocs, postings, raw int
	for i := range docs {
		f, err := fields(&docs[i], time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		d := document.NewDocument(docs[i].ID)
		if err := m.MapDocument(d, f); err != nil {
			t.Fatal(err)
		}
		d.AddIDField()
		d.VisitFields(func(f index.Field) {
			f.Analyze()
			for _, tf := range f.AnalyzedTokenFrequencies() {
				if len(tf.Locations) == 0 {
					continue
				}
				postings++
				for _, l := range tf.Locations {
					locs++
					if l.Start == 0 && l.End == 0 && len(l.ArrayPositions) == 0 {
						zeroLocs++
					}
				}
			}
		})
		raw += len(docs[i].Title) + len(docs[i].Section) + len(docs[i].Text)
		res = append(res, d)
	}
	size := func(p interface {
		New([]index.Document) (segment.Segment, uint64, error)
	}, docs []index.Document) int64 {
		seg, _, err := p.New(docs)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = seg.Close() }()
		path := filepath.Join(t.TempDir(), "segment.zap")
		if err := seg.(interface{ Persist(path string) error }).Persist(path); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	compact := size(&zap.ZapPlugin{}, res)
	// A segment consumes its documents' analysis: analyse them again.
	zapx := size(&stock.ZapPlugin{}, analysed(t, m, docs))
	if locs < n {
		t.Errorf("%d occurrences counted in %d passages", locs, n)
	}
	if compact >= zapx {
		t.Errorf("internal/zap's segment %d bytes, zapx v17's %d", compact, zapx)
	}
	t.Logf("%d passages, %.1f MB of text, %d occurrences in %d postings of the analysed fields "+
		"(%.1f MB of always-zero start, end and array count in zapx's format); one segment: zapx v17 %.1f MB (%.2f ×), internal/zap %.1f MB (%.2f ×)",
		n, float64(raw)/1e6, locs, postings, float64(3*zeroLocs)/1e6,
		float64(zapx)/1e6, float64(zapx)/float64(raw), float64(compact)/1e6, float64(compact)/float64(raw))
}
