package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Which generations a data folder keeps (citable snapshots): the current and
// previous ones always, the KeepPolicy.Generations newest, those built within
// KeepPolicy.For, and every generation cited (searched with gen=, or named by
// a citation) within CitedKeep.

// DefaultKeepGenerations is the number of newest generations kept when no
// policy says otherwise (serve --keep-generations).
const DefaultKeepGenerations = 10

// CitedKeep is how long a generation is kept after its last citation.
const CitedKeep = 30 * 24 * time.Hour

const (
	keepFile  = "KEEP"  // DIR/KEEP: the KeepPolicy the server was started with
	citedFile = "CITED" // DIR/generations/<id>/CITED: the time of its last citation
)

// ErrGenerationGone: the generation named has been pruned, or never existed
// (410 generation_gone).
var ErrGenerationGone = errors.New("generation gone")

// KeepPolicy says which complete generations pruning keeps besides the
// current, the previous and the recently cited ones.
type KeepPolicy struct {
	// Generations is how many of the newest are kept (0: DefaultKeepGenerations).
	Generations int `json:"generations"`
	// For keeps every generation built within that long (0: none by age).
	For time.Duration `json:"for_ns"`
}

func (k KeepPolicy) withDefaults() KeepPolicy {
	if k.Generations <= 0 {
		k.Generations = DefaultKeepGenerations
	}
	return k
}

// SetKeep records the keep policy in the data folder, so that the crawls
// run by other processes (cron) prune by it too.
func (s *Store) SetKeep(k KeepPolicy) error {
	if k.Generations < 0 || k.For < 0 {
		return fmt.Errorf("keep policy: negative value")
	}
	data, _ := json.Marshal(k.withDefaults())
	return writeAtomic(filepath.Join(s.Dir, keepFile), data)
}

// Keep returns the keep policy of the data folder (defaults when none is recorded).
func (s *Store) Keep() KeepPolicy {
	var k KeepPolicy
	if b, err := os.ReadFile(filepath.Join(s.Dir, keepFile)); err == nil {
		_ = json.Unmarshal(b, &k)
	}
	return k.withDefaults()
}

// ValidGenerationID reports whether id has the shape of a generation id
// (letters, digits and '-', at most 64 bytes), so that a request cannot name
// a path outside the generations folder.
func ValidGenerationID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Generation returns the record of a complete generation: ErrGenerationGone
// when it is not (or no longer) in the folder, ErrBadQuery when id is malformed.
func (s *Store) Generation(id string) (Generation, error) {
	if !ValidGenerationID(id) {
		return Generation{}, fmt.Errorf("%w: malformed generation id %q", ErrBadQuery, id)
	}
	g, err := s.Info(id)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return g, fmt.Errorf("%w: generation %s is no longer kept", ErrGenerationGone, id)
		}
		return g, err
	}
	g.ID = id
	return g, nil
}

// Generations lists the complete generations, newest first.
func (s *Store) Generations() []Generation {
	var out []Generation
	for _, id := range s.list() {
		if g, err := s.Info(id); err == nil {
			g.ID = id
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b Generation) int {
		if c := b.BuiltAt.Compare(a.BuiltAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

// MarkCited records that generation id was cited at t, which keeps it for
// CitedKeep after t. A generation no longer in the folder is ErrGenerationGone.
func (s *Store) MarkCited(id string, t time.Time) error {
	if _, err := s.Generation(id); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(s.genPath(id), citedFile), []byte(t.UTC().Format(time.RFC3339)))
}

// Cited returns when generation id was last cited (zero: never).
func (s *Store) Cited(id string) time.Time {
	b, err := os.ReadFile(filepath.Join(s.genPath(id), citedFile))
	if err != nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
	return t
}

// Prune removes the complete generations the keep policy lets go and
// returns their ids. Partial generations are left to CleanPartial.
func (s *Store) Prune() []string {
	p, err := s.readPointer()
	if err != nil {
		return nil
	}
	return s.prune(p)
}

// prune removes complete generations other than the current and previous
// ones that the keep policy does not keep.
func (s *Store) prune(keep pointer) []string {
	k := s.Keep()
	now := s.Now()
	var removed []string
	for i, g := range s.Generations() {
		switch {
		case g.ID == keep.Current || g.ID == keep.Previous:
		case i < k.Generations:
		case k.For > 0 && now.Sub(g.BuiltAt) < k.For:
		case now.Sub(s.Cited(g.ID)) < CitedKeep:
		default:
			if os.RemoveAll(s.genPath(g.ID)) == nil {
				removed = append(removed, g.ID)
			}
		}
	}
	return removed
}
