package web

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
)

// warmSource is a SYNTHETIC tile source that counts the tiles cut per data
// generation; its third cut can be held until released.
type warmSource struct {
	mu      sync.Mutex
	gen     int64
	genErr  error
	calls   map[int64]int    // tiles cut, per generation
	seen    map[string]int64 // "layer z/x/y" → generation of its last cut
	holdAt  int              // when > 0, the holdAt-th cut (over all generations) waits for release
	entered chan struct{}    // closed when the held cut has begun
	release chan struct{}
	n       int
	asks    int // Generation calls
}

func newWarmSource(gen int64) *warmSource {
	return &warmSource{gen: gen, calls: map[int64]int{}, seen: map[string]int64{}}
}

func (f *warmSource) Tile(ctx context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error) {
	f.mu.Lock()
	f.n++
	f.calls[f.gen]++
	f.seen[l.Name+" "+t.String()] = f.gen
	hold := f.holdAt > 0 && f.n == f.holdAt
	f.mu.Unlock()
	if hold {
		close(f.entered)
		<-f.release
	}
	return []byte("SYNTHETIC tile " + l.Name + " " + t.String()), nil
}

func (f *warmSource) Generation(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asks++
	return f.gen, f.genErr
}

func (f *warmSource) setGen(g int64) {
	f.mu.Lock()
	f.gen = g
	f.mu.Unlock()
}

func (f *warmSource) cuts(gen int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[gen]
}

func (f *warmSource) allCuts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// waitFor polls cond until it holds, failing after a generous deadline (no
// timed assertion: only a hang fails).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// newWarmServer is a test server warming to maxZoom over the SYNTHETIC
// Kazakhstan box, with a GenerationChanged channel to announce changes on.
func newWarmServer(t *testing.T, src TileSource, maxZoom int, o Options) (*server, chan struct{}) {
	t.Helper()
	changed := make(chan struct{}, 1)
	o.Tiles, o.Extent, o.WarmMaxZoom, o.GenerationChanged = src, fakeExtent{kazakhstanBox, true}, maxZoom, changed
	s, _ := newTestServer(t, o)
	if s.warm == nil {
		t.Fatal("no warmer")
	}
	s.warm.backoff = time.Millisecond
	t.Cleanup(func() {
		close(changed)
		waitFor(t, "the warmer to end", func() bool {
			s.warm.mu.Lock()
			defer s.warm.mu.Unlock()
			return !s.warm.running
		})
	})
	return s, changed
}

func warmed(s *server, gen int64) func() bool {
	return func() bool {
		g, ok := s.warm.warmedGen()
		return ok && g == gen
	}
}

// wantWarm is the tiles a warm-up to maxZoom over the box covers.
func wantWarm(s *server, maxZoom tiles.Zoom) []warmTile {
	return warmList(s.catalogue.Layers(), kazakhstanBox, maxZoom, warmMaxTiles)
}

// After a generation change the warmer cuts z0–zN of every layer (settlements
// from their MinZoom) over the country, and a request for any of them is then
// a cache hit; the next generation is warmed again.
func TestWarmFillsLowZoomsAfterEachGeneration(t *testing.T) {
	src := newWarmSource(1)
	s, changed := newWarmServer(t, src, 4, Options{})
	h := s.routes()
	want := wantWarm(s, 4)
	byZoom := map[string]int{}
	for _, w := range want {
		byZoom[fmt.Sprintf("%s z%d", w.layer.Name, w.tile.Z)]++
	}
	for _, l := range []string{"oblasts", "districts", "groups"} {
		for z := 0; z <= 4; z++ {
			if byZoom[fmt.Sprintf("%s z%d", l, z)] == 0 {
				t.Errorf("%s z%d not warmed", l, z)
			}
		}
	}
	if byZoom["settlements z3"] != 0 || byZoom["settlements z4"] == 0 {
		t.Errorf("settlements warmed at %v, want from their MinZoom 4", byZoom)
	}

	// A first request (of a tile deeper than the warm-up) learns generation 1.
	if rec := do(t, h, "GET", "/tiles/districts/10/700/380.mvt", "Accept-Encoding", "gzip"); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	waitFor(t, "generation 1 warmed", warmed(s, 1))
	if got := src.cuts(1); got != len(want)+1 {
		t.Errorf("%d tiles cut for generation 1, want %d (the request's and the warmer's, each once)", got, len(want)+1)
	}
	for _, w := range want {
		if rec := do(t, h, "GET", fmt.Sprintf("/tiles/%s/%s.mvt", w.layer.Name, w.tile), "Accept-Encoding", "gzip"); rec.Code != 200 {
			t.Fatalf("%s %v: status %d", w.layer.Name, w.tile, rec.Code)
		}
	}
	if got := src.cuts(1); got != len(want)+1 {
		t.Errorf("requests for warmed tiles cut %d tiles: want cache hits", got-len(want)-1)
	}
	if stop, _ := s.warm.lastStop.Load().(string); stop != warmDone {
		t.Errorf("stopped: %q", stop)
	}

	// A compute run elsewhere: the signal alone (no request) warms generation 2.
	src.setGen(2)
	changed <- struct{}{}
	waitFor(t, "generation 2 warmed", warmed(s, 2))
	if got := src.cuts(2); got != len(want) {
		t.Errorf("%d tiles cut for generation 2, want %d", got, len(want))
	}
	if rec := do(t, h, "GET", "/tiles/oblasts/3/5/2.mvt", "Accept-Encoding", "gzip"); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if got := src.cuts(2); got != len(want) {
		t.Errorf("a request after the warm-up cut a tile")
	}
}

// The warmer's log line names the generation, the tiles, bytes and seconds.
func TestWarmLogsOneLine(t *testing.T) {
	src := newWarmSource(7)
	changed := make(chan struct{}, 1)
	var logs syncBuffer
	s, _ := newTestServer(t, Options{Tiles: src, Extent: fakeExtent{kazakhstanBox, true}, WarmMaxZoom: 2, GenerationChanged: changed, Logger: logs.logger()})
	defer close(changed)
	changed <- struct{}{}
	waitFor(t, "generation 7 warmed", warmed(s, 7))
	n := len(wantWarm(s, 2))
	line := logs.String()
	for _, part := range []string{"tile cache warmed", "generation=7", fmt.Sprintf("tiles=%d", n), fmt.Sprintf("cut=%d", n), "bytes=", "seconds=", "maxzoom=2", "stopped=done"} {
		if !strings.Contains(line, part) {
			t.Errorf("log lacks %q:\n%s", part, line)
		}
	}
	if c := strings.Count(line, "tile cache warmed"); c != 1 {
		t.Errorf("%d warm-up lines, want 1", c)
	}
}

// Requests come first: while the tile class is more than half busy, or a
// tile or API request waits for a slot, the warmer cuts nothing; once there
// is room it goes on.
func TestWarmYieldsToRequests(t *testing.T) {
	src := newWarmSource(1)
	s, changed := newWarmServer(t, src, 3, Options{TileSlots: 4})
	class := s.classes.tiles
	for range 3 {
		class.slots <- struct{}{} // three requests at work
	}
	changed <- struct{}{}
	waitFor(t, "the warmer to wait for slots", func() bool { return s.warm.waits.Load() >= 20 })
	if got := src.allCuts(); got != 0 {
		t.Fatalf("the warmer cut %d tiles while 3 of 4 tile slots were at work", got)
	}
	// Every slot free, but a request queued: still nothing.
	for range 3 {
		<-class.slots
	}
	class.waiting.Add(1)
	w := s.warm.waits.Load()
	waitFor(t, "the warmer to wait for the queued request", func() bool { return s.warm.waits.Load() >= w+20 })
	if got := src.allCuts(); got != 0 {
		t.Fatalf("the warmer cut %d tiles while a request waited", got)
	}
	class.waiting.Add(-1)
	// An API request waiting (the API shares the database): still nothing.
	s.classes.api.waiting.Add(1)
	w = s.warm.waits.Load()
	waitFor(t, "the warmer to wait for the queued API request", func() bool { return s.warm.waits.Load() >= w+20 })
	if got := src.allCuts(); got != 0 {
		t.Fatalf("the warmer cut %d tiles while an API request waited", got)
	}
	s.classes.api.waiting.Add(-1)
	waitFor(t, "generation 1 warmed", warmed(s, 1))
	if got, want := src.cuts(1), len(wantWarm(s, 3)); got != want {
		t.Errorf("%d tiles cut, want %d", got, want)
	}
	if n := len(class.slots); n != 0 {
		t.Errorf("the warmer left %d slots taken", n)
	}
}

// A new generation in the middle of a warm-up stops it and starts again from
// z0 for the new one; the tile cut for the old one is not cached.
func TestWarmRestartsOnNewGeneration(t *testing.T) {
	src := newWarmSource(1)
	src.holdAt, src.entered, src.release = 3, make(chan struct{}), make(chan struct{})
	s, changed := newWarmServer(t, src, 3, Options{})
	changed <- struct{}{}
	<-src.entered // the third tile of generation 1 is being cut
	src.setGen(2)
	close(src.release)
	waitFor(t, "generation 2 warmed", warmed(s, 2))
	if got := src.cuts(1); got != 3 {
		t.Errorf("%d tiles cut for generation 1, want 3 (then the change was seen)", got)
	}
	want := wantWarm(s, 3)
	if got := src.cuts(2); got != len(want) {
		t.Errorf("%d tiles cut for generation 2, want %d: a full restart from z0", got, len(want))
	}
	for _, w := range want {
		if _, ok := s.cache.Get(tiles.CacheKey{Layer: w.layer.Name, Tile: w.tile, Generation: 2}); !ok {
			t.Errorf("%s %v of generation 2 not cached", w.layer.Name, w.tile)
		}
	}
}

// At most maxTiles are cut, the lowest zooms first.
func TestWarmCap(t *testing.T) {
	src := newWarmSource(1)
	s, changed := newWarmServer(t, src, 8, Options{})
	s.warm.maxTiles = 5
	changed <- struct{}{}
	waitFor(t, "generation 1 warmed", warmed(s, 1))
	if got := src.allCuts(); got != 5 {
		t.Errorf("%d tiles cut, want the cap 5", got)
	}
	if stop, _ := s.warm.lastStop.Load().(string); stop != warmCap {
		t.Errorf("stopped: %q, want %q", stop, warmCap)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	for _, l := range []string{"oblasts", "districts", "groups"} {
		if _, ok := src.seen[l+" 0/0/0"]; !ok {
			t.Errorf("%s z0 not among the first tiles: %v", l, src.seen)
		}
	}
}

// The warmer fills at most half the cache's byte budget, so the tiles
// requests put there are not evicted for it.
func TestWarmRespectsTheCacheBudget(t *testing.T) {
	src := newWarmSource(1)
	const cacheBytes = 4000
	s, changed := newWarmServer(t, src, 8, Options{CacheBytes: cacheBytes})
	changed <- struct{}{}
	waitFor(t, "generation 1 warmed", warmed(s, 1))
	if stop, _ := s.warm.lastStop.Load().(string); stop != warmFull {
		t.Errorf("stopped: %q, want %q", stop, warmFull)
	}
	n := src.allCuts()
	if n == 0 || n >= len(wantWarm(s, 8)) {
		t.Fatalf("%d tiles cut", n)
	}
	// Each SYNTHETIC tile costs well over 100 bytes with the entry overhead:
	// half of 4,000 bytes holds at most 20 of them.
	if n > 20 {
		t.Errorf("%d tiles cut into a 4,000-byte cache", n)
	}
}

// WarmMaxZoom < 0 (or a cache that stores nothing) disables warming: no
// generation change cuts anything beyond what requests ask.
func TestWarmDisabled(t *testing.T) {
	for _, o := range []Options{{WarmMaxZoom: -1}, {CacheBytes: -1, WarmMaxZoom: 8}} {
		src := newWarmSource(1)
		changed := make(chan struct{}, 1)
		o.Tiles, o.Extent, o.GenerationChanged = src, fakeExtent{kazakhstanBox, true}, changed
		s, _ := newTestServer(t, o)
		if s.warm != nil {
			t.Fatalf("%+v: a warmer", o)
		}
		do(t, s.routes(), "GET", "/tiles/oblasts/0/0/0.mvt")
		changed <- struct{}{}
		close(changed)
		if got := src.allCuts(); got != 1 {
			t.Errorf("WarmMaxZoom %d, CacheBytes %d: %d tiles cut, want the request's 1", o.WarmMaxZoom, o.CacheBytes, got)
		}
	}
}

// While the database cannot be asked the warmer does nothing; once it
// answers again, the warm-up happens.
func TestWarmWaitsForTheDatabase(t *testing.T) {
	src := newWarmSource(1)
	src.genErr = errs.E(errs.Unavailable, "SYNTHETIC: database away")
	s, changed := newWarmServer(t, src, 2, Options{})
	changed <- struct{}{}
	waitFor(t, "the warmer to give up", func() bool {
		src.mu.Lock()
		asked := src.asks > 0
		src.mu.Unlock()
		s.warm.mu.Lock()
		defer s.warm.mu.Unlock()
		return asked && !s.warm.running && !s.warm.again
	})
	if got := src.allCuts(); got != 0 {
		t.Fatalf("%d tiles cut while the database was away", got)
	}
	src.mu.Lock()
	src.genErr = nil
	src.mu.Unlock()
	changed <- struct{}{}
	waitFor(t, "generation 1 warmed", warmed(s, 1))
	if got, want := src.cuts(1), len(wantWarm(s, 2)); got != want {
		t.Errorf("%d tiles cut, want %d", got, want)
	}
}

// syncBuffer is a log buffer the warmer's goroutine may write while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
