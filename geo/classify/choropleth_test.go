package classify

import (
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
)

func TestForMap(t *testing.T) {
	// Six groups with three distinct values, seven classes asked: one class per value, said in a note.
	c, err := ForMap(MethodJenks, []float64{1, 1, 2, 2, 5, 5}, 7, nil, "lower-better")
	if err != nil {
		t.Fatal(err)
	}
	if c.K() != 3 || len(c.Colors) != 3 || len(c.Notes) != 1 || c.Notes[0] != "only 3 distinct values: 3 classes, one per value" {
		t.Errorf("got %d classes, colours %v, notes %q", c.K(), c.Colors, c.Notes)
	}
	if _, err := ForMap(MethodJenks, []float64{4, 4, 4}, 5, nil, "neutral"); err == nil {
		t.Error("one distinct value: want an error")
	}
	c, err = ForMap(MethodQuantile, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, nil, "higher-better")
	if err != nil || c.K() != 5 || len(c.Notes) != 0 || c.Ramp == "" {
		t.Errorf("quantile: %+v, %v", c, err)
	}
}

func TestParseMethod(t *testing.T) {
	if m, err := ParseMethod(""); err != nil || m != MethodJenks {
		t.Errorf(`ParseMethod("") = %q, %v`, m, err)
	}
	_, err := ParseMethod("kmeans")
	if errs.KindOf(err) != errs.Invalid || errs.Message(err) != `method "kmeans" unknown: want jenks, quantile, equal, headtail or manual` {
		t.Errorf("ParseMethod(kmeans): %v", err)
	}
}
