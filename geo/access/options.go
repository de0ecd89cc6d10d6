package access

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/lang"

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

// Fallback is the straight-line rule, the one answer for a trip that has no
// network route (the settlement or point is off the network, or no target is
// in its part of it). The distance is the geodesic distance, as
// geo.PointIndex measures it, and nothing else: flagged straight-line. The
// time is an estimate: that distance times Circuity (the detour a road
// makes), travelled at Speeds.FallbackKmh; flagged estimated, with how it was
// made (see Estimate).
func (o Options) Fallback(metres float64) (km, min float64) {
	km = metres / 1000
	return km, km * o.Circuity / o.Speeds.FallbackKmh * 60
}

// Estimate says how a travel time without a network route was made, in the
// words of the API and in kk/ru/en.
type Estimate struct {
	StraightKm float64   `json:"straight_km"` // the geodesic distance
	Detour     float64   `json:"detour"`      // times this factor for the road's detour
	SpeedKmh   float64   `json:"speed_kmh"`   // at this speed
	How        lang.Text `json:"how"`
}

// EstimateOf describes the estimated time of a trip whose geodesic
// distance is km, made by Fallback with these options.
func (o Options) EstimateOf(km float64) *Estimate {
	return NewEstimate(km, o.Circuity, o.Speeds.FallbackKmh)
}

// NewEstimate describes an estimated time: km of straight line, times
// detour, at kmh.
func NewEstimate(km, detour, kmh float64) *Estimate {
	f := func(v float64, digits int, comma bool) string {
		s := strconv.FormatFloat(v, 'f', digits, 64)
		if comma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	return &Estimate{StraightKm: km, Detour: detour, SpeedKmh: kmh, How: lang.Text{
		KK: fmt.Sprintf("бағалау: түзу сызықпен %s км × %s (жолдың қисықтық коэффициенті), %s км/сағ жылдамдықпен", f(km, 1, true), f(detour, 2, true), f(kmh, 0, true)),
		RU: fmt.Sprintf("оценка: %s км по прямой × %s (коэффициент извилистости дорог) при %s км/ч", f(km, 1, true), f(detour, 2, true), f(kmh, 0, true)),
		EN: fmt.Sprintf("estimated: %s km in a straight line × %s (detour factor of roads) at %s km/h", f(km, 1, false), f(detour, 2, false), f(kmh, 0, false)),
	}}
}

// FallbackRadius is the geodesic distance whose estimated time (see
// Fallback) is minutes: the catchment of a facility when there is no road
// network.
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
