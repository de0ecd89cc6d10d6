package pmtiles

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/aimaq/aimaq/tiles"
	"github.com/klauspost/compress/gzip"
)

// TileSource cuts one layer's tile, uncompressed MVT (empty: no features);
// *postgis.Store is one, the same code that answers /tiles.
type TileSource interface {
	Tile(ctx context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error)
}

// Layer is one layer of an export.
type Layer struct {
	tiles.Layer
	// Thinned layers leave features out at low zoom that a higher zoom shows
	// elsewhere (settlements: hamlets only from z9), so an empty tile says
	// nothing of its children and every tile over the bounds is cut. Other
	// layers are partitions of the country (areas): a unit too small to draw
	// in a tile still has drawn neighbours there, so a child of an empty tile
	// is empty too and is skipped.
	Thinned bool
}

// Options bound an export.
type Options struct {
	MinZoom, MaxZoom tiles.Zoom
	Bounds           [4]float64 // west, south, east, north in degrees: tiles outside are not cut
	Workers          int        // tiles cut at once; 0 means 2
	// Progress, when set, is called after each zoom with the figures so far.
	Progress func(z tiles.Zoom, p Progress)
}

// Progress are the running figures of an export.
type Progress struct {
	Cut      int   // tiles asked of the source (a tile of several layers counts once)
	WithData int   // tiles with at least one feature
	Bytes    int64 // gzip-compressed bytes of the tiles with data
}

// Export cuts every tile of layers from o.MinZoom to o.MaxZoom over
// o.Bounds and adds it to w: one MVT per tile holding the layers in the
// order given (an MVT's layers are concatenated messages), gzip-compressed.
// Tiles without data are left out.
func Export(ctx context.Context, src TileSource, layers []Layer, w *Writer, o Options) (Progress, error) {
	var total Progress
	if len(layers) == 0 {
		return total, fmt.Errorf("pmtiles: no layers to export")
	}
	if o.MinZoom > o.MaxZoom {
		return total, fmt.Errorf("pmtiles: minzoom %d above maxzoom %d", o.MinZoom, o.MaxZoom)
	}
	for _, l := range layers {
		if o.MaxZoom > l.MaxZoom {
			return total, fmt.Errorf("pmtiles: layer %s has no tiles above z=%d (maxzoom %d asked)", l.Name, l.MaxZoom, o.MaxZoom)
		}
	}
	workers := o.Workers
	if workers <= 0 {
		workers = 2
	}
	// nonEmpty[i] holds the tiles of the previous zoom where layer i had data.
	nonEmpty := make([]map[tiles.Tile]bool, len(layers))
	for z := o.MinZoom; z <= o.MaxZoom; z++ {
		jobs := plan(layers, nonEmpty, z, o)
		results, err := cut(ctx, src, layers, jobs, workers, w)
		if err != nil {
			return total, err
		}
		for i := range nonEmpty {
			nonEmpty[i] = map[tiles.Tile]bool{}
		}
		for _, r := range results {
			total.Cut++
			if r.bytes > 0 {
				total.WithData++
				total.Bytes += int64(r.bytes)
			}
			for i, has := range r.layers {
				if has {
					nonEmpty[i][r.tile] = true
				}
			}
		}
		if o.Progress != nil {
			o.Progress(z, total)
		}
	}
	return total, nil
}

// job is one tile to cut with the layers (by index) it needs.
type job struct {
	tile   tiles.Tile
	layers []bool
}

// plan lists the tiles of zoom z to cut and for which layers: a layer's first
// zoom, a zoom after one where it had no data at all, and a thinned layer at
// any zoom take every tile over the bounds; other zooms of a partition layer
// only the children of its tiles with data.
func plan(layers []Layer, nonEmpty []map[tiles.Tile]bool, z tiles.Zoom, o Options) []job {
	byTile := map[tiles.Tile][]bool{}
	var order []tiles.Tile
	want := func(t tiles.Tile, i int) {
		ls, ok := byTile[t]
		if !ok {
			ls = make([]bool, len(layers))
			byTile[t] = ls
			order = append(order, t)
		}
		ls[i] = true
	}
	x0, y0, x1, y1 := tileRange(o.Bounds, z)
	for i, l := range layers {
		if z < l.MinZoom {
			continue
		}
		// A zoom without any data of the layer says nothing either: units
		// smaller than a pixel are left out, and at low zoom that can be all
		// of them (a small country).
		if l.Thinned || z == max(o.MinZoom, l.MinZoom) || len(nonEmpty[i]) == 0 {
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					want(tiles.Tile{Z: z, X: x, Y: y}, i)
				}
			}
			continue
		}
		for p := range nonEmpty[i] {
			for dy := uint32(0); dy < 2; dy++ {
				for dx := uint32(0); dx < 2; dx++ {
					c := tiles.Tile{Z: z, X: 2*p.X + dx, Y: 2*p.Y + dy}
					if c.X >= x0 && c.X <= x1 && c.Y >= y0 && c.Y <= y1 {
						want(c, i)
					}
				}
			}
		}
	}
	jobs := make([]job, len(order))
	for i, t := range order {
		jobs[i] = job{tile: t, layers: byTile[t]}
	}
	return jobs
}

// result is what cutting one tile found.
type result struct {
	tile   tiles.Tile
	layers []bool // layer i had data
	bytes  int    // compressed size, 0 without data
}

// cut runs jobs on workers goroutines, adding each tile with data to w; the
// first error stops the rest.
func cut(ctx context.Context, src TileSource, layers []Layer, jobs []job, workers int, w *Writer) ([]result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]result, len(jobs))
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mvt bytes.Buffer
			for i := range next {
				j := jobs[i]
				mvt.Reset()
				r := result{tile: j.tile, layers: make([]bool, len(layers))}
				for li, want := range j.layers {
					if !want {
						continue
					}
					b, err := src.Tile(ctx, layers[li].Layer, j.tile)
					if err != nil {
						fail(fmt.Errorf("tile %s of layer %s: %w", j.tile, layers[li].Name, err))
						return
					}
					if len(b) > 0 {
						r.layers[li] = true
						mvt.Write(b)
					}
				}
				if mvt.Len() > 0 {
					gz, err := gzipped(mvt.Bytes())
					if err != nil {
						fail(fmt.Errorf("tile %s: compress: %w", j.tile, err))
						return
					}
					if err := w.Add(j.tile, gz); err != nil {
						fail(err)
						return
					}
					r.bytes = len(gz)
				}
				results[i] = r
			}
		}()
	}
feed:
	for i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

// tileRange is the tiles of zoom z that the bounds touch, inclusive.
func tileRange(b [4]float64, z tiles.Zoom) (x0, y0, x1, y1 uint32) {
	x0, y1 = lonLatTile(b[0], b[1], z)
	x1, y0 = lonLatTile(b[2], b[3], z)
	return x0, y0, x1, y1
}

// maxLat is the latitude Web Mercator stops at.
const maxLat = 85.0511287798066

// lonLatTile is the tile of zoom z holding the point lon, lat.
func lonLatTile(lon, lat float64, z tiles.Zoom) (x, y uint32) {
	n := math.Exp2(float64(z))
	lat = math.Max(-maxLat, math.Min(maxLat, lat))
	fx := (lon + 180) / 360 * n
	r := lat * math.Pi / 180
	fy := (1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n
	clamp := func(f float64) uint32 {
		return uint32(math.Max(0, math.Min(n-1, math.Floor(f))))
	}
	return clamp(fx), clamp(fy)
}

// newGzip is the compressor of tiles and metadata: gzip at the default
// level, as the server compresses the tiles it caches.
func newGzip(w io.Writer) *gzip.Writer {
	return gzip.NewWriter(w)
}
