package zap_test

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	stock "github.com/blevesearch/zapx/v17"

	"github.com/inlsearch/inlsearch/internal/zap"
	_ "github.com/inlsearch/inlsearch/search" // registers inlsearch's text analyzer
)

// textAnalyzer is inlsearch's text analyzer (search/analyzer.go): positions,
// no byte offsets.
const textAnalyzer = "inl_en"

// plugin is what both formats offer: build a segment in memory, persist and
// open it, merge segments.
type plugin interface {
	New(results []index.Document) (segment.Segment, uint64, error)
	Open(path string) (segment.Segment, error)
	Merge(segments []segment.Segment, drops []*roaring.Bitmap, path string,
		closeCh chan struct{}, s segment.StatsReporter) ([][]uint64, uint64, error)
}

// testDocs maps n documents through a mapping that makes every kind of
// location: text analysed with positions only (inlsearch's analyzer:
// compact), with byte offsets (bleve's standard analyzer), an array field,
// the composite _all field, keywords without locations and stored-only
// data. Each call returns new documents, since building a segment consumes
// their analysis.
func testDocs(t testing.TB, n int) []index.Document {
	t.Helper()
	text := func(analyzer string, vectors bool) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.IncludeTermVectors = vectors
		fm.IncludeInAll = true
		return fm
	}
	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("body", text(textAnalyzer, true))
	dm.AddFieldMappingsAt("title", text(textAnalyzer, true))
	dm.AddFieldMappingsAt("offsets", text(standard.Name, true))
	dm.AddFieldMappingsAt("tags", text(keyword.Name, false))
	dm.AddFieldMappingsAt("list", text(textAnalyzer, true))
	im := mapping.NewIndexMapping()
	im.DefaultMapping = dm
	r := rand.New(rand.NewSource(int64(n)))
	words := strings.Fields("police court training money laundering border drug the of and trafficking corruption prosecutor judge academy program")
	sentence := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteString(words[r.Intn(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	docs := make([]index.Document, 0, n)
	for i := range n {
		// A struct, not a map: its fields are walked in one order, so
		// that the composite field's locations come in the same order
		// in both builds.
		src := struct {
			Body    string   `json:"body"`
			Title   string   `json:"title"`
			Offsets string   `json:"offsets"`
			Tags    []string `json:"tags"`
			List    []string `json:"list"`
		}{sentence(5 + r.Intn(60)), sentence(1 + r.Intn(6)), sentence(r.Intn(20)),
			[]string{"corruption", fmt.Sprint("t", i%7)}, []string{sentence(3), sentence(1 + r.Intn(4))}}
		d := document.NewDocument(fmt.Sprintf("d%04d", i))
		if err := im.MapDocument(d, src); err != nil {
			t.Fatal(err)
		}
		d.AddIDField()
		d.VisitFields(func(f index.Field) { // as scorch's analyze
			if !f.Options().IsIndexed() {
				return
			}
			f.Analyze()
			if d.HasComposite() && f.Name() != "_id" {
				d.VisitComposite(func(cf index.CompositeField) {
					cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
				})
			}
		})
		docs = append(docs, d)
	}
	return docs
}

type everything struct{}

func (everything) Start() int                 { return 0 }
func (everything) IsMatch(int) bool           { return true }
func (everything) CanMatch(int) bool          { return true }
func (everything) WillAlwaysMatch(int) bool   { return true }
func (everything) Accept(int, byte) int       { return 0 }
func (everything) MatchesRegex(s string) bool { return true }

// dump writes every posting of every field of seg, with its frequency,
// norm and locations, one line each.
func dump(t testing.TB, seg segment.Segment) string {
	t.Helper()
	var b strings.Builder
	for _, field := range seg.Fields() {
		dict, err := seg.Dictionary(field)
		if err != nil {
			t.Fatal(err)
		}
		it := dict.AutomatonIterator(everything{}, nil, nil)
		for {
			e, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				break
			}
			pl, err := dict.PostingsList([]byte(e.Term), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			pi := pl.Iterator(true, true, true, nil)
			for {
				p, err := pi.Next()
				if err != nil {
					t.Fatal(err)
				}
				if p == nil {
					break
				}
				fmt.Fprintf(&b, "%s %q doc %d freq %d norm %v:", field, e.Term, p.Number(), p.Frequency(), p.Norm())
				for _, l := range p.Locations() {
					fmt.Fprintf(&b, " %s@%d[%d,%d]%v", l.Field(), l.Pos(), l.Start(), l.End(), l.ArrayPositions())
				}
				b.WriteByte('\n')
			}
			// Advance, which skips the postings it passes, over the whole
			// list and over a part of it (scorch's conjunction
			// optimization replaces the iterator's bitmap with an
			// intersection), to targets in the same and in later chunks.
			for _, part := range []string{"whole", "intersected", "deleted"} {
				pi = pl.Iterator(true, true, true, nil)
				if part == "deleted" {
					// Deleted documents (the postings list's except).
					del := roaring.New()
					for d := uint32(1); d < 2600; d += 4 {
						del.Add(d)
					}
					pld, err := dict.PostingsList([]byte(e.Term), del, nil)
					if err != nil {
						t.Fatal(err)
					}
					pi = pld.Iterator(true, true, true, nil)
				}
				if part == "intersected" {
					bm := roaring.New()
					for d := uint32(0); d < 2600; d += 3 {
						bm.Add(d)
					}
					opt, ok := pi.(segment.OptimizablePostingsIterator)
					if !ok || opt.ActualBitmap() == nil {
						continue
					}
					bm.And(opt.ActualBitmap())
					opt.ReplaceActual(bm)
				}
				// internal/zap's AdvancePositions must say what zapx's
				// Advance says.
				pp, positions := pi.(interface {
					AdvancePositions(uint64, []uint64) (uint64, uint64, uint64, []uint64, bool, error)
				})
				var buf []uint64
				for _, at := range []uint64{0, 2, 7, 8, 40, 41, 97, 150, 151, 300, 800, 866, 867, 868, 1200, 1733, 1734, 1800, 2400, 2599} {
					var n, freq uint64
					var norm float64
					if positions {
						var ok bool
						var err error
						var bits uint64
						n, freq, bits, buf, ok, err = pp.AdvancePositions(at, buf)
						norm = zap.NormOf(bits)
						if err != nil {
							t.Fatal(err)
						}
						if !ok {
							break
						}
					} else {
						p, err := pi.Advance(at)
						if err != nil {
							t.Fatal(err)
						}
						if p == nil {
							break
						}
						n, freq, norm, buf = p.Number(), p.Frequency(), p.Norm(), buf[:0]
						for _, l := range p.Locations() {
							buf = append(buf, l.Pos())
						}
					}
					fmt.Fprintf(&b, "%s %q %s advance %d → %d freq %d norm %v: %v\n", field, e.Term, part, at, n, freq, norm, buf)
				}
			}
		}
	}
	return b.String()
}

// build returns, for each plugin, the dump of a segment of the same
// documents built in memory, persisted and opened again, and of the merge
// of two such segments with some documents dropped.
func build(t *testing.T, p plugin, dir string) (mem, disk, merged string) {
	t.Helper()
	var segs []segment.Segment
	for k, n := range []int{2600, 90} {
		seg, _, err := p.New(testDocs(t, n))
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			mem = dump(t, seg)
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.zap", k))
		if err := seg.(interface{ Persist(string) error }).Persist(path); err != nil {
			t.Fatal(err)
		}
		opened, err := p.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = opened.Close() })
		if k == 0 {
			disk = dump(t, opened)
		}
		segs = append(segs, opened)
	}
	drops := []*roaring.Bitmap{roaring.BitmapOf(0, 3, 99, 149, 1500, 2599), nil}
	path := filepath.Join(dir, "merged.zap")
	if _, _, err := p.Merge(segs, drops, path, nil, nil); err != nil {
		t.Fatal(err)
	}
	m, err := p.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return mem, disk, dump(t, m)
}

// TestLocationsAsStock checks that the patched format gives back every
// posting, frequency, norm and location that zapx v17 gives for the same
// documents: built in memory, persisted and opened, and merged with drops
// (which re-encodes every location), for every kind of location.
func TestLocationsAsStock(t *testing.T) {
	mem, disk, merged := build(t, &zap.ZapPlugin{}, t.TempDir())
	wantMem, wantDisk, wantMerged := build(t, &stock.ZapPlugin{}, t.TempDir())
	if !strings.Contains(wantMem, "@") || !strings.Contains(wantMem, "[0,0][1]") || !strings.Contains(wantMem, "_all") {
		t.Fatalf("the documents make no array or composite locations:\n%s", wantMem)
	}
	for _, c := range []struct{ name, got, want string }{
		{"in memory", mem, wantMem}, {"persisted", disk, wantDisk}, {"merged", merged, wantMerged},
	} {
		if c.got != c.want {
			gl, wl := strings.Split(c.got, "\n"), strings.Split(c.want, "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Fatalf("%s: line %d\n got %s\nwant %s", c.name, i, gl[i], wl[i])
				}
			}
			t.Fatalf("%s: %d lines, want %d", c.name, len(gl), len(wl))
		}
	}
}
