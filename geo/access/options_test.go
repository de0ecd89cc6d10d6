package access

import (
	"math"
	"testing"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
	orbgeo "github.com/paulmach/orb/geo"
)

func TestFallback(t *testing.T) {
	o := DefaultOptions()
	if o.Circuity != 1.3 || o.Speeds.FallbackKmh != 40 || o.MaxSnapMetres != 5000 {
		t.Fatalf("defaults: circuity %v, %v km/h, snap %v m; want 1.3, 40, 5000", o.Circuity, o.Speeds.FallbackKmh, o.MaxSnapMetres)
	}
	slow := o
	slow.Speeds.FallbackKmh = 20
	straight := o
	straight.Circuity = 1
	tests := []struct {
		name    string
		o       Options
		metres  float64
		km, min float64
	}{
		{"defaults: 10 km as the crow flies is 13 km, 19.5 min", o, 10_000, 13, 19.5},
		{"half the speed, twice the time", slow, 10_000, 13, 39},
		{"circuity 1: the geodesic distance itself", straight, 10_000, 10, 15},
		{"no distance", o, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			km, min := tt.o.Fallback(tt.metres)
			if math.Abs(km-tt.km) > 1e-12 || math.Abs(min-tt.min) > 1e-12 {
				t.Errorf("Fallback(%v) = %v km, %v min; want %v km, %v min", tt.metres, km, min, tt.km, tt.min)
			}
			// The catchment radius is the rule read backwards.
			if tt.metres > 0 {
				if r := tt.o.FallbackRadius(tt.min); math.Abs(r-tt.metres) > 1e-9 {
					t.Errorf("FallbackRadius(%v) = %v m, want %v", tt.min, r, tt.metres)
				}
			}
		})
	}
}

// The straight-line rule never gives less than the geodesic distance, which
// check guarantees by refusing a circuity below 1.
func TestFallbackNeverBelowGeodesic(t *testing.T) {
	pts := routetest.RandomPoints(7, 500)
	o := DefaultOptions()
	for i := 0; i+1 < len(pts); i++ {
		m := orbgeo.Distance(pts[i], pts[i+1])
		if km, _ := o.Fallback(m); km*1000 < m {
			t.Fatalf("Fallback(%v m) = %v km, below the geodesic distance", m, km)
		}
	}
}

func TestOptionsCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *Options)
		ok     bool
	}{
		{"defaults", func(*Options) {}, true},
		{"circuity 1", func(o *Options) { o.Circuity = 1 }, true},
		{"circuity below 1", func(o *Options) { o.Circuity = 0.9 }, false},
		{"circuity NaN", func(o *Options) { o.Circuity = math.NaN() }, false},
		{"no straight-line speed", func(o *Options) { o.Speeds.FallbackKmh = 0 }, false},
		{"infinite straight-line speed", func(o *Options) { o.Speeds.FallbackKmh = math.Inf(1) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultOptions()
			tt.change(&o)
			if err := o.check(); (err == nil) != tt.ok {
				t.Errorf("check() = %v, want ok %v", err, tt.ok)
			}
			if _, err := Compute(&Input{}, o, nil); (err == nil) != tt.ok {
				t.Errorf("Compute: %v, want ok %v", err, tt.ok)
			}
			if _, err := NewNearby(nil, []route.Road{}, o); (err == nil) != tt.ok {
				t.Errorf("NewNearby: %v, want ok %v", err, tt.ok)
			}
		})
	}
}
