package classify

import (
	"slices"
	"strings"
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
	if m, err := ParseMethod(""); err != nil || m != MethodAuto {
		t.Errorf(`ParseMethod("") = %q, %v`, m, err)
	}
	_, err := ParseMethod("kmeans")
	if errs.KindOf(err) != errs.Invalid || errs.Message(err) != `method "kmeans" unknown: want auto, jenks, quantile, equal, headtail or manual` {
		t.Errorf("ParseMethod(kmeans): %v", err)
	}
}

// TestAuto: a heavily skewed indicator (SYNTHETIC: 200 rural districts near
// 2 people/km² and a few cities in the thousands, like density) gets head/tail
// breaks or quantiles and a legend that says why; a symmetric one natural
// breaks (issue 10.2).
func TestAuto(t *testing.T) {
	var skewed []float64
	for i := range 200 {
		skewed = append(skewed, 1+float64(i%7)*0.5)
	}
	skewed = append(skewed, 150, 400, 900, 2500, 3600)
	c, err := ForMap(MethodAuto, skewed, 7, nil, "neutral")
	if err != nil {
		t.Fatal(err)
	}
	if (c.Method != MethodHeadTail && c.Method != MethodQuantile) || len(c.Messages) == 0 || !strings.HasPrefix(c.Messages[0].Code, "classify.auto_") || c.Messages[0].Code == "classify.auto_jenks" {
		t.Errorf("skewed: method %s, messages %+v", c.Method, c.Messages)
	}
	jenks, _ := ForMap(MethodJenks, skewed, 7, nil, "neutral")
	if c.Counts[0] >= jenks.Counts[0] {
		t.Errorf("auto puts %d of 205 areas in the first class, natural breaks %d: want fewer", c.Counts[0], jenks.Counts[0])
	}
	var even []float64
	for i := range 100 {
		even = append(even, float64(i%10)+float64(i)/100)
	}
	c, err = ForMap(MethodAuto, even, 5, nil, "neutral")
	if err != nil || c.Method != MethodJenks || c.Messages[0].Code != "classify.auto_jenks" {
		t.Errorf("symmetric: %s %+v %v", c.Method, c.Messages, err)
	}
}

// TestNoDegenerateClasses: equal intervals over a skewed indicator leave
// classes empty (a legend row with 0 areas); the map merges them into their
// neighbours and says so (issue 10.2).
func TestNoDegenerateClasses(t *testing.T) {
	var vs []float64
	for i := range 60 {
		vs = append(vs, 1+float64(i%5))
	}
	vs = append(vs, 90, 100)
	plain, err := EqualInterval(vs, 7)
	if err != nil || !slices.Contains(plain.Counts, 0) {
		t.Fatalf("the fixture should leave an empty class: %v %v", plain.Counts, err)
	}
	c, err := ForMap(MethodEqual, vs, 7, nil, "lower-better")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < c.K(); i++ {
		if c.Bounds[i+1] <= c.Bounds[i] || c.Counts[i] == 0 {
			t.Errorf("class %d [%v, %v] with %d values", i, c.Bounds[i], c.Bounds[i+1], c.Counts[i])
		}
	}
	if c.K() >= 7 || len(c.Colors) != c.K() || len(c.Messages) == 0 || c.Messages[len(c.Messages)-1].Code != "classify.merged_classes" {
		t.Errorf("%d classes, %d colours, messages %+v", c.K(), len(c.Colors), c.Messages)
	}
}
