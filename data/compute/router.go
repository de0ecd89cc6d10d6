package compute

import (
	"context"
	"sync"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
)

// Router answers "what is near this point" for the API: the nearest school,
// health facility and hospital from any point, over the road network when the
// point and a facility are on it, else by straight line (flagged). It holds the
// graph and one precomputed multi-source field per facility kind, so a query
// costs a snap and a lookup, not a search. It reloads itself when the data
// changed (checked at most every RefreshEvery).
type Router struct {
	pool *pgxpool.Pool
	o    Options

	mu      sync.Mutex
	checked time.Time
	gen     int64
	st      *routerState
}

// RefreshEvery bounds how often the router asks the database whether the data changed.
const RefreshEvery = 30 * time.Second

type routerState struct {
	net   *network // nil without roads
	kinds []routerKind
}

type routerKind struct {
	name  string
	field *route.Field
	refs  []access.FacilityRef
	ix    *geo.PointIndex
}

// NewRouter returns a router over the database; it loads on first use.
func NewRouter(pool *pgxpool.Pool, o Options) *Router { return &Router{pool: pool, o: o} }

func (r *Router) state(ctx context.Context) (*routerState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.st != nil && time.Since(r.checked) < RefreshEvery {
		return r.st, nil
	}
	var gen int64
	if err := r.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM import_run`).Scan(&gen); err != nil {
		return nil, postgis.Unavailable(ctx, err)
	}
	r.checked = time.Now()
	if r.st != nil && gen == r.gen {
		return r.st, nil
	}
	st, err := r.load(ctx)
	if err != nil {
		return nil, err
	}
	r.st, r.gen = st, gen
	return st, nil
}

func (r *Router) load(ctx context.Context) (*routerState, error) {
	tx, err := r.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, postgis.Unavailable(ctx, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	// The router answers from facilities over roads: no settlements or centres.
	d := &dataset{}
	if err := d.loadFacilities(ctx, tx); err != nil {
		return nil, postgis.Unavailable(ctx, err)
	}
	if err := d.loadRoads(ctx, tx); err != nil {
		return nil, postgis.Unavailable(ctx, err)
	}
	st := &routerState{}
	if len(d.roads) > 0 {
		if st.net, err = newNetwork(d, r.o); err != nil {
			return nil, err
		}
	}
	for _, set := range []access.FacilitySet{access.Schools, access.Clinics, access.Hospitals} {
		rk := routerKind{name: set.Name}
		var pts []orb.Point
		var src []route.Source
		for _, f := range d.facilities {
			if !set.Has(f.kind) {
				continue
			}
			rk.refs = append(rk.refs, access.FacilityRef{ID: f.id, Kind: f.kind, Name: f.name, Lon: f.pt[0], Lat: f.pt[1]})
			pts = append(pts, f.pt)
			if st.net != nil {
				if s, ok := st.net.snap(f.pt); ok {
					src = append(src, route.Source{Snap: s, ID: int64(len(rk.refs) - 1)})
				}
			}
		}
		rk.ix = geo.NewPointIndex(pts)
		if len(src) > 0 {
			rk.field = st.net.g.MultiSource(src, route.ByTime, r.o.Speeds)
		}
		st.kinds = append(st.kinds, rk)
	}
	return st, nil
}

// PointAccess returns the nearest facility of each kind from lon, lat.
func (r *Router) PointAccess(ctx context.Context, lon, lat float64) (*access.PointReport, error) {
	st, err := r.state(ctx)
	if err != nil {
		return nil, err
	}
	p := orb.Point{lon, lat}
	rep := &access.PointReport{Lon: lon, Lat: lat, Nearest: []access.PointNearest{}}
	var snap route.Snap
	snapped := false
	if st.net != nil {
		snap, snapped = st.net.sn.Snap(p, r.o.MaxSnapMetres)
	}
	for _, k := range st.kinds {
		if len(k.refs) == 0 {
			rep.Missing = append(rep.Missing, k.name)
			continue
		}
		if snapped && k.field != nil {
			if re := k.field.At(st.net.g, snap, r.o.Speeds); re.OK {
				ref := k.refs[re.SourceID]
				rep.Nearest = append(rep.Nearest, access.PointNearest{Kind: k.name, Facility: &ref, Km: re.Metres / 1000, Min: re.Secs / 60,
					Method: "network", RouteKm: (re.Metres - snap.OffMetres) / 1000, OffNetworkKm: snap.OffMetres / 1000})
				continue
			}
		}
		j, m := k.ix.Nearest(p, nil)
		ref := k.refs[j]
		km := m * r.o.Circuity / 1000
		rep.Nearest = append(rep.Nearest, access.PointNearest{Kind: k.name, Facility: &ref, Km: km, Min: km / r.o.FallbackKmh * 60, Method: "straight-line"})
	}
	if len(rep.Missing) > 0 {
		rep.LoadHint = access.LoadHint
	}
	return rep, nil
}
