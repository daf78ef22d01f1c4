package search

import (
	"container/list"
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultResultCacheBytes bounds the results an index opened read-only
// remembers (about 64 bytes per facet value plus the text of the hits).
const DefaultResultCacheBytes = 128 << 20

// resultCache remembers the results of the latest searches of one
// read-only index. A read-only generation never changes, so a result stays
// right for as long as it is served. The hits and facets of a remembered
// result are shared by every caller that gets it: callers must not modify
// them (copying them for each caller cost more than the search saved,
// under load). A lookup takes a read lock only; eviction is a clock (the
// oldest entry goes unless it was used since the hand last passed it).
type resultCache struct {
	mu    sync.RWMutex
	max   int
	size  int
	order *list.List // of *cacheEntry, oldest first
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key  string
	res  *Result
	size int
	used atomic.Bool
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

// search answers the plan keyed key from the cache of results, or runs
// search and remembers its result.
func (c *resultCache) search(ctx context.Context, key string, search func(context.Context) (*Result, error)) (*Result, error) {
	if c == nil {
		return search(ctx)
	}
	start := time.Now()
	c.mu.RLock()
	el, ok := c.byKey[key]
	c.mu.RUnlock()
	if ok {
		cacheHits.Add(1)
		e := el.Value.(*cacheEntry)
		e.used.Store(true)
		out := *e.res // hits and facets shared, read-only
		out.Took = time.Since(start)
		return &out, nil
	}
	cacheMisses.Add(1)
	res, err := search(ctx)
	if err != nil {
		return nil, err
	}
	c.put(key, res)
	out := *res
	return &out, nil
}

// cacheHits and cacheMisses count the searches of every result cache of the
// process (a generation's cache lives as long as the generation is served).
var cacheHits, cacheMisses atomic.Uint64

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
	c.byKey[key] = c.order.PushBack(&cacheEntry{key: key, res: res, size: size})
	c.size += size
	for c.size > c.max {
		el := c.order.Front()
		e := el.Value.(*cacheEntry)
		if e.used.Swap(false) && e.key != key {
			c.order.MoveToBack(el) // a second chance
			continue
		}
		c.order.Remove(el)
		delete(c.byKey, e.key)
		c.size -= e.size
	}
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
