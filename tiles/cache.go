package tiles

import (
	"container/list"
	"sync"
)

// CacheKey names one rendered tile of one data generation. The generation is
// whatever number the caller's data source bumps on every import, so a new
// import makes every older entry unreachable.
type CacheKey struct {
	Layer      string
	Tile       Tile
	Generation int64
}

// entryOverhead is what an entry costs beyond its bytes (key, list element,
// map slot), so that empty tiles, which are common, still count.
const entryOverhead = 128

// Cache is a concurrency-safe LRU of rendered tiles bounded by bytes. Empty
// tiles are cached too: they are most of the world. The cache holds one
// generation at a time: a Put of another generation drops every entry at once
// rather than waiting for them to age out (a generation may also go down, when
// a database is recreated).
type Cache struct {
	mu         sync.Mutex
	max, size  int64
	generation int64
	order      *list.List // front = most recently used; values are *cacheEntry
	entries    map[CacheKey]*list.Element
}

type cacheEntry struct {
	key  CacheKey
	data []byte
}

// NewCache returns a cache holding at most maxBytes; maxBytes <= 0 gives a
// cache that stores nothing.
func NewCache(maxBytes int64) *Cache {
	return &Cache{max: maxBytes, order: list.New(), entries: make(map[CacheKey]*list.Element)}
}

// Get returns the tile stored under k. A hit may return empty data: the tile
// is known to be empty.
func (c *Cache) Get(k CacheKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).data, true
}

// Put stores data under k. The cache keeps data, which the caller must not
// modify afterwards. Tiles larger than the whole cache are not stored.
func (c *Cache) Put(k CacheKey, data []byte) {
	cost := int64(len(data)) + entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if cost > c.max {
		return
	}
	if k.Generation != c.generation {
		c.generation = k.Generation
		c.order.Init()
		clear(c.entries)
		c.size = 0
	}
	if e, ok := c.entries[k]; ok {
		old := e.Value.(*cacheEntry)
		c.size += cost - (int64(len(old.data)) + entryOverhead)
		old.data = data
		c.order.MoveToFront(e)
	} else {
		c.entries[k] = c.order.PushFront(&cacheEntry{key: k, data: data})
		c.size += cost
	}
	for c.size > c.max {
		e := c.order.Back()
		old := c.order.Remove(e).(*cacheEntry)
		delete(c.entries, old.key)
		c.size -= int64(len(old.data)) + entryOverhead
	}
}
