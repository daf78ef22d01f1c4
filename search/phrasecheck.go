package search

import (
	"cmp"
	"fmt"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// The second phase of a phrase (phrase.go): reading the locations of a
// candidate's terms and checking their positions.

// phraseTerm is one distinct term of a phrase: the offsets it is allowed at
// and, once a candidate needs it, the reader of its postings in the field,
// standing on its current posting.
type phraseTerm struct {
	term  string
	offs  []uint64
	src   *termPostings
	done  bool   // the reader has no posting left
	count uint64 // the passages holding the term
}

// phraseSearcher passes on the candidates of the conjunction of a phrase's
// vectors returns the locations of term t in candidate id, nil when the
// term is not there (a slot's other alternative is). Candidates come in
// increasing order, so each reader only moves forward, and only reads the
// locations of the postings it stops on.
func (s *phraseSearcher) vectors(t *phraseTerm, id index.IndexInternalID) ([]uint64, error) {
	if t.done {
		return nil, nil
	}
	n := id.Value()
	if !t.src.on || t.src.atN < n {
		ok, err := t.src.advance(n)
		if err != nil {
			return nil, fmt.Errorf("phrase term %q: %w", t.term, err)
		}
		if !ok {
			t.done = true
			return nil, nil
		}
	}
	if t.src.atN != n {
		return nil, nil
	}
	return t.src.pos, nil
}

// stands reports whether t's reader stands on document number n.
func (t *phraseTerm) stands(n uint64) bool { return t.src != nil && t.src.on && t.src.atN == n }

// open opens the readers of the terms' postings, at the first candidate.
// When every offset has one term, the intersections of their postings
// (intersectPostings) are the candidates of a phrase that scores itself.
func (s *phraseSearcher) open() error {
	s.opened = true
	sp, err := newSegSpan(s.r)
	if err != nil {
		return err
	}
	srcs := make([]*termPostings, 0, len(s.terms))
	for i := range s.terms {
		t := &s.terms[i]
		src, err := openTermPostings(sp, t.term, s.field, s.ownScored)
		if err != nil {
			return fmt.Errorf("phrase term %q: %w", t.term, err)
		}
		t.src, t.count = src, src.count
		srcs = append(srcs, src)
	}
	if s.single {
		s.candBMs, s.candsKnown = intersectPostings(srcs)
		s.candOffsets = sp.offsets
	}
	return nil
}

// check reports whether d holds the phrase and, when the search wants
// locations, adds to d those of the phrase's occurrences.
func (s *phraseSearcher) check(d *bsearch.DocumentMatch) (bool, error) {
	if !s.opened {
		if err := s.open(); err != nil {
			return false, err
		}
	}
	var err error
	if s.single {
		err = s.startsSingle(d.IndexInternalID)
	} else {
		err = s.starts(d.IndexInternalID)
	}
	if err != nil {
		return false, err
	}
	if len(s.hits) == 0 {
		return false, nil
	}
	if s.locs {
		for i := range s.terms {
			t := &s.terms[i]
			if !t.stands(d.IndexInternalID.Value()) {
				continue
			}
			// Positions only: the text fields keep no byte offsets
			// (analyzer.go) and are not arrays.
			for _, p := range t.src.pos {
				if s.inOccurrence(t, p) {
					d.FieldTermLocations = append(d.FieldTermLocations, bsearch.FieldTermLocation{
						Field: s.field, Term: t.term, Location: bsearch.Location{Pos: p},
					})
				}
			}
		}
	}
	return true, nil
}

// starts sets s.hits to the positions where the phrase starts in
// candidate id: every (offset, position) where a term of that offset
// occurs, sorted; a start p holds the phrase when each offset o has (o, p+o).
func (s *phraseSearcher) starts(id index.IndexInternalID) error {
	s.at = s.at[:0]
	for i := range s.terms {
		t := &s.terms[i]
		vs, err := s.vectors(t, id)
		if err != nil {
			return err
		}
		for _, v := range vs {
			for _, o := range t.offs {
				if v > o {
					s.at = append(s.at, offPos{o, v})
				}
			}
		}
	}
	slices.SortFunc(s.at, cmpOffPos)
	s.hits = s.hits[:0]
	for _, a := range s.at {
		if a.off != 0 {
			break
		}
		if n := len(s.hits); (n == 0 || s.hits[n-1] != a.pos) && s.holds(a.pos) {
			s.hits = append(s.hits, a.pos)
		}
	}
	return nil
}

// startsSingle is starts for a phrase whose every offset has one term:
// the starts are the positions of the offset whose term occurs least, less
// that offset, kept while each other offset o's term is at start + o.
func (s *phraseSearcher) startsSingle(id index.IndexInternalID) error {
	if len(s.pos) != len(s.terms) {
		s.pos = make([][]uint64, len(s.terms))
		s.offTerm = make([]int, len(s.offs))
		for k, o := range s.offs {
			s.offTerm[k] = slices.IndexFunc(s.terms, func(t phraseTerm) bool { return slices.Contains(t.offs, o) })
		}
	}
	s.hits = s.hits[:0]
	for i := range s.terms {
		vs, err := s.vectors(&s.terms[i], id)
		if err != nil || len(vs) == 0 {
			return err
		}
		if !slices.IsSorted(vs) { // internal/zap's compact form is sorted
			slices.Sort(vs)
		}
		s.pos[i] = vs
	}
	best := 0
	for k := range s.offs {
		if len(s.pos[s.offTerm[k]]) < len(s.pos[s.offTerm[best]]) {
			best = k
		}
	}
	ob := s.offs[best]
	for _, p := range s.pos[s.offTerm[best]] {
		if n := len(s.hits); p > ob && (n == 0 || s.hits[n-1] != p-ob) {
			s.hits = append(s.hits, p-ob)
		}
	}
	for k, o := range s.offs {
		if k == best || len(s.hits) == 0 {
			continue
		}
		s.hits = keepAt(s.hits, s.pos[s.offTerm[k]], o)
	}
	return nil
}

// keepAt keeps the starts p of hits (sorted) where ps (sorted) holds p+o,
// in place: by a merge, or by binary search when hits is much the shorter.
func keepAt(hits, ps []uint64, o uint64) []uint64 {
	kept := hits[:0]
	if len(hits)*8 < len(ps) {
		for _, p := range hits {
			if _, ok := slices.BinarySearch(ps, p+o); ok {
				kept = append(kept, p)
			}
		}
		return kept
	}
	j := 0
	for _, p := range hits {
		for j < len(ps) && ps[j] < p+o {
			j++
		}
		if j < len(ps) && ps[j] == p+o {
			kept = append(kept, p)
		}
	}
	return kept
}

// offPos is a phrase offset and a position in the field.
type offPos struct{ off, pos uint64 }

func cmpOffPos(a, b offPos) int {
	if a.off != b.off {
		return cmp.Compare(a.off, b.off)
	}
	return cmp.Compare(a.pos, b.pos)
}

// holds reports whether every offset of the phrase has one of its terms at
// start p plus the offset.
func (s *phraseSearcher) holds(p uint64) bool {
	for _, o := range s.offs[1:] {
		if _, ok := slices.BinarySearchFunc(s.at, offPos{o, p + o}, cmpOffPos); !ok {
			return false
		}
	}
	return true
}

// inOccurrence reports whether term t at position pos is one of the
// phrase's words in one of the occurrences found.
func (s *phraseSearcher) inOccurrence(t *phraseTerm, pos uint64) bool {
	for _, o := range t.offs {
		if pos > o {
			if _, ok := slices.BinarySearch(s.hits, pos-o); ok {
				return true
			}
		}
	}
	return false
}
