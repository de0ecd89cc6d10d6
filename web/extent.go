package web

import (
	"context"
	"math"
	"sync"

	"github.com/paulmach/orb"
)

// ExtentSource tells the extent of the imported country: nothing about the
// country is written in aimaq's code, so the API's accepted coordinates, the
// TileJSON bounds and the map's start view come from it.
type ExtentSource interface {
	CountryExtent(ctx context.Context) (orb.Bound, bool, error)
}

// world is the service area without a country: every longitude, and the
// latitudes Web Mercator can show.
var world = orb.Bound{Min: orb.Point{-180, -85.0511}, Max: orb.Point{180, 85.0511}}

// serviceMargin widens the country's box: a point just across the border
// still has a nearest school inside, while a point on another continent is
// a client's mistake worth a 400 rather than a slow search that finds nothing.
const serviceMargin = 1.0 // degrees

// extentMemo keeps the country's extent for one data generation.
type extentMemo struct {
	mu  sync.Mutex
	gen int64
	ok  bool // a value is held
	b   orb.Bound
	has bool // a country is imported
}

// countryExtent returns the imported country's box (ok false without one),
// asked again only when the data generation changes.
func (s *server) countryExtent(ctx context.Context) (orb.Bound, bool, error) {
	if s.extent == nil {
		return orb.Bound{}, false, nil
	}
	gen, _, err := s.generation.get(ctx, s.src)
	if err != nil {
		return orb.Bound{}, false, err
	}
	m := &s.extentMemo
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ok && m.gen == gen {
		return m.b, m.has, nil
	}
	b, has, err := s.extent.CountryExtent(ctx)
	if err != nil {
		return orb.Bound{}, false, err
	}
	m.gen, m.ok, m.b, m.has = gen, true, b, has
	return b, has, nil
}

// serviceArea is where /api/access accepts points: the country's box widened
// by serviceMargin, or the whole world before a country is imported.
func (s *server) serviceArea(ctx context.Context) (orb.Bound, error) {
	b, ok, err := s.countryExtent(ctx)
	if err != nil || !ok {
		return world, err
	}
	round := func(v float64, up bool) float64 { // whole tenths, so the message reads well
		if up {
			return math.Ceil(v*10) / 10
		}
		return math.Floor(v*10) / 10
	}
	return orb.Bound{
		Min: orb.Point{round(math.Max(b.Min[0]-serviceMargin, -180), false), round(math.Max(b.Min[1]-serviceMargin, -90), false)},
		Max: orb.Point{round(math.Min(b.Max[0]+serviceMargin, 180), true), round(math.Min(b.Max[1]+serviceMargin, 90), true)},
	}, nil
}

// tileBounds is the TileJSON bounds (west, south, east, north): the
// country's box, or the world before a country is imported.
func (s *server) tileBounds(ctx context.Context) ([4]float64, error) {
	b, ok, err := s.countryExtent(ctx)
	if err != nil || !ok {
		b = world
	}
	return [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, err
}
