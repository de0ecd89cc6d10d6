package access

import (
	"fmt"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
)

// Nearby answers "what is near this point" for any point, not only a
// settlement: the nearest school, health facility and hospital, over the road
// network when the point and a facility are on it, else by the straight-line
// rule (flagged). It holds the graph and one multi-source field per facility
// set, so a query costs a snap and a lookup, not a search. It is safe for
// concurrent use.
type Nearby struct {
	o     Options
	net   *network // nil without roads
	kinds []nearbyKind
}

type nearbyKind struct {
	name  string
	field *route.Field // nil when no facility of the set is on the network
	refs  []FacilityRef
	ix    *geo.PointIndex
}

// NewNearby builds the graph of roads and searches once from the facilities
// of each set.
func NewNearby(facilities []Facility, roads []route.Road, o Options) (_ *Nearby, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("access.NewNearby(%d facilities, %d roads): %w", len(facilities), len(roads), err)
		}
	}()
	if err := o.check(); err != nil {
		return nil, err
	}
	nb := &Nearby{o: o}
	if len(roads) > 0 {
		if nb.net, err = newNetwork(&Input{Facilities: facilities, Roads: roads}, o); err != nil {
			return nil, err
		}
	}
	for _, set := range []FacilitySet{Schools, Clinics, Hospitals} {
		k := nearbyKind{name: set.Name}
		var pts []orb.Point
		var src []route.Source
		for _, f := range facilities {
			if !set.Has(f.Kind) {
				continue
			}
			k.refs = append(k.refs, FacilityRef{ID: f.ID, Kind: f.Kind, Name: f.Name, Lon: f.Point[0], Lat: f.Point[1]})
			pts = append(pts, f.Point)
			if nb.net != nil {
				if s, ok := nb.net.snap(f.Point); ok {
					src = append(src, route.Source{Snap: s, ID: int64(len(k.refs) - 1)})
				}
			}
		}
		k.ix = geo.NewPointIndex(pts)
		if len(src) > 0 {
			k.field = nb.net.g.MultiSource(src, route.ByTime, o.Speeds)
		}
		nb.kinds = append(nb.kinds, k)
	}
	return nb, nil
}

// Report returns the nearest facility of each set from lon, lat; the sets
// with no facility at all are listed as missing.
func (nb *Nearby) Report(lon, lat float64) *PointReport {
	p := orb.Point{lon, lat}
	rep := &PointReport{Lon: lon, Lat: lat, Nearest: []PointNearest{}}
	var snap route.Snap
	snapped := false
	if nb.net != nil {
		snap, snapped = nb.net.sn.Snap(p, nb.o.MaxSnapMetres)
	}
	for _, k := range nb.kinds {
		if len(k.refs) == 0 {
			rep.Missing = append(rep.Missing, k.name)
			continue
		}
		if snapped && k.field != nil {
			if re := k.field.At(nb.net.g, snap, nb.o.Speeds); re.OK {
				ref := k.refs[re.SourceID]
				rep.Nearest = append(rep.Nearest, PointNearest{Kind: k.name, Facility: &ref, Km: re.Metres / 1000, Min: re.Secs / 60,
					Method: Network, RouteKm: (re.Metres - snap.OffMetres) / 1000, OffNetworkKm: snap.OffMetres / 1000})
				continue
			}
		}
		j, m := k.ix.Nearest(p, nil)
		ref := k.refs[j]
		km, min := nb.o.Fallback(m)
		rep.Nearest = append(rep.Nearest, PointNearest{Kind: k.name, Facility: &ref, Km: km, Min: min, Method: StraightLine, Estimate: nb.o.EstimateOf(km)})
	}
	if len(rep.Missing) > 0 {
		rep.LoadHint = LoadHint
	}
	return rep
}
