package postgis

import (
	"context"

	"github.com/paulmach/orb"
)

// CountryExtent returns the bounding box of the imported country boundary,
// the service area that the API, the tiles and the map take from the data;
// ok is false before a country is imported.
func (s *Store) CountryExtent(ctx context.Context) (b orb.Bound, ok bool, err error) {
	defer wrap(&err, "Store.CountryExtent")
	var w, south, e, n *float64
	if err := s.pool.QueryRow(ctx, `SELECT ST_XMin(x), ST_YMin(x), ST_XMax(x), ST_YMax(x)
		FROM (SELECT ST_Extent(geom) AS x FROM area WHERE level = 'country') c`).Scan(&w, &south, &e, &n); err != nil {
		return b, false, Unavailable(ctx, err)
	}
	if w == nil {
		return b, false, nil
	}
	return orb.Bound{Min: orb.Point{*w, *south}, Max: orb.Point{*e, *n}}, true, nil
}
