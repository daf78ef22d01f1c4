package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/inlsearch/inlsearch/internal/zap"
)

// The segment format. An index this package creates writes its segments
// with internal/zap, zapx v17 with compact term locations (its README.md):
// the same postings, norms and positions in about a third less space. Its
// segments say so in scorch's metadata, so every reader opens them with
// that plugin; indexes written before it (zapx v17) still open, and keep
// their format when written to (segmentConfig).
func init() {
	scorch.RegisterSegmentPlugin(&zap.ZapPlugin{}, false)
}

// segmentFormat names the segment format of the indexes Create makes; it is
// stored with the index (keySegments) and is part of IndexVersion, so an
// incremental build never merges segments of two formats.
var segmentFormat = fmt.Sprintf("%s/%d", zap.Type, zap.Version)

// segmentConfig adds to a scorch configuration what makes an index write
// its new segments (batches and merges) in segmentFormat.
func segmentConfig(cfg map[string]any) map[string]any {
	cfg["forceSegmentType"] = zap.Type
	cfg["forceSegmentVersion"] = int(zap.Version)
	return cfg
}

// storedSegmentFormat reads the segment format stored with an index.
func storedSegmentFormat(bi bleve.Index) (string, error) {
	v, err := bi.GetInternal(keySegments)
	if err != nil {
		return "", fmt.Errorf("read segment format: %w", err)
	}
	return string(v), nil
}
