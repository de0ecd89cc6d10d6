package indicator

import (
	"fmt"
	"testing"

	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
)

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range All() {
		if seen[in.Name] {
			t.Errorf("%s listed twice", in.Name)
		}
		seen[in.Name] = true
		if in.Title.KK == "" || in.Title.RU == "" || in.Title.EN == "" || in.Description.EN == "" || in.Unit == "" || len(in.Levels) == 0 || in.Aggregation == "" {
			t.Errorf("%s: incomplete entry %+v", in.Name, in)
		}
		switch in.Direction {
		case HigherBetter, LowerBetter, Neutral:
		default:
			t.Errorf("%s: direction %q", in.Name, in.Direction)
		}
		switch in.Aggregation {
		case Mean, Median, ShareWithin, ShareBeyond:
			if _, ok := in.Settlement(); !ok {
				t.Errorf("%s: made from %q, not a settlement indicator", in.Name, in.Of)
			}
		}
		if (in.Aggregation == ShareWithin || in.Aggregation == ShareBeyond) && (in.Limit <= 0 || in.Unit != "share") {
			t.Errorf("%s: a share needs a positive limit and the unit share", in.Name)
		}
	}
	// Every aggregated settlement indicator has its mean and median here.
	for _, s := range Settlements() {
		if !identifier.MatchString(s.Name) || s.Title.EN == "" || s.Description == "" || s.Unit == "" {
			t.Errorf("%s: incomplete settlement entry", s.Name)
		}
		if s.Routing == Routed && s.Target == "" {
			t.Errorf("%s: routed without a target", s.Name)
		}
		if len(s.Colors) > 0 && len(s.Colors) != len(s.Breaks)+1 {
			t.Errorf("%s: %d colours for %d breaks", s.Name, len(s.Colors), len(s.Breaks))
		}
		for _, suffix := range []string{"_mean", "_median"} {
			if s.Aggregate != seen[s.Name+suffix] {
				t.Errorf("%s%s: in the area catalogue %v, aggregated %v", s.Name, suffix, seen[s.Name+suffix], s.Aggregate)
			}
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, indicator, level string
		use                    level.Filter
		kind                   errs.Kind
		msg                    string
	}{
		{"ok", "school_km_mean", "district", level.Mapped, 0, ""},
		{"unknown indicator", "nope", "district", level.Any, errs.NotFound, `indicator "nope" unknown: see /api/indicators`},
		{"missing indicator", "", "district", level.Any, errs.Invalid, "indicator is required: see /api/indicators"},
		{"unknown level", "school_km_mean", "nope", level.Mapped, errs.Invalid, `level "nope" unknown: want district, oblast or macroregion`},
		{"level not for the use", "school_km_mean", "macroregion", level.Disparity, errs.Invalid, `level "macroregion" unknown: want district or oblast`},
		{"indicator not at level", "schools_per_10k_stats", "district", level.Mapped, errs.Invalid, "indicator schools_per_10k_stats exists at levels oblast, country, not district"},
		{"long value shortened", "x123456789012345678901234567890123456789012345", "district", level.Any, errs.NotFound, `indicator "x123456789012345678901234567890123456789…" unknown: see /api/indicators`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseAt(tc.indicator, tc.level, tc.use)
			if tc.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if errs.KindOf(err) != tc.kind || errs.Message(err) != tc.msg {
				t.Errorf("got %v %q, want %v %q", errs.KindOf(err), errs.Message(err), tc.kind, tc.msg)
			}
		})
	}
}

func ExampleLookup() {
	in, _ := Lookup("district_centre_km_mean")
	fmt.Println(in.Unit, in.Direction, in.Title.Label("ru"))
	// Output: km lower-better Расстояние до районного центра, средневзвешенное по населению
}

func ExampleParse() {
	_, err := Parse("school_km")
	fmt.Println(errs.KindOf(err), errs.Message(err))
	// Output: not found indicator "school_km" unknown: see /api/indicators
}
