package access

import (
	"fmt"
	"math"

	"github.com/aimaq/aimaq/geo/route"
)

// Options are the parameters of a computation; a compute run stores them.
type Options struct {
	// Speeds are the travel speeds over the road network. Its FallbackKmh is
	// the speed of the straight-line rule (see Fallback).
	Speeds route.Speeds
	// MaxSnapMetres: a settlement, facility or point farther than this from
	// any road is not on the network, and its figures fall back to the
	// straight-line rule.
	MaxSnapMetres float64
	// Circuity is the ratio of road to straight-line distance the
	// straight-line rule assumes.
	Circuity float64
}

// DefaultOptions: a settlement more than 5 km from any road is not on the
// network; the straight-line rule takes route's defaults, a circuity of
// route.DefaultCircuity (1.3, where its source is cited) at the FallbackKmh of
// route.DefaultSpeeds (40 km/h, a mix of rural roads and tracks).
func DefaultOptions() Options {
	return Options{Speeds: route.DefaultSpeeds(), MaxSnapMetres: 5000, Circuity: route.DefaultCircuity}
}

// Fallback is the straight-line rule, the one estimate of a trip that has no
// network route (the settlement or point is off the network, or no target is
// in its part of it): the geodesic distance in metres, as geo.PointIndex
// measures it, times Circuity, travelled at Speeds.FallbackKmh. Figures made
// by it are flagged straight-line.
func (o Options) Fallback(metres float64) (km, min float64) {
	km = metres * o.Circuity / 1000
	return km, km / o.Speeds.FallbackKmh * 60
}

// FallbackRadius is the geodesic distance the straight-line rule covers in
// minutes: the catchment of a facility when there is no road network.
func (o Options) FallbackRadius(minutes float64) (metres float64) {
	return minutes / 60 * o.Speeds.FallbackKmh * 1000 / o.Circuity
}

// check refuses options the straight-line rule cannot use: a circuity below
// 1 would make an estimate shorter than the geodesic distance.
func (o Options) check() error {
	if !(o.Circuity >= 1) || math.IsInf(o.Circuity, 0) {
		return fmt.Errorf("access: circuity %v: want a finite number ≥ 1", o.Circuity)
	}
	if kmh := o.Speeds.FallbackKmh; !(kmh > 0) || math.IsInf(kmh, 0) {
		return fmt.Errorf("access: straight-line speed %v km/h: want a positive finite speed", kmh)
	}
	return nil
}
