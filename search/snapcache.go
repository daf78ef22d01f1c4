package search

import (
	"runtime"
	"sync"
	"weak"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// snapCache holds one value per scorch snapshot still in memory, keyed
// weakly: an entry goes when bleve drops its snapshot. A value is built
// once per snapshot (a failed build is tried again by the next caller).
type snapCache[T any] struct {
	mu sync.Mutex
	m  map[weak.Pointer[scorch.IndexSnapshot]]*snapEntry[T]
}

type snapEntry[T any] struct {
	mu    sync.Mutex
	v     T
	built bool
}

// get returns the value of snap, building it on first use. The build runs
// to its end whatever the caller's deadline: it is paid once per snapshot.
func (c *snapCache[T]) get(snap *scorch.IndexSnapshot, build func() (T, error)) (T, error) {
	key := weak.Make(snap)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[weak.Pointer[scorch.IndexSnapshot]]*snapEntry[T]{}
	}
	e := c.m[key]
	if e == nil {
		e = &snapEntry[T]{}
		c.m[key] = e
		runtime.AddCleanup(snap, func(k weak.Pointer[scorch.IndexSnapshot]) {
			c.mu.Lock()
			delete(c.m, k)
			c.mu.Unlock()
		}, key)
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.built {
		v, err := build()
		if err != nil {
			return v, err
		}
		e.v, e.built = v, true
	}
	return e.v, nil
}
