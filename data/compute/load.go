package compute

import (
	"context"
	"fmt"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// settlement is one settlement as compute reads it.
type settlement struct {
	id                 int64
	pt                 orb.Point
	pop                int
	place              string
	district, oblast   int64 // area ids, 0 = none
	districtC, oblastC int   // index into centres, -1 = none
}

type facility struct {
	id       int64
	kind     string
	name     string
	capacity float64 // NaN when not tagged
	pt       orb.Point
	district int64
	oblast   int64
}

type road struct {
	id     int64
	class  string
	paved  bool
	speed  float64
	oneway bool
	line   orb.LineString
}

// centre is an administrative centre point of an area.
type centre struct {
	areaID int64
	pt     orb.Point
}

type dataset struct {
	settlements                    []settlement
	facilities                     []facility
	roads                          []road
	districtCentres, oblastCentres []centre
}

// has reports whether any loaded facility belongs to set.
func (d *dataset) has(set access.FacilitySet) bool {
	for _, f := range d.facilities {
		if set.Has(f.kind) {
			return true
		}
	}
	return false
}

// load reads everything a compute run needs.
func load(ctx context.Context, tx pgx.Tx) (*dataset, error) {
	d := &dataset{}
	for _, step := range []func(context.Context, pgx.Tx) error{d.loadPlaces, d.loadFacilities, d.loadRoads} {
		if err := step(ctx, tx); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// loadPlaces reads the district and oblast centres and the settlements, each
// linked to the index of its centres.
func (d *dataset) loadPlaces(ctx context.Context, tx pgx.Tx) error {
	dIdx, oIdx := map[int64]int{}, map[int64]int{}
	rows, err := tx.Query(ctx, `SELECT id, level, ST_X(centre), ST_Y(centre) FROM area WHERE level IN ('district','oblast') AND centre IS NOT NULL ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c centre
		var level string
		if err := rows.Scan(&c.areaID, &level, &c.pt[0], &c.pt[1]); err != nil {
			return err
		}
		if level == "district" {
			dIdx[c.areaID] = len(d.districtCentres)
			d.districtCentres = append(d.districtCentres, c)
		} else {
			oIdx[c.areaID] = len(d.oblastCentres)
			d.oblastCentres = append(d.oblastCentres, c)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}

	rows, err = tx.Query(ctx, `SELECT id, ST_X(geom), ST_Y(geom), coalesce(population, 0), place,
		coalesce(district_id, 0), coalesce(oblast_id, 0) FROM settlement ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s settlement
		if err := rows.Scan(&s.id, &s.pt[0], &s.pt[1], &s.pop, &s.place, &s.district, &s.oblast); err != nil {
			return err
		}
		s.districtC, s.oblastC = -1, -1
		if i, ok := dIdx[s.district]; ok {
			s.districtC = i
		}
		if i, ok := oIdx[s.oblast]; ok {
			s.oblastC = i
		}
		d.settlements = append(d.settlements, s)
	}
	return rows.Err()
}

// loadFacilities reads the facilities with their district and oblast.
func (d *dataset) loadFacilities(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT f.id, f.kind, coalesce(f.name, ''), coalesce(f.capacity::float8, 'NaN'), ST_X(f.geom), ST_Y(f.geom),
		coalesce(d.id, 0), coalesce(d.parent_id, 0)
		FROM facility f
		LEFT JOIN LATERAL (SELECT a.id, a.parent_id FROM area_part p JOIN area a ON a.id = p.area_id
		                   WHERE p.level = 'district' AND ST_Covers(p.geom, f.geom) LIMIT 1) d ON true
		ORDER BY f.id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var f facility
		if err := rows.Scan(&f.id, &f.kind, &f.name, &f.capacity, &f.pt[0], &f.pt[1], &f.district, &f.oblast); err != nil {
			return err
		}
		d.facilities = append(d.facilities, f)
	}
	return rows.Err()
}

// loadRoads reads the road network.
func (d *dataset) loadRoads(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT id, class, coalesce(paved, false), coalesce(speed_kmh, 0), oneway, ST_AsBinary(geom) FROM road ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r road
		g := wkb.Scanner(nil)
		if err := rows.Scan(&r.id, &r.class, &r.paved, &r.speed, &r.oneway, g); err != nil {
			return err
		}
		ls, ok := g.Geometry.(orb.LineString)
		if !ok {
			return fmt.Errorf("road %d: geometry %T, want LineString", r.id, g.Geometry)
		}
		r.line = ls
		d.roads = append(d.roads, r)
	}
	return rows.Err()
}
