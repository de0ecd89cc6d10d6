package compute_test

import (
	"context"
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

// TestSRSCostKept: the cost of meeting the standards is worked out once per
// question and baseline — the same question again is the kept answer, another
// question or a newer run a new one (SYNTHETIC syntheticTown).
func TestSRSCostKept(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	bs := compute.NewBaselines(s)
	a, err := bs.SRSCost(ctx, 0, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := bs.SRSCost(ctx, 0, "", "", map[string]int64{}); err != nil || again != a {
		t.Errorf("the same question again: %p, %v; want the kept answer %p", again, err, a)
	}
	other, err := bs.SRSCost(ctx, 5e8, "", "", nil)
	if err != nil || other == a || other.Plan.BudgetKZT != 5e8 {
		t.Errorf("with a budget: %p (budget %v), %v; want a new answer for it", other, other.Plan.BudgetKZT, err)
	}
	over, err := bs.SRSCost(ctx, 0, "", "", map[string]int64{"fap": 1e8})
	if err != nil || over == a {
		t.Errorf("with a unit cost overridden: %p, %v; want a new answer", over, err)
	}
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	newer, err := bs.SRSCost(ctx, 0, "", "", nil)
	if err != nil || newer == a || newer.Run.ID == a.Run.ID {
		t.Errorf("after a newer run: run %d (%p), %v; want an answer on the new run, not %d's", newer.Run.ID, newer, err, a.Run.ID)
	}
}
