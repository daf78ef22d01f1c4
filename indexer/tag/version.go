package tag

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"sort"
)

// Version names the tagger's data: a hash of every embedded data file
// (the taxonomy, the cues and the learned model). A retrained model or an
// edited taxonomy changes it; the code's rules are named by the indexer's
// ParserVersion.
func (t *Tagger) Version() string {
	h := sha256.New()
	names, _ := fs.Glob(dataFS, "data/*.json")
	sort.Strings(names)
	for _, n := range names {
		b, err := dataFS.ReadFile(n)
		if err != nil {
			continue
		}
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}
