package postgis

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/aimaq/aimaq/tiles/cut"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// memTiles holds the tile layers of one data generation in memory
// (tiles/cut): loaded in the background the first time a tile of a new
// generation is asked for, while the tiles of that generation are cut in
// SQL; from then on cut without asking the database. A generation's
// boundaries and figures are a few tens of megabytes.
type memTiles struct {
	mu      sync.Mutex
	off     bool
	gen     int64                 // generation of layers; 0: none
	layers  map[string]*cut.Layer // by layer name
	loading bool
	done    chan struct{} // closed when the load under way ends
	failed  time.Time     // last failed load; retried memRetry later
	err     error         // its error
	took    time.Duration
}

// memRetry is how long a failed load waits before it is tried again.
const memRetry = 30 * time.Second

// memLoadTimeout bounds one load.
const memLoadTimeout = 5 * time.Minute

// SetTileMemory turns the in-memory tile path on (the default) or off; off,
// TileAt cuts every tile in SQL (the peers' way, kept for comparison and as
// the fallback).
func (s *Store) SetTileMemory(on bool) {
	s.mem.mu.Lock()
	defer s.mem.mu.Unlock()
	s.mem.off = !on
	if !on {
		s.mem.gen, s.mem.layers = 0, nil
	}
}

// TileAt cuts tile t of layer l for data generation gen from memory: the
// first tiles asked of a new generation wait for it to load (a fraction of a
// second on Kazakhstan; at most memWait, and a tile of a generation older
// than memory's never waits), and are cut in SQL (Tile) should the load fail
// or outlast the wait. Waiting rather than cutting in SQL meanwhile keeps
// every tile of one generation cut by one cutter, so its bytes and ETag do
// not change with the moment it was asked.
func (s *Store) TileAt(ctx context.Context, l tiles.Layer, t tiles.Tile, gen int64) ([]byte, error) {
	if ml := s.memLayer(l.Name, gen); ml != nil {
		return ml.Tile(t)
	}
	s.mem.mu.Lock()
	wait := !s.mem.off && gen > s.mem.gen
	s.mem.mu.Unlock()
	if wait {
		wctx, cancel := context.WithTimeout(ctx, memWait)
		err := s.TileMemoryReady(wctx, gen)
		cancel()
		if ml := s.memLayer(l.Name, gen); err == nil && ml != nil {
			return ml.Tile(t)
		}
	}
	return s.Tile(ctx, l, t)
}

// memWait bounds how long a tile waits for its generation to load.
const memWait = 10 * time.Second

// TileMemoryReady waits until the tiles of data generation gen are in
// memory (nil), a load started for it fails (its error: TileAt then cuts in
// SQL), or ctx ends (its error). It starts the load when none runs. With the
// memory off it returns nil at once.
func (s *Store) TileMemoryReady(ctx context.Context, gen int64) error {
	for {
		s.memLayer("", gen) // starts the load when one may start
		m := &s.mem
		m.mu.Lock()
		ok, off, loading, done, err := m.gen >= gen && m.layers != nil, m.off, m.loading, m.done, m.err
		m.mu.Unlock()
		switch {
		case ok || off:
			return nil
		case !loading:
			// The last load failed less than memRetry ago: no other starts
			// yet, so waiting would only delay the SQL fallback.
			if err == nil {
				err = errs.E(errs.Unavailable, "tiles of generation %d are not in memory", gen)
			}
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-done:
		}
	}
}

// memLayer returns the in-memory layer name of generation gen, or nil (and
// starts loading gen when it is newer than what memory holds).
func (s *Store) memLayer(name string, gen int64) *cut.Layer {
	m := &s.mem
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.off {
		return nil
	}
	if m.gen == gen && m.layers != nil {
		return m.layers[name]
	}
	if gen > m.gen && !m.loading && time.Since(m.failed) > memRetry {
		m.loading, m.done = true, make(chan struct{})
		go s.loadMem()
	}
	return nil
}

// loadMem loads every layer of the catalogue with the generation they
// belong to, in one read-only snapshot of the database.
func (s *Store) loadMem() {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), memLoadTimeout)
	defer cancel()
	gen, layers, err := s.readTileLayers(ctx)
	m := &s.mem
	m.mu.Lock()
	defer m.mu.Unlock()
	m.loading = false
	defer close(m.done)
	if err != nil {
		m.failed, m.err = time.Now(), err
		slog.Warn("tiles: in-memory layers not loaded; tiles are cut in SQL", "err", err, "retry_in", memRetry)
		return
	}
	if m.off || gen < m.gen {
		return
	}
	m.gen, m.layers, m.took = gen, layers, time.Since(start)
	slog.Info("tiles: layers in memory", "generation", gen, "took", m.took.Round(time.Millisecond))
}

// readTileLayers reads the data generation and every layer's features in
// one repeatable-read transaction, so they are of that generation.
func (s *Store) readTileLayers(ctx context.Context) (gen int64, _ map[string]*cut.Layer, err error) {
	defer wrap(&err, "Store.readTileLayers")
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback(ctx)
	if err := tx.QueryRow(ctx, generationSQL).Scan(&gen); err != nil {
		return 0, nil, err
	}
	out := map[string]*cut.Layer{}
	for _, l := range tiles.NewCatalogue().Layers() {
		props, err := readFeatureProps(ctx, tx, l)
		if err != nil {
			return 0, nil, err
		}
		switch {
		case l.Points != "":
			pts, err := readTilePoints(ctx, tx, l, props)
			if err != nil {
				return 0, nil, err
			}
			if out[l.Name], err = cut.NewPointLayer(l.Name, pts); err != nil {
				return 0, nil, err
			}
		case len(l.AreaLevels) > 0:
			areas, err := readTileAreas(ctx, tx, l, props)
			if err != nil {
				return 0, nil, err
			}
			if out[l.Name], err = cut.NewAreaLayer(l.Name, areas); err != nil {
				return 0, nil, err
			}
		}
	}
	return gen, out, tx.Commit(ctx)
}

// readFeatureProps runs l.Features: each row's id and its properties as the
// tile SQL's ST_AsMVT writes them.
func readFeatureProps(ctx context.Context, tx pgx.Tx, l tiles.Layer) (map[int64]cut.Props, error) {
	rows, err := tx.Query(ctx, l.Features)
	if err != nil {
		return nil, fmt.Errorf("layer %s features: %w", l.Name, err)
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	out := map[int64]cut.Props{}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("layer %s features: %w", l.Name, err)
		}
		id, ok := vals[0].(int64)
		if !ok {
			return nil, fmt.Errorf("layer %s features: id is %T, want bigint", l.Name, vals[0])
		}
		p := cut.Props{}
		for i, v := range vals[1:] {
			if err := putProp(p, fields[i+1].Name, v); err != nil {
				return nil, fmt.Errorf("layer %s feature %d: %w", l.Name, id, err)
			}
		}
		out[id] = p
	}
	return out, rows.Err()
}

// putProp sets property name to v as ST_AsMVT writes a column: NULL left
// out, integers as integers, a JSON object as one property per key (a JSON
// number as an integer when it is whole).
func putProp(p cut.Props, name string, v any) error {
	switch v := v.(type) {
	case nil:
	case string, bool, float64:
		p[name] = v
	case float32:
		p[name] = float64(v)
	case int16:
		p[name] = int64(v)
	case int32:
		p[name] = int64(v)
	case int64:
		p[name] = v
	case map[string]any:
		for k, x := range v {
			switch x := x.(type) {
			case nil:
			case float64:
				if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
					p[k] = int64(x)
				} else {
					p[k] = x
				}
			case string, bool:
				p[k] = x
			default:
				return fmt.Errorf("property %s.%s: a JSON %T is not a tile value", name, k, x)
			}
		}
	default:
		return fmt.Errorf("property %s: a %T is not a tile value", name, v)
	}
	return nil
}

// readTileAreas reads the tile-ready geometry of l's levels (area_tile) for
// the features in props.
func readTileAreas(ctx context.Context, tx pgx.Tx, l tiles.Layer, props map[int64]cut.Props) ([]cut.Area, error) {
	rows, err := tx.Query(ctx, `SELECT area_id, zmin, zmax, size, ST_AsBinary(geom)
	                              FROM area_tile WHERE level = ANY($1) ORDER BY area_id, zmin`, l.AreaLevels)
	if err != nil {
		return nil, fmt.Errorf("layer %s geometry: %w", l.Name, err)
	}
	defer rows.Close()
	byID := map[int64]int{}
	var out []cut.Area
	for rows.Next() {
		var id int64
		var zmin, zmax int32
		var size float64
		var b []byte
		if err := rows.Scan(&id, &zmin, &zmax, &size, &b); err != nil {
			return nil, fmt.Errorf("layer %s geometry: %w", l.Name, err)
		}
		p, ok := props[id]
		if !ok {
			continue // not a feature of the layer (the tile SQL joins them alike)
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return nil, errs.Wrap(errs.Internal, err, "layer %s: area_tile of area %d, zooms %d–%d", l.Name, id, zmin, zmax)
		}
		var mp orb.MultiPolygon
		switch g := g.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return nil, errs.E(errs.Internal, "layer %s: area_tile of area %d, zooms %d–%d is a %s, want polygons", l.Name, id, zmin, zmax, g.GeoJSONType())
		}
		i, seen := byID[id]
		if !seen {
			i = len(out)
			byID[id] = i
			out = append(out, cut.Area{ID: uint64(id), Props: p})
		}
		out[i].Shapes = append(out[i].Shapes, cut.Shape{ZMin: tiles.Zoom(zmin), ZMax: tiles.Zoom(zmax), Size: size, Geom: mp})
	}
	return out, rows.Err()
}

// readTilePoints reads the points of l (l.Points) for the features in props.
func readTilePoints(ctx context.Context, tx pgx.Tx, l tiles.Layer, props map[int64]cut.Props) ([]cut.Point, error) {
	rows, err := tx.Query(ctx, l.Points)
	if err != nil {
		return nil, fmt.Errorf("layer %s points: %w", l.Name, err)
	}
	defer rows.Close()
	var out []cut.Point
	for rows.Next() {
		var id int64
		var x, y float64
		var minZoom int32
		if err := rows.Scan(&id, &x, &y, &minZoom); err != nil {
			return nil, fmt.Errorf("layer %s points: %w", l.Name, err)
		}
		p, ok := props[id]
		if !ok {
			continue
		}
		out = append(out, cut.Point{ID: uint64(id), Props: p, X: x, Y: y, MinZoom: tiles.Zoom(max(minZoom, 0))})
	}
	return out, rows.Err()
}
