package access_test

import (
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// TestNearby asks the SYNTHETIC town what is near a few points.
func TestNearby(t *testing.T) {
	town := syntheticTown(true)
	nb, err := access.NewNearby(town.Facilities, town.Roads, access.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	sp := route.DefaultSpeeds()
	o := access.DefaultOptions()
	// From 60.2°E on the road, east to the school at its end, by great circles as the graph measures.
	east := (orbgeo.DistanceHaversine(orb.Point{60, 45}, orb.Point{61, 45}) - orbgeo.DistanceHaversine(orb.Point{60, 45}, orb.Point{60.2, 45})) / 1000
	track := orbgeo.DistanceHaversine(orb.Point{61, 45}, orb.Point{61, 45.5}) / 1000
	type want struct {
		kind   string
		id     int64
		km     float64
		method string
	}
	tests := []struct {
		name     string
		lon, lat float64
		want     []want
	}{
		{"on the road, 0.8° west of the school", 60.2, 45, []want{
			{"school", 1, east, access.Network},
			{"clinic", 2, east + track, access.Network},
			{"hospital", 2, east + track, access.Network},
		}},
		{"100 km south of every road: the straight-line rule", 61.9, 44.1, []want{
			{"school", 1, fb(o, orb.Point{61.9, 44.1}, orb.Point{61, 45}).km, access.StraightLine},
			{"clinic", 2, fb(o, orb.Point{61.9, 44.1}, orb.Point{61, 45.5}).km, access.StraightLine},
			{"hospital", 2, fb(o, orb.Point{61.9, 44.1}, orb.Point{61, 45.5}).km, access.StraightLine},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := nb.Report(tt.lon, tt.lat)
			if rep.Lon != tt.lon || rep.Lat != tt.lat || len(rep.Missing) != 0 || len(rep.Nearest) != 3 {
				t.Fatalf("report = %+v", rep)
			}
			by := map[string]access.PointNearest{}
			for _, n := range rep.Nearest {
				by[n.Kind] = n
			}
			for _, w := range tt.want {
				n := by[w.kind]
				if n.Facility == nil || n.Facility.ID != w.id || n.Method != w.method || !near(n.Km, w.km) {
					t.Errorf("%s = %+v, want facility %d at %.4f km by %s", w.kind, n, w.id, w.km, w.method)
				}
				if w.method == access.Network && (n.OffNetworkKm != 0 || !near(n.RouteKm, n.Km)) {
					t.Errorf("%s: %v km off the network, route %v km; want 0 and all of it", w.kind, n.OffNetworkKm, n.RouteKm)
				}
			}
			if n := by["school"]; n.Method == access.Network && !near(n.Min, n.Km/sp.Paved["primary"]*60) {
				t.Errorf("school: %v min at 80 km/h for %v km", n.Min, n.Km)
			}
		})
	}
}

func TestNearbyWithoutData(t *testing.T) {
	tests := []struct {
		name       string
		facilities []access.Facility
		roads      []route.Road
		missing    []string
	}{
		{"nothing loaded", nil, nil, []string{"school", "clinic", "hospital"}},
		{"roads only", nil, syntheticTown(true).Roads, []string{"school", "clinic", "hospital"}},
		{"schools only, no roads", syntheticTown(false).Facilities[:1], nil, []string{"clinic", "hospital"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := access.NewNearby(tt.facilities, tt.roads, access.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			rep := nb.Report(60.5, 45)
			if !slices.Equal(rep.Missing, tt.missing) || rep.LoadHint == "" || rep.Nearest == nil {
				t.Errorf("missing %v, hint %q, nearest %v; want %v, a hint, a list", rep.Missing, rep.LoadHint, rep.Nearest, tt.missing)
			}
			for _, n := range rep.Nearest {
				if n.Method != access.StraightLine || math.IsNaN(n.Km) {
					t.Errorf("%+v: want a straight-line answer", n)
				}
			}
		})
	}
}

// Nearby serves concurrent requests (run with -race).
func TestNearbyConcurrent(t *testing.T) {
	town := syntheticTown(true)
	nb, err := access.NewNearby(town.Facilities, town.Roads, access.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := nb.Report(60.3, 45.01)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := nb.Report(60.3, 45.01); got.Nearest[0].Km != want.Nearest[0].Km {
					t.Errorf("goroutine %d: %v km, want %v", i, got.Nearest[0].Km, want.Nearest[0].Km)
					return
				}
			}
		}()
	}
	wg.Wait()
}
