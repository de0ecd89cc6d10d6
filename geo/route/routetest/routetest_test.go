package routetest_test

import (
	"reflect"
	"testing"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
)

func TestSyntheticCountry(t *testing.T) {
	pts := routetest.RandomPoints(2, 100)
	roads := routetest.SyntheticCountry(1, pts, 50_000)
	if !reflect.DeepEqual(roads, routetest.SyntheticCountry(1, pts, 50_000)) {
		t.Error("the same seed gave other roads")
	}
	if reflect.DeepEqual(roads, routetest.SyntheticCountry(2, pts, 50_000)) {
		t.Error("another seed gave the same roads")
	}
	g, err := route.Build(roads, route.DefaultSpeeds())
	if err != nil {
		t.Fatal(err)
	}
	if n := g.Nodes(); n < 40_000 || n > 60_000 {
		t.Errorf("%d nodes; want about 50,000", n)
	}
}
