package indicator

import (
	"fmt"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
)

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range All() {
		if seen[in.Name] {
			t.Errorf("%s listed twice", in.Name)
		}
		seen[in.Name] = true
		if in.Title.KK == "" || in.Title.RU == "" || in.Title.EN == "" || in.Description.EN == "" || in.Unit == "" || len(in.Levels) == 0 {
			t.Errorf("%s: incomplete entry %+v", in.Name, in)
		}
		switch in.Direction {
		case HigherBetter, LowerBetter, Neutral:
		default:
			t.Errorf("%s: direction %q", in.Name, in.Direction)
		}
	}
	// Every settlement indicator compute aggregates has its mean and median here.
	for _, s := range access.SettlementIndicators {
		for _, suffix := range []string{"_mean", "_median"} {
			if !seen[s.Name+suffix] {
				t.Errorf("%s%s missing from the catalogue", s.Name, suffix)
			}
		}
	}
}

func ExampleLookup() {
	in, _ := Lookup("district_centre_km_mean")
	fmt.Println(in.Unit, in.Direction, in.Title.Label("ru"))
	// Output: km lower-better Расстояние до районного центра, средневзвешенное по населению
}
