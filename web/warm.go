package web

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// Cache warming (issue 11.2). Every data generation empties the tile cache, so
// a planner zooming out after a compute run would meet only misses at the
// zooms whose tiles are slowest to cut. After each new generation the warmer
// cuts the low zooms of every layer over the imported country into the cache,
// in the background, one tile at a time and only while the tile class has
// idle capacity: requests always go first.

const (
	// defaultWarmMaxZoom is the deepest zoom warmed when Options.WarmMaxZoom is 0.
	defaultWarmMaxZoom = 8
	// warmMaxTiles bounds one warm-up: z0–z8 of the four layers over
	// Kazakhstan is about 3,300 tiles.
	warmMaxTiles = 5000
	// warmBackoff is how long the warmer waits when the tile class is busy
	// or the database is unreachable before it looks again.
	warmBackoff = 25 * time.Millisecond
)

// warmer fills the tile cache of one server after each data generation change.
// It runs as a goroutine only while there is work: kick starts it, and it
// ends when the newest generation is warmed (or cannot be).
type warmer struct {
	s        *server
	maxZoom  tiles.Zoom
	maxTiles int
	budget   int64 // bytes the warmer may put in the cache: half of it, so requests keep the rest
	backoff  time.Duration

	mu      sync.Mutex
	running bool
	again   bool  // kicked while running: look at the generation once more
	warmed  int64 // the generation last warmed completely (or with nothing to warm)
	has     bool  // warmed is set

	// For the log and tests.
	cut      atomic.Int64 // tiles cut by the warmer, ever
	waits    atomic.Int64 // times it found the tile class busy (or the database away) and waited
	passes   atomic.Int64 // warm-ups ended, whatever the reason
	lastStop atomic.Value // string: why the last warm-up ended
}

// newWarmer returns the warmer of s, or nil when warming is disabled
// (maxZoom < 0) or the cache stores nothing.
func newWarmer(s *server, maxZoom int, cacheBytes int64) *warmer {
	if maxZoom < 0 || cacheBytes <= 0 {
		return nil
	}
	if maxZoom == 0 {
		maxZoom = defaultWarmMaxZoom
	}
	return &warmer{s: s, maxZoom: tiles.Zoom(min(maxZoom, int(tiles.MaxZoom))), maxTiles: warmMaxTiles, budget: cacheBytes / 2, backoff: warmBackoff}
}

// kick says the data generation may have changed: the warmer looks, and
// warms the cache when it has. A nil warmer (disabled) does nothing.
func (w *warmer) kick() {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running {
		w.again = true
		return
	}
	w.running = true
	go w.run()
}

func (w *warmer) run() {
	for {
		w.pass()
		w.mu.Lock()
		if !w.again {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.again = false
		w.mu.Unlock()
	}
}

// pass warms the current generation unless it is warmed already, restarting
// from z0 whenever the generation changes under it.
func (w *warmer) pass() {
	ctx := context.Background()
	for {
		gen, stale, err := w.s.generation.get(ctx, w.s.src)
		if err != nil || stale {
			return // the database is away: the next generation learnt kicks again
		}
		w.mu.Lock()
		done := w.has && w.warmed == gen
		w.mu.Unlock()
		if done {
			return
		}
		if w.warm(ctx, gen) {
			return
		}
	}
}

// Why a warm-up ended, for the log.
const (
	warmDone       = "done"
	warmCap        = "tile cap"
	warmFull       = "cache budget"
	warmNoCountry  = "no country imported"
	warmChanged    = "generation changed"
	warmStale      = "database unreachable"
	warmFailed     = "tile failed"
	warmNoExtent   = "no extent source"
	warmExtentFail = "extent failed"
)

// tileMemory is a tile source that loads a data generation into memory
// (postgis.Store.TileMemoryReady).
type tileMemory interface {
	TileMemoryReady(ctx context.Context, gen int64) error
}

// warmMemoryWait bounds the wait for a generation to load into memory
// before a warm-up pass.
const warmMemoryWait = 30 * time.Second

// warm cuts the tiles of generation gen, lowest zooms first; false when the
// generation changed under it (the caller starts again from z0).
func (w *warmer) warm(ctx context.Context, gen int64) (finished bool) {
	start := time.Now()
	var visited, cut int
	var bytes int64
	stop := warmDone
	defer func() {
		switch stop {
		case warmChanged, warmStale, warmNoExtent, warmNoCountry: // nothing to say
		default:
			w.s.log.Info("tile cache warmed", "generation", gen, "tiles", visited, "cut", cut, "bytes", bytes,
				"seconds", time.Since(start).Seconds(), "maxzoom", w.maxZoom, "stopped", stop)
		}
		w.lastStop.Store(stop)
		w.passes.Add(1)
		switch stop {
		case warmChanged, warmStale, warmNoExtent, warmExtentFail, warmFailed: // to be warmed again
		default:
			w.setWarmed(gen) // last: tests read the log and lastStop once they see it
		}
	}()
	if w.s.extent == nil {
		stop = warmNoExtent
		return true
	}
	b, ok, err := w.s.countryExtent(ctx)
	switch {
	case err != nil:
		stop = warmExtentFail
		return true
	case !ok:
		stop = warmNoCountry
		return true
	}
	list := warmList(w.s.catalogue.Layers(), b, w.maxZoom, w.maxTiles)
	// A source that cuts from memory (postgis.Store) is given a moment to
	// load gen, so the pass cuts there rather than in the database the
	// requests share; past warmMemoryWait it warms in SQL.
	if m, ok := w.s.src.(tileMemory); ok {
		mctx, cancel := context.WithTimeout(ctx, warmMemoryWait)
		_ = m.TileMemoryReady(mctx, gen)
		cancel()
	}
	class := w.s.classes.tiles
	for _, lt := range list {
		// Requests first: wait until the tile class has room to spare and
		// no API request waits (they share the database).
		for !class.tryIdle(w.s.classes.api, w.s.classes.bulk) {
			w.waits.Add(1)
			time.Sleep(w.backoff)
			if g, stale, err := w.s.generation.get(ctx, w.s.src); err != nil || stale {
				stop = warmStale
				return true
			} else if g != gen {
				stop = warmChanged
				return false
			}
		}
		n, didCut, status := w.one(ctx, lt.layer, lt.tile, gen)
		class.leave()
		switch status {
		case warmChanged:
			stop = status
			return false
		case warmStale, warmFailed:
			stop = status
			return true
		}
		visited++
		if didCut {
			cut++
			bytes += n
			if bytes >= w.budget {
				stop = warmFull
				return true
			}
		}
	}
	if len(list) == w.maxTiles {
		stop = warmCap
	}
	return true
}

func (w *warmer) setWarmed(gen int64) {
	w.mu.Lock()
	w.warmed, w.has = gen, true
	w.mu.Unlock()
}

// warmedGen is the generation last warmed, false before any.
func (w *warmer) warmedGen() (int64, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.warmed, w.has
}

// one warms tile t of l for generation gen: nothing when it is cached already
// (cut true with the bytes put otherwise). status is empty, or why the warm-up
// is to end.
func (w *warmer) one(ctx context.Context, l tiles.Layer, t tiles.Tile, gen int64) (n int64, cut bool, status string) {
	s := w.s
	g, stale, err := s.generation.get(ctx, s.src)
	switch {
	case err != nil || stale:
		return 0, false, warmStale
	case g != gen:
		return 0, false, warmChanged
	}
	key := tiles.CacheKey{Layer: l.Name, Tile: t, Generation: gen}
	if _, ok := s.cache.Get(key); ok {
		return 0, false, ""
	}
	qctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	data, err := s.cut(qctx, l, t, gen)
	cancel()
	w.cut.Add(1)
	if err != nil {
		if errs.KindOf(err) == errs.Unavailable {
			return 0, true, warmStale // said by the requests and the monitor; warmed again once it answers
		}
		s.log.Warn("tile cache warm-up: tile failed", "layer", l.Name, "tile", t.String(), "err", err)
		return 0, true, warmFailed
	}
	if len(data) > 0 {
		if data, err = gzipBytes(data); err != nil {
			return 0, true, warmFailed
		}
	}
	// A Put of another generation would empty the cache of the requests'
	// newer tiles: put only while gen is still the one known.
	if g, stale, err := s.generation.get(ctx, s.src); err != nil || stale {
		return 0, true, warmStale
	} else if g != gen {
		return 0, true, warmChanged
	}
	s.cache.Put(key, data)
	return int64(len(data)) + warmEntryOverhead, true, ""
}

// warmEntryOverhead is what a cache entry costs beyond its bytes (as
// tiles.Cache counts it), so the budget counts empty tiles too.
const warmEntryOverhead = 128

// tryIdle takes a slot of the class without waiting, only when no request
// waits for one and at most half the slots are at work; leave gives it back.
// others are the classes whose requests also come first (they share the
// database): none of them may have a request waiting.
func (c *routeClass) tryIdle(others ...*routeClass) bool {
	if c.waiting.Load() > 0 || len(c.slots) > cap(c.slots)/2 {
		return false
	}
	for _, o := range others {
		if o.waiting.Load() > 0 || len(o.slots) > cap(o.slots)/2 {
			return false
		}
	}
	select {
	case c.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

type warmTile struct {
	layer tiles.Layer
	tile  tiles.Tile
}

// warmList is the tiles to warm over the box b: every zoom from 0 to maxZoom,
// lowest first, and at each zoom every layer that has features there (from its
// MinZoom up to its MaxZoom); at most maxTiles of them.
func warmList(layers []tiles.Layer, b orb.Bound, maxZoom tiles.Zoom, maxTiles int) []warmTile {
	const maxLat = 85.0511
	clampLat := func(v float64) float64 { return min(max(v, -maxLat), maxLat) }
	var list []warmTile
	for z := tiles.Zoom(0); z <= maxZoom; z++ {
		nw := maptile.At(orb.Point{b.Min[0], clampLat(b.Max[1])}, maptile.Zoom(z))
		se := maptile.At(orb.Point{b.Max[0], clampLat(b.Min[1])}, maptile.Zoom(z))
		last := uint32(1)<<z - 1 // the east and south edges of the world belong to the last tile
		nw.X, nw.Y, se.X, se.Y = min(nw.X, last), min(nw.Y, last), min(se.X, last), min(se.Y, last)
		for _, l := range layers {
			if z < l.MinZoom || z > l.MaxZoom {
				continue
			}
			for x := nw.X; x <= se.X; x++ {
				for y := nw.Y; y <= se.Y; y++ {
					if len(list) == maxTiles {
						return list
					}
					list = append(list, warmTile{l, tiles.Tile{Z: z, X: x, Y: y}})
				}
			}
		}
	}
	return list
}
