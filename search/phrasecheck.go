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
// and, once a candidate needs it, the reader of its locations in the field
// with the posting it stands on.
type phraseTerm struct {
	term  string
	offs  []uint64
	tfr   index.TermFieldReader
	at    *index.TermFieldDoc // the reader's current posting; nil before the first or after the last
	done  bool                // the reader has no posting left
	count uint64              // the passages holding the term (the reader's Count)
}

// phraseSearcher passes on the candidates of the conjunction of a phrase's
// vectors returns the locations of term t in candidate id, nil when the
// term is not there (a slot's other alternative is). Candidates come in
// increasing order, so each reader only moves forward, and only reads the
// locations of the postings it stops on.
func (s *phraseSearcher) vectors(t *phraseTerm, id index.IndexInternalID) ([]*index.TermFieldVector, error) {
	if t.done {
		return nil, nil
	}
	if t.at == nil || t.at.ID.Compare(id) < 0 {
		next, err := t.tfr.Advance(id, t.at)
		if err != nil {
			return nil, fmt.Errorf("phrase term %q: %w", t.term, err)
		}
		if next == nil {
			t.done = true
			return nil, nil
		}
		t.at = next
	}
	if !t.at.ID.Equals(id) {
		return nil, nil
	}
	return t.at.Vectors, nil
}

// open opens the readers of the terms' locations, at the first candidate.
// When every offset has one term, the readers, like the conjunction's
// searchers, only visit the passages that hold them all (scorch's
// conjunction optimization: each reader's postings bitmap becomes their
// intersection), so that reaching a candidate skips the others' postings
// without decoding their frequencies.
func (s *phraseSearcher) open() error {
	s.opened = true
	var octx index.OptimizableContext
	for i := range s.terms {
		t := &s.terms[i]
		own := s.ownScored
		tfr, err := s.r.TermFieldReader(s.ctx, []byte(t.term), s.field, own, own, true)
		if err != nil {
			return fmt.Errorf("phrase term %q: %w", t.term, err)
		}
		t.tfr, t.count = tfr, tfr.Count()
		if o, ok := tfr.(index.Optimizable); ok && s.single && len(s.terms) > 1 {
			if octx, err = o.Optimize("conjunction", octx); err != nil {
				return fmt.Errorf("phrase term %q: %w", t.term, err)
			}
		}
	}
	if octx != nil {
		if _, err := octx.Finish(); err != nil {
			return fmt.Errorf("phrase: %w", err)
		}
	}
	return nil
}

// check reports whether d holds the phrase and, when the search wants
// locations, adds to d those of the phrase's occurrences.
func (s *phraseSearcher) check(d *bsearch.DocumentMatch) (bool, error) {
	// Every (offset, position) where a term of that offset occurs, sorted;
	// a start p holds the phrase when each offset o has (o, p+o).
	if !s.opened {
		if err := s.open(); err != nil {
			return false, err
		}
	}
	s.at = s.at[:0]
	for i := range s.terms {
		t := &s.terms[i]
		vs, err := s.vectors(t, d.IndexInternalID)
		if err != nil {
			return false, err
		}
		for _, v := range vs {
			for _, o := range t.offs {
				if v.Pos > o {
					s.at = append(s.at, offPos{o, v.Pos})
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
	if len(s.hits) == 0 {
		return false, nil
	}
	if s.locs {
		for i := range s.terms {
			t := &s.terms[i]
			if t.at == nil || !t.at.ID.Equals(d.IndexInternalID) {
				continue
			}
			for _, v := range t.at.Vectors {
				if s.inOccurrence(t, v.Pos) {
					d.FieldTermLocations = append(d.FieldTermLocations, bsearch.FieldTermLocation{
						Field: s.field, Term: t.term,
						Location: bsearch.Location{Pos: v.Pos, Start: v.Start, End: v.End, ArrayPositions: slices.Clone(v.ArrayPositions)},
					})
				}
			}
		}
	}
	return true, nil
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
