// Package cut cuts vector tiles in memory: the area and point layers of a
// data generation, loaded once (data/postgis fills a Set from the layers'
// Features, AreaLevels and Points queries), then clipped, snapped to the
// 4096 grid and encoded per request without asking the database.
//
// It follows the rules of the layers' tile SQL (tiles/sql): an area draws the
// tile-ready geometry of the zoom band (area_tile), is left out when its
// bounding box is smaller than one 256-px pixel at the zoom, and is clipped to
// the tile plus a 64-unit buffer; a point is kept from its min zoom on, within
// the same buffer; features keep the SQL's order (areas by id, points in the
// layer's order) and its properties (a NULL left out, a JSON object spread
// into one property per key, integral numbers as integers as ST_AsMVT writes
// them). Geometry is snapped by rounding to the grid; rings that collapse are
// dropped and the rest oriented as the MVT specification wants (exterior
// rings of positive area in tile coordinates, holes negative). Unlike
// ST_AsMVTGeom it does not repair a ring that snapping makes touch itself:
// renderers fill such rings alike, and the shared-arc generalisation
// (geo/topo) already keeps neighbours' borders from crossing.
package cut

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/aimaq/aimaq/tiles"
	"github.com/gogo/protobuf/proto"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
)

// Extent and Buffer are the tile grid and the buffer around it, in grid
// units, as the tile SQL gives them to ST_AsMVTGeom.
const (
	Extent = 4096
	Buffer = 64
)

// world is the EPSG:3857 square: ST_TileEnvelope's bounds.
const (
	worldMin   = -20037508.342789244
	worldWidth = 2 * 20037508.342789244
)

// pixelWorld is the world width the tile SQL divides to get a pixel at z
// (40075016.68 / (256 · 2^z)); kept as the SQL writes it, so both paths drop
// the same small areas.
const pixelWorld = 40075016.68

// Props are a feature's properties: name to value (string, bool, int64 or
// float64), as the tile carries them.
type Props map[string]any

// Shape is an area's tile-ready geometry for one zoom band (a row of
// area_tile): EPSG:3857, with its size (the larger side of the area's
// bounding box, in metres).
type Shape struct {
	ZMin, ZMax tiles.Zoom
	Size       float64
	Geom       orb.MultiPolygon
	bound      orb.Bound
	bounds     []orb.Bound     // of each polygon
	runs       [][][]orb.Bound // of each run of chunk points of each ring of each polygon
}

// Area is one feature of an area layer.
type Area struct {
	ID     uint64
	Props  Props
	Shapes []Shape
	tags   []uint32 // pairs of indices into the layer's keys and values
}

// Point is one feature of a point layer: its place in EPSG:3857 and the
// zoom it appears from.
type Point struct {
	ID      uint64
	Props   Props
	X, Y    float64
	MinZoom tiles.Zoom
	tags    []uint32
}

// Layer is one layer's features, indexed for cutting. Build it with
// NewAreaLayer or NewPointLayer; it is read-only after, safe for concurrent
// use.
type Layer struct {
	name   string
	areas  []Area  // by id
	points []Point // in the layer's order
	byX    []int32 // indices of points, by X
	keys   []string
	values []*vectortile.Tile_Value
	maps   sync.Pool // of *tileMaps
}

// tileMaps map the layer's key and value indices to a tile's own tables.
type tileMaps struct{ key, value []int32 }

// NewAreaLayer indexes areas (any order) as the layer name. A property of a
// type a tile cannot carry is an error naming the feature.
func NewAreaLayer(name string, areas []Area) (*Layer, error) {
	l := &Layer{name: name, areas: append([]Area(nil), areas...)}
	sort.Slice(l.areas, func(i, j int) bool { return l.areas[i].ID < l.areas[j].ID })
	t := newTables()
	for i := range l.areas {
		a := &l.areas[i]
		var err error
		if a.tags, err = t.tags(a.Props); err != nil {
			return nil, fmt.Errorf("layer %s, feature %d: %w", name, a.ID, err)
		}
		a.Shapes = append([]Shape(nil), a.Shapes...)
		for j := range a.Shapes {
			s := &a.Shapes[j]
			s.bound = s.Geom.Bound()
			s.bounds = make([]orb.Bound, len(s.Geom))
			s.runs = make([][][]orb.Bound, len(s.Geom))
			for k, p := range s.Geom {
				s.bounds[k] = p.Bound()
				s.runs[k] = make([][]orb.Bound, len(p))
				for j, r := range p {
					s.runs[k][j] = runBounds(r)
				}
			}
		}
	}
	l.keys, l.values = t.keys, t.values
	return l, nil
}

// NewPointLayer indexes points, given in the layer's feature order, as the
// layer name.
func NewPointLayer(name string, points []Point) (*Layer, error) {
	l := &Layer{name: name, points: append([]Point(nil), points...), byX: make([]int32, len(points))}
	t := newTables()
	for i := range l.points {
		p := &l.points[i]
		var err error
		if p.tags, err = t.tags(p.Props); err != nil {
			return nil, fmt.Errorf("layer %s, feature %d: %w", name, p.ID, err)
		}
		l.byX[i] = int32(i)
	}
	sort.Slice(l.byX, func(i, j int) bool { return l.points[l.byX[i]].X < l.points[l.byX[j]].X })
	l.keys, l.values = t.keys, t.values
	return l, nil
}

// tables gather a layer's distinct keys and values.
type tables struct {
	keys   []string
	values []*vectortile.Tile_Value
	key    map[string]uint32
	value  map[any]uint32
}

func newTables() *tables {
	return &tables{key: map[string]uint32{}, value: map[any]uint32{}}
}

// tags are the key and value indices of props, by key name (the same
// feature, the same bytes).
func (t *tables) tags(props Props) ([]uint32, error) {
	names := make([]string, 0, len(props))
	for k, v := range props {
		if v != nil {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	out := make([]uint32, 0, 2*len(names))
	for _, k := range names {
		ki, ok := t.key[k]
		if !ok {
			ki = uint32(len(t.keys))
			t.key[k] = ki
			t.keys = append(t.keys, k)
		}
		v := props[k]
		switch v.(type) {
		case string, bool, float64, int64:
		default:
			return nil, fmt.Errorf("property %s: a %T is not a tile value", k, v)
		}
		vi, ok := t.value[v]
		if !ok {
			tv, err := tileValue(v)
			if err != nil {
				return nil, fmt.Errorf("property %s: %w", k, err)
			}
			vi = uint32(len(t.values))
			t.value[v] = vi
			t.values = append(t.values, tv)
		}
		out = append(out, ki, vi)
	}
	return out, nil
}

// tileValue is v as ST_AsMVT writes it: integers unsigned when not
// negative, else signed; numbers as doubles.
func tileValue(v any) (*vectortile.Tile_Value, error) {
	switch v := v.(type) {
	case string:
		return &vectortile.Tile_Value{StringValue: &v}, nil
	case bool:
		return &vectortile.Tile_Value{BoolValue: &v}, nil
	case float64:
		return &vectortile.Tile_Value{DoubleValue: &v}, nil
	case int64:
		if v >= 0 {
			u := uint64(v)
			return &vectortile.Tile_Value{UintValue: &u}, nil
		}
		return &vectortile.Tile_Value{SintValue: &v}, nil
	}
	return nil, fmt.Errorf("a %T is not a tile value", v)
}

// Name is the layer's MVT name.
func (l *Layer) Name() string { return l.name }

// Len is the number of features.
func (l *Layer) Len() int { return len(l.areas) + len(l.points) }

// frame is a tile's place in EPSG:3857.
type frame struct {
	minX, maxY, width float64
	clip              orb.Bound // the tile plus its buffer
}

func frameOf(t tiles.Tile) frame {
	w := worldWidth / math.Exp2(float64(t.Z))
	f := frame{minX: worldMin + float64(t.X)*w, maxY: -worldMin - float64(t.Y)*w, width: w}
	m := w * Buffer / Extent
	f.clip = orb.Bound{Min: orb.Point{f.minX - m, f.maxY - w - m}, Max: orb.Point{f.minX + w + m, f.maxY + m}}
	return f
}

// grid is the point p in tile units, snapped to the grid.
func (f frame) grid(p orb.Point) (int32, int32) {
	return int32(math.RoundToEven((p[0] - f.minX) / f.width * Extent)),
		int32(math.RoundToEven((f.maxY - p[1]) / f.width * Extent))
}

// tileLayer gathers the features of one tile with their own key and value
// tables.
type tileLayer struct {
	l    *Layer
	m    *tileMaps
	out  vectortile.Tile_Layer
	geom geomWriter
}

func (l *Layer) newTileLayer() *tileLayer {
	m, _ := l.maps.Get().(*tileMaps)
	if m == nil {
		m = &tileMaps{key: make([]int32, len(l.keys)), value: make([]int32, len(l.values))}
		for i := range m.key {
			m.key[i] = -1
		}
		for i := range m.value {
			m.value[i] = -1
		}
	}
	v, ext := uint32(2), uint32(Extent) // version 2, as ST_AsMVT writes
	return &tileLayer{l: l, m: m, out: vectortile.Tile_Layer{Version: &v, Name: &l.name, Extent: &ext}}
}

// add appends a feature of the layer's tags with the geometry written so far.
func (tl *tileLayer) add(id uint64, tags []uint32, typ vectortile.Tile_GeomType) {
	local := make([]uint32, len(tags))
	for i := 0; i < len(tags); i += 2 {
		k, v := tags[i], tags[i+1]
		if tl.m.key[k] < 0 {
			tl.m.key[k] = int32(len(tl.out.Keys))
			tl.out.Keys = append(tl.out.Keys, tl.l.keys[k])
		}
		if tl.m.value[v] < 0 {
			tl.m.value[v] = int32(len(tl.out.Values))
			tl.out.Values = append(tl.out.Values, tl.l.values[v])
		}
		local[i], local[i+1] = uint32(tl.m.key[k]), uint32(tl.m.value[v])
	}
	id, t := id, typ
	tl.out.Features = append(tl.out.Features, &vectortile.Tile_Feature{Id: &id, Tags: local, Type: &t, Geometry: tl.geom.take()})
}

// bytes encodes the tile (nil without features) and gives the maps back.
func (tl *tileLayer) bytes() ([]byte, error) {
	defer func() {
		// Only the entries this tile set are reset.
		for k, v := range tl.m.key {
			if v >= 0 {
				tl.m.key[k] = -1
			}
		}
		for k, v := range tl.m.value {
			if v >= 0 {
				tl.m.value[k] = -1
			}
		}
		tl.l.maps.Put(tl.m)
	}()
	if len(tl.out.Features) == 0 {
		return nil, nil
	}
	return proto.Marshal(&vectortile.Tile{Layers: []*vectortile.Tile_Layer{&tl.out}})
}

// Tile returns tile t of the layer as MVT bytes (uncompressed), nil when no
// feature falls in it.
func (l *Layer) Tile(t tiles.Tile) ([]byte, error) {
	f := frameOf(t)
	tl := l.newTileLayer()
	if l.points != nil {
		l.cutPoints(t, f, tl)
	} else {
		l.cutAreas(t, f, tl)
	}
	return tl.bytes()
}

func (l *Layer) cutAreas(t tiles.Tile, f frame, tl *tileLayer) {
	px := pixelWorld / (256 * math.Exp2(float64(t.Z)))
	var scratch orb.Ring
	for i := range l.areas {
		a := &l.areas[i]
		for j := range a.Shapes {
			s := &a.Shapes[j]
			if t.Z < s.ZMin || t.Z > s.ZMax || s.Size < px || !s.bound.Intersects(f.clip) {
				continue
			}
			if f.polygons(s, &tl.geom, &scratch) {
				tl.add(a.ID, a.tags, vectortile.Tile_POLYGON)
			}
			break
		}
	}
}

func (l *Layer) cutPoints(t tiles.Tile, f frame, tl *tileLayer) {
	xs := l.byX
	lo := sort.Search(len(xs), func(i int) bool { return l.points[xs[i]].X >= f.clip.Min[0] })
	hi := sort.Search(len(xs), func(i int) bool { return l.points[xs[i]].X > f.clip.Max[0] })
	var in []int32
	for _, i := range xs[lo:hi] {
		p := &l.points[i]
		if p.MinZoom <= t.Z && p.Y >= f.clip.Min[1] && p.Y <= f.clip.Max[1] {
			in = append(in, i)
		}
	}
	slices.Sort(in) // the layer's order
	for _, i := range in {
		p := &l.points[i]
		x, y := f.grid(orb.Point{p.X, p.Y})
		tl.geom.point(x, y)
		tl.add(p.ID, p.tags, vectortile.Tile_POINT)
	}
}

// polygons writes the polygons of s clipped to the tile's buffer, snapped to
// the grid and oriented; false when nothing of them is left. A polygon whose
// holes cover all of what is left of it (a tile inside an enclave) is left
// out, as ST_AsMVTGeom's repair leaves it out.
func (f frame) polygons(s *Shape, w *geomWriter, scratch *orb.Ring) bool {
	any := false
	for k, p := range s.Geom {
		if !s.bounds[k].Intersects(f.clip) {
			continue
		}
		inside := s.bounds[k].Min[0] >= f.clip.Min[0] && s.bounds[k].Max[0] <= f.clip.Max[0] &&
			s.bounds[k].Min[1] >= f.clip.Min[1] && s.bounds[k].Max[1] <= f.clip.Max[1]
		start := w.mark()
		var net float64
		for j, r := range p {
			if !inside {
				// clip.Ring works in its input: give it a copy, without the
				// points it would drop anyway.
				*scratch = f.reduce((*scratch)[:0], r, s.runs[k][j])
				r = clip.Ring(f.clip, *scratch)
			}
			var a float64
			if len(r) > 0 {
				a = w.ring(f, r, j == 0)
			}
			if j == 0 {
				if a == 0 {
					break // the exterior collapsed: so did its holes
				}
				net = a
			} else {
				net -= a
			}
		}
		if net <= 0 {
			w.undo(start)
			continue
		}
		any = true
	}
	return any
}

// chunk is the number of ring points whose bounding box is kept together.
const chunk = 32

// runBounds are the bounding boxes of r's runs of chunk points.
func runBounds(r orb.Ring) []orb.Bound {
	out := make([]orb.Bound, 0, (len(r)+chunk-1)/chunk)
	for i := 0; i < len(r); i += chunk {
		out = append(out, orb.MultiPoint(r[i:min(i+chunk, len(r))]).Bound())
	}
	return out
}

// reduce appends to dst the points of ring r that clipping to the tile's
// buffer can use, so that a large boundary is walked by runs of points
// rather than point by point. clip.Ring clips against the left, right,
// bottom and top sides in turn. A run of points wholly beyond the side clipped
// first that touches it — beyond the left side; beyond the right one; beyond
// the bottom or the top with every x between the sides — keeps only its first
// and last point: the sides clipped before pass the run unchanged, and at
// its own side the run only matters where the ring crosses into and out of
// it, on the segments that end at those two points. The clipped ring is the
// same (TestReduceClipsTheSame).
func (f frame) reduce(dst orb.Ring, r orb.Ring, runs []orb.Bound) orb.Ring {
	c := f.clip
	for i, b := range runs {
		lo, hi := i*chunk, min((i+1)*chunk, len(r))
		between := b.Min[0] >= c.Min[0] && b.Max[0] <= c.Max[0]
		if b.Max[0] < c.Min[0] || b.Min[0] > c.Max[0] || between && (b.Max[1] < c.Min[1] || b.Min[1] > c.Max[1]) {
			dst = append(dst, r[lo])
			if hi-1 > lo {
				dst = append(dst, r[hi-1])
			}
			continue
		}
		dst = append(dst, r[lo:hi]...)
	}
	return dst
}
