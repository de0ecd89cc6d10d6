package level

import (
	"fmt"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		use  Filter
		want Level
		msg  string
	}{
		{"district", Mapped, District, ""},
		{"agglomeration", Any, Agglomeration, ""},
		{"agglomeration", Mapped, "", `level "agglomeration" unknown: want district, oblast or macroregion`},
		{"macroregion", Disparity, "", `level "macroregion" unknown: want district or oblast`},
		{"District", Any, "", `level "District" unknown: want district, oblast, macroregion, agglomeration or country`},
		{"", Any, "", `level "" unknown: want district, oblast, macroregion, agglomeration or country`},
	} {
		got, err := Parse(tc.in, tc.use)
		if tc.msg == "" {
			if err != nil || got != tc.want {
				t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		if errs.KindOf(err) != errs.Invalid || errs.Message(err) != tc.msg {
			t.Errorf("Parse(%q): %v %q, want invalid %q", tc.in, errs.KindOf(err), errs.Message(err), tc.msg)
		}
	}
}

func TestEveryLevelHasALayerOrIsNotMapped(t *testing.T) {
	for _, i := range All() {
		if i.Title.KK == "" || i.Title.RU == "" || i.Title.EN == "" {
			t.Errorf("%s: title missing", i.Name)
		}
		if i.Map && i.Layer == "" {
			t.Errorf("%s is mapped but has no tile layer", i.Name)
		}
	}
}

func ExampleParse() {
	l, _ := Parse("oblast", Disparity)
	info, _ := Lookup(l)
	fmt.Println(l, info.Layer, info.Title.Label("kk"))
	// Output: oblast oblasts Облыс
}
