package compute_test

import (
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
)

// The costing prices every level from its own row, and an override reaches
// the prices; a bad override names its key.
func TestPrices(t *testing.T) {
	tab, err := compute.UnitCosts(map[string]int64{"fap": 123})
	if err != nil {
		t.Fatal(err)
	}
	p, err := compute.Prices(tab)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{p.SchoolPlaceRural.Key, p.SchoolPlaceUrban.Key, p.Health[0].Key, p.Health[1].Key, p.Health[2].Key, p.Health[3].Key,
		p.Health[4].Key, p.PolyclinicUrban.Key, p.PaveRoad.Key, p.NewRoad.Key}
	want := []string{"school_place_rural", "school_place_urban", "medical_post", "fap", "ambulatory", "phc_centre", "", "polyclinic_urban",
		"road_km_pave_gravel", "road_km_asphalt_new"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("price rows %v; want %v", got, want)
	}
	if p.Health[1].KZT != 123 || p.Health[0].KZT != 145e6 || p.Health[4].KZT != 0 || p.SchoolPlacesRural != 300 || p.SchoolPlacesUrban != 1200 {
		t.Errorf("prices %+v; want the FAP overridden to 123, the medical post 145 mln, no hospital price, schools of 300 and 1,200 places", p)
	}
	if _, err := compute.UnitCosts(map[string]int64{"helipad": 1}); err == nil || !strings.Contains(err.Error(), "helipad") {
		t.Errorf("unknown key: error %v; want one naming helipad", err)
	}
}
