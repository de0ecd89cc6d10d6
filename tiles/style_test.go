package tiles

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/indicator"
)

func TestStyle(t *testing.T) {
	in, _ := indicator.Lookup("population_density")
	st, err := Style(StyleOptions{Indicator: in, Level: "district", Method: "jenks", Bounds: []float64{0, 1, 10, 100}, Colors: []string{"#eeeeee", "#888888", "#111111"},
		Counts: []int{5, 6, 7}, BaseURL: "http://example.test", Lang: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(st)
	s := string(b)
	for _, want := range []string{`"url":"http://example.test/tiles/districts.json"`, `"step",["to-number",["get","population_density"]],"#eeeeee",1,"#888888",10,"#111111"`,
		`"glyphs":"http://example.test/fonts/{fontstack}/{range}.pbf"`, `"name_ru"`, `"aimaq:legend"`, `"count":7`} {
		if !strings.Contains(s, want) {
			t.Errorf("style lacks %s:\n%s", want, s)
		}
	}
	if _, err := Style(StyleOptions{Indicator: in, Level: "planet", Bounds: []float64{0, 1}, Colors: []string{"#000000"}}); err == nil {
		t.Error("level planet accepted")
	}
	if _, err := Style(StyleOptions{Indicator: in, Level: "oblast", Bounds: []float64{0, 1}, Colors: []string{"#000000", "#ffffff"}}); err == nil {
		t.Error("2 colours with 2 bounds accepted")
	}
}

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{1234.5: "1234", 12.34: "12.3", 1.234: "1.23", 0.1234: "0.123", 0.5: "0.5", 0: "0"} {
		if got := FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}
