package zap

import (
	"encoding/binary"
	"math/rand"
	"slices"
	"sort"
	"testing"
)

// TestLowerBound checks the galloping search against sort.Search.
func TestLowerBound(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for range 2000 {
		docs := make([]uint32, r.Intn(300))
		v := uint32(0)
		for k := range docs {
			v += 1 + uint32(r.Intn(20))
			docs[k] = v
		}
		from := 0
		if len(docs) > 0 {
			from = r.Intn(len(docs) + 1)
		}
		n := uint64(r.Intn(int(v) + 40))
		want := from + sort.Search(len(docs)-from, func(k int) bool { return uint64(docs[from+k]) >= n })
		if got := lowerBound(docs, from, n); got != want {
			t.Fatalf("lowerBound(%v, %d, %d) = %d, want %d", docs, from, n, got, want)
		}
	}
	if got := lowerBound([]uint32{1, 2}, 0, 1<<40); got != 2 {
		t.Errorf("lowerBound past uint32 = %d, want 2", got)
	}
}

// TestAppendGaps checks AppendGaps against ReadUvarint on gaps of one to
// ten bytes, and at the end of the data.
func TestAppendGaps(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for range 500 {
		var data []byte
		n := 1 + r.Intn(40)
		for range n {
			v := uint64(r.Int63()) >> uint(r.Intn(64))
			data = binary.AppendUvarint(data, v)
		}
		extra := r.Intn(3) // reads past the end read 0
		want := []uint64{7}
		ref := &memUvarintReader{S: data}
		p := uint64(7)
		for range n + extra {
			v, err := ref.ReadUvarint()
			if err != nil {
				t.Fatal(err)
			}
			p += v
			want = append(want, p)
		}
		got, err := (&memUvarintReader{S: data}).AppendGaps([]uint64{7}, 7, n+extra)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("AppendGaps = %v, want %v", got, want)
		}
	}
}
