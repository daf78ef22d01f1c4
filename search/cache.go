package search

import (
	"container/list"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"
)

// DefaultResultCacheBytes bounds the results an index opened read-only
// remembers (about 64 bytes per facet value plus the text of the hits).
const DefaultResultCacheBytes = 128 << 20

// resultCache remembers the results of the latest searches of one
// read-only index, least recently used first out. A read-only generation
// never changes, so a result stays right for as long as it is served.
type resultCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *cacheEntry, most recent first
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key  string
	res  *Result
	size int
}

func newResultCache(maxBytes int) *resultCache {
	if maxBytes <= 0 {
		return nil
	}
	return &resultCache{max: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

// SetResultCache bounds the results the index remembers to maxBytes (0
// remembers none). Only an index opened read-only remembers results. Call
// it before the index is shared.
func (ix *Index) SetResultCache(maxBytes int) {
	if !ix.readOnly {
		return
	}
	ix.cache = newResultCache(maxBytes)
}

// cachedSearch answers q from the cache of results, or runs search and
// remembers its result.
func (c *resultCache) search(ctx context.Context, q Query, search func(context.Context, Query) (*Result, error)) (*Result, error) {
	if c == nil {
		return search(ctx, q)
	}
	start := time.Now()
	key := cacheKey(q)
	c.mu.Lock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		res := el.Value.(*cacheEntry).res
		c.mu.Unlock()
		out := cloneResult(res)
		out.Took = time.Since(start)
		return out, nil
	}
	c.mu.Unlock()
	res, err := search(ctx, q)
	if err != nil {
		return nil, err
	}
	c.put(key, cloneResult(res))
	return res, nil
}

func (c *resultCache) put(key string, res *Result) {
	size := resultSize(res)
	if size > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, res: res, size: size})
	c.size += size
	for c.size > c.max {
		el := c.order.Back()
		e := el.Value.(*cacheEntry)
		c.order.Remove(el)
		delete(c.byKey, e.key)
		c.size -= e.size
	}
}

// cacheKey is q in a canonical form: filters sorted, defaults applied by
// the engine left as given (a query spelled two ways is two entries).
func cacheKey(q Query) string {
	type filter struct {
		Facet  string
		Values []string
	}
	var fs []filter
	for _, f := range slices.Sorted(maps.Keys(q.Filters)) {
		vs := append([]string(nil), q.Filters[f]...)
		sort.Strings(vs)
		fs = append(fs, filter{f, vs})
	}
	q.Filters = nil
	raw, _ := json.Marshal(struct {
		Q       Query
		Filters []filter
	}{q, fs})
	return string(raw)
}

// resultSize estimates the memory a result holds.
func resultSize(r *Result) int {
	n := 256 + len(r.Query)
	for _, h := range r.Hits {
		d := &h.Document
		n += 512 + len(d.Text) + len(d.Title) + len(d.Section) + len(d.URL) + len(d.PageURL) + len(h.Snippet)
		for _, vs := range [][]string{d.Organizations, d.Countries, d.Regions, d.Topics} {
			for _, v := range vs {
				n += 16 + len(v)
			}
		}
	}
	for _, vs := range r.Facets {
		for _, v := range vs {
			n += 64 + len(v.Value)
		}
	}
	return n
}

// cloneResult copies what a caller could change in a result: its slices
// and maps, the hits' included (strings are immutable).
func cloneResult(r *Result) *Result {
	out := *r
	out.Hits = slices.Clone(r.Hits)
	for i := range out.Hits {
		d := &out.Hits[i].Document
		d.Organizations, d.Countries = slices.Clone(d.Organizations), slices.Clone(d.Countries)
		d.Regions, d.Topics = slices.Clone(d.Regions), slices.Clone(d.Topics)
		d.Years, d.Amounts = slices.Clone(d.Years), slices.Clone(d.Amounts)
		if d.Provenance != nil {
			d.Provenance = maps.Clone(d.Provenance)
			for k, v := range d.Provenance {
				d.Provenance[k] = slices.Clone(v)
			}
		}
	}
	if r.Facets != nil {
		out.Facets = make(map[string][]FacetValue, len(r.Facets))
		for f, vs := range r.Facets {
			out.Facets[f] = slices.Clone(vs)
		}
	}
	out.FacetOthers = maps.Clone(r.FacetOthers)
	return &out
}
