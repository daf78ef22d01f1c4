package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// storedReader reads the section of a passage by its document number
// straight from the stored fields of its segment, stopping at the stored
// document: neither a search by id (a dictionary lookup per segment) nor
// the whole passage read and decoded (a tenth of a grouped search).
type storedReader struct {
	r       index.IndexReader
	segs    []*scorch.SegmentSnapshot // nil: not a scorch snapshot
	offsets []uint64                  // of each segment's first document number
}

func newStoredReader(r index.IndexReader) *storedReader {
	st := &storedReader{r: r}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		st.segs = snap.Segments()
		var at uint64
		for _, ss := range st.segs {
			st.offsets = append(st.offsets, at)
			at += ss.Segment().Count() // deleted included, as scorch numbers them
		}
	}
	return st
}

// section is the section of document number n.
func (st *storedReader) section(n uint64) (string, error) {
	var raw []byte
	if st.segs == nil {
		id, err := st.r.ExternalID(index.NewIndexInternalID(nil, n))
		if err != nil {
			return "", fmt.Errorf("document %d: %w", n, err)
		}
		doc, err := st.r.Document(id)
		if err != nil || doc == nil {
			return "", fmt.Errorf("document %s: %w", id, errors.Join(err, ErrNotFound))
		}
		doc.VisitFields(func(f index.Field) {
			if f.Name() == fieldDoc {
				raw = f.Value()
			}
		})
	} else {
		i := sort.Search(len(st.offsets), func(i int) bool { return st.offsets[i] > n }) - 1
		if i < 0 {
			return "", fmt.Errorf("document %d: %w", n, ErrNotFound)
		}
		err := st.segs[i].VisitDocument(n-st.offsets[i], func(field string, _ byte, value []byte, _ []uint64) bool {
			if field == fieldDoc {
				raw = slices.Clone(value)
				return false
			}
			return true
		})
		if err != nil {
			return "", fmt.Errorf("document %d: %w", n, err)
		}
	}
	if raw == nil {
		return "", fmt.Errorf("document %d: no stored data", n)
	}
	return jsonSection(raw)
}

// jsonSection reads the section of a stored document: scanned for among
// the leading keys (json.Marshal writes it fifth, after four strings), and
// decoded whole when the document is not laid out so (a value that is not
// a string before it, or no section).
func jsonSection(raw []byte) (string, error) {
	if sec, ok := scanSection(raw); ok {
		return sec, nil
	}
	var d struct {
		Section string `json:"section"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return "", fmt.Errorf("decode stored document: %w", err)
	}
	return d.Section, nil
}

// scanSection finds the section among the string values that open a
// stored document's object.
func scanSection(raw []byte) (string, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return "", false
	}
	i++
	for {
		i = skipSpace(raw, i)
		keyEnd, ok := stringEnd(raw, i)
		if !ok {
			return "", false
		}
		key := raw[i:keyEnd]
		if i = skipSpace(raw, keyEnd); i >= len(raw) || raw[i] != ':' {
			return "", false
		}
		i = skipSpace(raw, i+1)
		valEnd, ok := stringEnd(raw, i)
		if !ok {
			return "", false
		}
		if string(key) == `"section"` {
			var sec string
			if err := json.Unmarshal(raw[i:valEnd], &sec); err != nil {
				return "", false
			}
			return sec, true
		}
		if i = skipSpace(raw, valEnd); i >= len(raw) || raw[i] != ',' {
			return "", false
		}
		i++
	}
}

// stringEnd is the index after the JSON string starting at raw[i].
func stringEnd(raw []byte, i int) (int, bool) {
	if i >= len(raw) || raw[i] != '"' {
		return 0, false
	}
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return 0, false
}

// skipSpace is the index of the first byte from i that is not JSON space.
func skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}
