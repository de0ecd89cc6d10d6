package access

import (
	"fmt"
	"math"
	"testing"
)

func TestCheckSRS(t *testing.T) {
	nan := math.NaN()
	yes, no := true, false
	tests := []struct {
		name                 string
		s                    SRSFigures
		health, school, road *bool
		score                float64 // NaN: nil
	}{
		{"hamlet: nothing applies to health or road", SRSFigures{Population: 30, SchoolKm: 1, PavedRoadKm: 9}, nil, nil, nil, nan},
		{"village of 300 with a medical post 1 km away", SRSFigures{Population: 300, SchoolKm: 5, HealthKm: map[HealthLevel]float64{MedicalPost: 1}, PavedRoadKm: 9},
			&yes, &no, nil, 0.5},
		{"village of 800 needs a FAP, has only a medical post", SRSFigures{Population: 800, SchoolKm: 2, HealthKm: map[HealthLevel]float64{MedicalPost: 0.5, FeldsherPost: 12}, PavedRoadKm: 0.2},
			&no, &yes, &yes, 2.0 / 3},
		{"no facility data: only the road is checked", SRSFigures{Population: 800, SchoolKm: nan, PavedRoadKm: 3}, nil, nil, &no, 0},
		{"nothing known", SRSFigures{Population: 800, SchoolKm: nan, PavedRoadKm: nan}, nil, nil, nil, nan},
		{"town of 20,000 with a polyclinic 4 km away", SRSFigures{Population: 20000, Place: "town", SchoolKm: 1, HealthKm: map[HealthLevel]float64{PrimaryCentre: 4}, PavedRoadKm: 0},
			&yes, &yes, &yes, 1},
	}
	eq := func(a, b *bool) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CheckSRS(tt.s)
			if !eq(c.Health, tt.health) || !eq(c.School, tt.school) || !eq(c.Road, tt.road) {
				t.Errorf("health/school/road = %v/%v/%v, want %v/%v/%v", show(c.Health), show(c.School), show(c.Road), show(tt.health), show(tt.school), show(tt.road))
			}
			if math.IsNaN(tt.score) != (c.Score == nil) || (c.Score != nil && math.Abs(*c.Score-tt.score) > 1e-12) {
				t.Errorf("score = %v, want %v", showF(c.Score), tt.score)
			}
		})
	}
}

func show(b *bool) string {
	if b == nil {
		return "n/a"
	}
	return fmt.Sprint(*b)
}

func showF(f *float64) string {
	if f == nil {
		return "n/a"
	}
	return fmt.Sprint(*f)
}

func TestRequiredHealth(t *testing.T) {
	for pop, want := range map[int]HealthLevel{0: NoHealth, 49: NoHealth, 50: MedicalPost, 499: MedicalPost, 500: FeldsherPost,
		1499: FeldsherPost, 1500: Ambulatory, 4999: Ambulatory, 5000: PrimaryCentre, 29999: PrimaryCentre, 30000: Hospital} {
		if got := RequiredHealth(pop); got != want {
			t.Errorf("RequiredHealth(%d) = %d, want %d", pop, got, want)
		}
	}
}

func TestSummarise(t *testing.T) {
	s := Summarise([]Value{{1, 100}, {2, 100}, {10, 50}, {math.NaN(), 1000}, {7, 0}})
	if s.Population != 250 || s.Count != 3 {
		t.Fatalf("population/count = %v/%d, want 250/3", s.Population, s.Count)
	}
	if want := (100 + 200 + 500) / 250.0; math.Abs(s.Mean-want) > 1e-12 {
		t.Errorf("mean = %v, want %v", s.Mean, want)
	}
	if s.Median != 2 { // cumulative 100, 200 ≥ 125
		t.Errorf("median = %v, want 2", s.Median)
	}
	if e := Summarise(nil); !math.IsNaN(e.Mean) || !math.IsNaN(e.Median) {
		t.Errorf("empty summary = %+v, want NaN", e)
	}
	if got := ShareWithin([]Value{{1, 100}, {5, 300}, {math.NaN(), 50}}, 3); got != 0.25 {
		t.Errorf("ShareWithin = %v, want 0.25", got)
	}
}

func TestTwoStepFCA(t *testing.T) {
	// Two schools of 100 places; settlement 0 (1000 people) reaches both,
	// settlement 1 (1000 people) only school 1.
	supply := []float64{100, 100}
	pop := []float64{1000, 1000}
	pairs := []Pair{{0, 0}, {1, 0}, {1, 1}}
	got := TwoStepFCA(supply, pop, pairs, 1000)
	// R0 = 100/1000 = 0.1; R1 = 100/2000 = 0.05 → A0 = 150, A1 = 50 per 1000.
	if math.Abs(got[0]-150) > 1e-9 || math.Abs(got[1]-50) > 1e-9 {
		t.Errorf("2SFCA = %v, want [150 50]", got)
	}
	// Supply is conserved: Σ A_i · pop_i / per = Σ supply of reached facilities.
	total := (got[0]*pop[0] + got[1]*pop[1]) / 1000
	if math.Abs(total-200) > 1e-9 {
		t.Errorf("2SFCA distributes %v places, want 200", total)
	}
}

func ExampleCheckSRS() {
	c := CheckSRS(SRSFigures{Population: 800, SchoolKm: 4.2, HealthKm: map[HealthLevel]float64{FeldsherPost: 0.4}, PavedRoadKm: 0.3})
	fmt.Println(*c.Health, *c.School, *c.Road, *c.Score)
	// Output: true false true 0.6666666666666666
}
