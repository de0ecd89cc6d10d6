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
		{"defaults: 10 km as the crow flies stays 10 km; the time takes a 1.3 detour: 19.5 min", o, 10_000, 10, 19.5},
		{"half the speed, twice the time", slow, 10_000, 10, 39},
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

// The straight-line distance is the geodesic distance itself, and the
// estimated time never assumes a trip shorter than it (check refuses a
// circuity below 1).
func TestFallbackIsTheGeodesicDistance(t *testing.T) {
	pts := routetest.RandomPoints(7, 500)
	o := DefaultOptions()
	for i := 0; i+1 < len(pts); i++ {
		m := orbgeo.Distance(pts[i], pts[i+1])
		km, min := o.Fallback(m)
		if math.Abs(km*1000-m) > 1e-6 || min < m/1000/o.Speeds.FallbackKmh*60 {
			t.Fatalf("Fallback(%v m) = %v km, %v min: want the geodesic distance and at least its time", m, km, min)
		}
	}
}

func TestEstimateSaysHow(t *testing.T) {
	e := DefaultOptions().EstimateOf(79.04)
	if e.StraightKm != 79.04 || e.Detour != 1.3 || e.SpeedKmh != 40 {
		t.Fatalf("estimate %+v", e)
	}
	for _, tc := range []struct{ got, want string }{
		{e.How.EN, "estimated: 79.0 km in a straight line × 1.30 (detour factor of roads) at 40 km/h"},
		{e.How.RU, "оценка: 79,0 км по прямой × 1,30 (коэффициент извилистости дорог) при 40 км/ч"},
		{e.How.KK, "бағалау: түзу сызықпен 79,0 км × 1,30 (жолдың қисықтық коэффициенті), 40 км/сағ жылдамдықпен"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
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
