package reference

import "testing"

func TestGroupsPartitionOblasts(t *testing.T) {
	gs, err := Groups()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, g := range gs {
		for _, code := range append(append([]string{}, g.Oblasts...), g.Districts...) {
			if prev, dup := seen[code]; dup {
				t.Errorf("%s listed in both %s and %s", code, prev, g.Code)
			}
			seen[code] = g.Code
		}
	}
	rs, err := Regions()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Kind == "country" {
			continue
		}
		if _, ok := seen[r.KATO]; !ok {
			t.Errorf("region %s (%s) belongs to no group", r.NameEN, r.KATO)
		}
	}
	if len(gs) != 6 {
		t.Errorf("got %d groups, want 4 macroregions + 2 agglomerations", len(gs))
	}
}
