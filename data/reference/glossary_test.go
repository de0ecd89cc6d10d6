package reference_test

import (
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/aimaq/aimaq/geo/indicator"
)

// TestGlossary: every term has its three languages and a source, and the
// catalogue uses the glossary's terms where the glossary fixes one — above
// all, no Kazakh title of a school figure reads as "preschool" (issue 10.3).
func TestGlossary(t *testing.T) {
	terms, err := reference.Glossary()
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]reference.Term{}
	for _, tm := range terms {
		by[tm.Concept] = tm
	}
	for _, c := range []string{"school", "preschool", "distance_to_school", "medical_post", "fap", "ambulatory", "phc_centre", "hospital", "oblast", "district", "macroregion", "srs"} {
		if _, ok := by[c]; !ok {
			t.Errorf("glossary lacks %s", c)
		}
	}
	preschool := strings.ToLower(strings.Split(by["preschool"].KK, " ")[0] + " " + strings.Split(by["preschool"].KK, " ")[1]) // "мектепке дейінгі"
	for _, in := range indicator.All() {
		if strings.Contains(strings.ToLower(in.Title.KK), preschool) {
			t.Errorf("%s: Kazakh title %q reads as preschool", in.Name, in.Title.KK)
		}
	}
	for _, s := range indicator.Settlements() {
		if strings.Contains(strings.ToLower(s.Title.KK), preschool) {
			t.Errorf("%s: Kazakh title %q reads as preschool", s.Name, s.Title.KK)
		}
	}
	school, _ := indicator.LookupSettlement("school_km")
	if !strings.EqualFold(school.Title.KK, by["distance_to_school"].KK) {
		t.Errorf("school_km's Kazakh title %q is not the glossary's %q", school.Title.KK, by["distance_to_school"].KK)
	}
}
