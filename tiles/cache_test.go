package tiles

import (
	"fmt"
	"sync"
	"testing"
)

func key(layer string, z Zoom, x uint32, gen int64) CacheKey {
	return CacheKey{Layer: layer, Tile: Tile{Z: z, X: x}, Generation: gen}
}

func TestCache(t *testing.T) {
	c := NewCache(3 * (100 + entryOverhead))
	a, b, d := key("oblasts", 1, 0, 1), key("oblasts", 1, 1, 1), key("districts", 1, 1, 1)
	c.Put(a, make([]byte, 100))
	c.Put(b, make([]byte, 100))
	c.Put(d, nil) // an empty tile is worth caching
	if data, ok := c.Get(d); !ok || len(data) != 0 {
		t.Fatalf("Get(empty) = %v, %v", data, ok)
	}
	c.Get(a) // a is now more recent than b
	c.Put(key("groups", 2, 0, 1), make([]byte, 100))
	if _, ok := c.Get(b); ok {
		t.Error("least recently used entry survived")
	}
	if _, ok := c.Get(a); !ok {
		t.Error("recently used entry was evicted")
	}
	if _, ok := c.Get(key("oblasts", 1, 0, 2)); ok {
		t.Error("hit across generations")
	}
	n, size := len(c.entries), c.size
	if size > c.max || n != 3 {
		t.Errorf("%d entries, %d bytes; max %d bytes", n, size, c.max)
	}

	// Replacing an entry adjusts the size.
	c.Put(a, make([]byte, 10))
	if size2 := c.size; size2 != size-90 {
		t.Errorf("size after replace = %d, want %d", size2, size-90)
	}

	// A new generation empties the cache.
	c.Put(key("oblasts", 0, 0, 2), []byte{1})
	if n := len(c.entries); n != 1 {
		t.Errorf("entries after a new generation = %d, want 1", n)
	}
	if _, ok := c.Get(a); ok {
		t.Error("old generation still served")
	}

	// Too large for the whole cache: not stored, nothing evicted.
	c.Put(key("oblasts", 0, 0, 2), make([]byte, 1000))
	if data, ok := c.Get(key("oblasts", 0, 0, 2)); !ok || len(data) != 1 {
		t.Errorf("oversized Put replaced an entry: %d bytes, %v", len(data), ok)
	}
}

func TestCacheDisabled(t *testing.T) {
	c := NewCache(0)
	c.Put(key("oblasts", 0, 0, 1), nil)
	if _, ok := c.Get(key("oblasts", 0, 0, 1)); ok {
		t.Fatal("zero-size cache stored a tile")
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(50 * (64 + entryOverhead))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				k := key(fmt.Sprint("l", g%2), 10, uint32(i%97), int64(i/500))
				if _, ok := c.Get(k); !ok {
					c.Put(k, make([]byte, 64))
				}
			}
		})
	}
	wg.Wait()
	if size := c.size; size > c.max {
		t.Fatalf("size %d over max %d", size, c.max)
	}
}

func BenchmarkCacheGet(b *testing.B) {
	c := NewCache(64 << 20)
	for i := range 4096 {
		c.Put(key("districts", 12, uint32(i), 1), make([]byte, 2048))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := c.Get(key("districts", 12, uint32(i%4096), 1)); !ok {
			b.Fatal("miss")
		}
		i++
	}
}

func BenchmarkCachePut(b *testing.B) {
	c := NewCache(8 << 20) // holds about 4,000 of the 16,384 tiles: Put also evicts
	data := make([]byte, 2048)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Put(key("districts", 14, uint32(i%16384), 1), data)
		i++
	}
}
