package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/aimaq/aimaq/web"
	"github.com/paulmach/orb/maptile"
)

// `make bench-tiles`: aimaq's own tile figures, cold and warm, on the real
// data set, with a bounded Go load generator on loopback.
//
// The data set is imported and computed into a fresh database of the test
// cluster; two handlers serve it in this process through the production
// stack (web.New over postgis.Store): one without a cache, where every
// request is a miss (cold), and one with the default cache, primed first
// (warm). Cold is measured twice: with every tile cut in PostGIS (the store's
// memory off: the path of a generation not yet loaded, and the peers' only
// path), and cut in memory once the generation is loaded (tiles/cut). For each layer and zoom the tiles are
// those covering Kazakhstan's bounding box, or a fixed pseudo-random sample of
// them (seeded: the same tiles on every run) where there are more than
// benchTilesSample. Each cell sends at most benchTilesMax requests and stops
// after benchTilesFor, with benchTilesWorkers connections, as wrk -c8 would.
var benchTilesFlag = flag.Bool("bench-tiles", false, "measure cold and warm tile throughput (make bench-tiles)")

const (
	benchTilesSample  = 256
	benchTilesMax     = 4000
	benchTilesFor     = 2 * time.Second
	benchTilesWorkers = 8
)

// benchTilesZooms are the zooms the issue compares with the peers at.
var benchTilesZooms = []maptile.Zoom{3, 4, 6, 8, 10, 12}

func TestBenchTiles(t *testing.T) {
	if !*benchTilesFlag {
		t.Skip("run with -bench-tiles (make bench-tiles)")
	}
	data := testenv.DataDir(t)
	ctx := context.Background()
	s := postgistest.New(t)
	start := time.Now()
	if _, err := importer.New(s, nil).KZ(ctx, data); err != nil {
		t.Fatal(err)
	}
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	t.Logf("import + compute: %v", time.Since(start).Round(time.Millisecond))

	cold := httptest.NewServer(web.New(web.Options{Tiles: s, Health: s, CacheBytes: -1}))
	defer cold.Close()
	warm := httptest.NewServer(web.New(web.Options{Tiles: s, Health: s}))
	defer warm.Close()
	layers := []string{"oblasts", "districts", "groups", "settlements"}

	// Cold in SQL first: every tile cut by PostGIS (ST_AsMVT), the path of a
	// generation not yet in memory, and the peers' only path.
	s.SetTileMemory(false)
	sqlCold := map[string]benchTileResult{}
	for _, layer := range layers {
		for _, z := range benchTilesZooms {
			sqlCold[fmt.Sprint(layer, z)] = benchTileRun(t, cold.URL, benchTilePaths(layer, z))
		}
	}
	// Then cold in memory (tiles/cut) once the generation is loaded, and warm.
	s.SetTileMemory(true)
	gen, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loadStart := time.Now()
	wait, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := s.TileMemoryReady(wait, gen); err != nil {
		t.Fatal(err)
	}
	t.Logf("generation %d loaded into memory in %v", gen, time.Since(loadStart).Round(time.Millisecond))

	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %3s %6s | %9s %9s %9s | %9s %9s %9s | %9s %9s %9s | %9s %6s\n",
		"layer", "z", "tiles", "SQL r/s", "p50", "p99", "mem r/s", "p50", "p99", "warm r/s", "p50", "p99", "B/tile", "empty")
	for _, layer := range layers {
		for _, z := range benchTilesZooms {
			paths := benchTilePaths(layer, z)
			c := sqlCold[fmt.Sprint(layer, z)]
			m := benchTileRun(t, cold.URL, paths)
			benchTileRun(t, warm.URL, paths) // prime the cache
			w := benchTileRun(t, warm.URL, paths)
			fmt.Fprintf(&b, "%-12s %3d %6d | %9.0f %9s %9s | %9.0f %9s %9s | %9.0f %9s %9s | %9.0f %5.0f%%\n",
				layer, z, len(paths), c.rps, ms(c.p50), ms(c.p99), m.rps, ms(m.p50), ms(m.p99), w.rps, ms(w.p50), ms(w.p99), m.bytes, 100*m.empty)
		}
	}
	t.Logf("tiles, %d connections, at most %d requests or %v per cell; cold = no tile cache (SQL: cut by PostGIS; mem: cut in memory):\n%s", benchTilesWorkers, benchTilesMax, benchTilesFor, b.String())
}

// benchTilePaths lists the tiles of layer at z over Kazakhstan's bounding
// box, or a fixed sample of benchTilesSample of them.
func benchTilePaths(layer string, z maptile.Zoom) []string {
	nw := maptile.At([2]float64{46.5, 55.5}, z)
	se := maptile.At([2]float64{87.3, 40.5}, z)
	var ts []maptile.Tile
	for x := nw.X; x <= se.X; x++ {
		for y := nw.Y; y <= se.Y; y++ {
			ts = append(ts, maptile.New(x, y, z))
		}
	}
	if len(ts) > benchTilesSample {
		r := rand.New(rand.NewPCG(uint64(z), 11))
		r.Shuffle(len(ts), func(i, j int) { ts[i], ts[j] = ts[j], ts[i] })
		ts = ts[:benchTilesSample]
	}
	paths := make([]string, len(ts))
	for i, t := range ts {
		paths[i] = fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layer, t.Z, t.X, t.Y)
	}
	return paths
}

type benchTileResult struct {
	rps      float64
	p50, p99 time.Duration
	bytes    float64 // mean bytes of a non-empty tile, uncompressed
	empty    float64 // share of answers without features (204)
}

// benchTileRun requests the paths round robin, each at least once, then
// until benchTilesMax requests or benchTilesFor.
func benchTileRun(t *testing.T, base string, paths []string) benchTileResult {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchTilesWorkers, DisableCompression: true}, Timeout: 30 * time.Second}
	var (
		next           atomic.Int64
		mu             sync.Mutex
		lat            []time.Duration
		bytes, nonEmpt int64
		empty          int64
		firstErr       error
		wg             sync.WaitGroup
	)
	deadline := time.Now().Add(benchTilesFor)
	start := time.Now()
	for w := 0; w < benchTilesWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= benchTilesMax || i >= len(paths) && time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				resp, err := client.Get(base + paths[i%len(paths)])
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				switch {
				case resp.StatusCode == http.StatusNoContent:
					empty++
				case resp.StatusCode == http.StatusOK:
					bytes += n
					nonEmpt++
				case firstErr == nil:
					firstErr = fmt.Errorf("%s: status %d", paths[i%len(paths)], resp.StatusCode)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := benchTileResult{rps: float64(len(lat)) / elapsed.Seconds(), p50: lat[len(lat)/2], p99: lat[len(lat)*99/100]}
	if nonEmpt > 0 {
		r.bytes = float64(bytes) / float64(nonEmpt)
	}
	r.empty = float64(empty) / float64(len(lat))
	return r
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
