package reference_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/reference"
)

// TestUnitCostsShipped: the shipped table loads, has every key once, and
// every figure either cites an address or is labelled an assumption.
func TestUnitCostsShipped(t *testing.T) {
	tab, err := reference.UnitCosts()
	if err != nil {
		t.Fatal(err)
	}
	rows := tab.All()
	if len(rows) != len(reference.UnitCostKeys()) {
		t.Errorf("%d rows, want one per key (%d)", len(rows), len(reference.UnitCostKeys()))
	}
	for _, k := range reference.UnitCostKeys() {
		u, ok := tab.Get(k)
		if !ok {
			t.Errorf("no row for %s", k)
			continue
		}
		if u.Kind != reference.CostSource && u.Kind != reference.CostAssumption {
			t.Errorf("%s: kind %q", k, u.Kind)
		}
		if u.Kind == reference.CostSource && !strings.Contains(u.Source, "https://") {
			t.Errorf("%s: a sourced figure without an address: %q", k, u.Source)
		}
		if u.TableKZT != 0 {
			t.Errorf("%s: TableKZT %d on a row no scenario overrode", k, u.TableKZT)
		}
		t.Logf("%-20s %15d KZT/%-8s %d %s", k, u.CostKZT, u.Unit, u.Year, u.Kind)
	}
	// The per-place cost falls with a school's size, and the facility levels
	// rise in cost with the population they serve: a table where they do not
	// has a typing error.
	order := [][]string{
		{reference.UnitSchoolPlaceUrban, reference.UnitSchoolPlaceRural},
		{reference.UnitMedicalPost, reference.UnitFAP, reference.UnitAmbulatory, reference.UnitPHCCentre, reference.UnitPolyclinicUrban},
		{reference.UnitRoadGravelNew, reference.UnitRoadPaveGravel, reference.UnitRoadAsphaltNew},
	}
	for _, keys := range order {
		for i := 1; i < len(keys); i++ {
			a, _ := tab.Cost(keys[i-1])
			b, _ := tab.Cost(keys[i])
			if a >= b {
				t.Errorf("%s (%d) costs not less than %s (%d)", keys[i-1], a, keys[i], b)
			}
		}
	}
	if _, err := tab.Cost("hospital"); err == nil || !strings.Contains(err.Error(), `"hospital"`) {
		t.Errorf("Cost of an unknown key: %v", err)
	}
}

// synthetic is a valid table in the layout of unit_costs.csv, one row per
// key in UnitCostKeys order, rows from line 3; edit changes a row's fields
// before it is written. SYNTHETIC: the figures are invented.
func synthetic(t testing.TB, edit func(row int, f []string) []string) string {
	t.Helper()
	shipped, err := reference.UnitCosts()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("# SYNTHETIC unit costs for tests\n")
	w := csv.NewWriter(&b)
	w.Write([]string{"key", "description_en", "description_ru", "description_kk", "unit", "cost_kzt", "year", "source", "kind", "note"})
	for i, k := range reference.UnitCostKeys() {
		u, _ := shipped.Get(k)
		f := []string{k, "SYNTHETIC " + k, "СИНТЕТИКА " + k, "СИНТЕТИКА " + k, u.Unit, "1000000", "2024",
			"SYNTHETIC report, https://example.org/" + k, "source", "SYNTHETIC"}
		if edit != nil {
			f = edit(i, f)
		}
		if f != nil {
			w.Write(f)
		}
	}
	w.Flush()
	return b.String()
}

func keyAt(i int) string { return reference.UnitCostKeys()[i] }

func TestParseUnitCostsRefuses(t *testing.T) {
	if _, err := reference.ParseUnitCosts("synthetic.csv", strings.NewReader(synthetic(t, nil))); err != nil {
		t.Fatalf("the untouched synthetic table: %v", err)
	}
	set := func(row, col int, v string) func(int, []string) []string {
		return func(i int, f []string) []string {
			if i == row {
				f[col] = v
			}
			return f
		}
	}
	cases := []struct {
		name string
		edit func(int, []string) []string
		in   string // instead of the synthetic table
		want string
	}{
		{"unknown key", set(2, 0, "hospital"), "", `synthetic.csv line 5, column 1 (key): unknown key "hospital"`},
		{"duplicate key", set(3, 0, keyAt(2)), "", "synthetic.csv line 6, column 1 (key): " + keyAt(2) + " already on line 5"},
		{"empty description", set(0, 3, " "), "", "synthetic.csv line 3, column 4 (description_kk): empty"},
		{"wrong unit", set(1, 4, "m2"), "", `synthetic.csv line 4, column 5 (unit): "m2"`},
		{"cost not a number", set(0, 5, "1,5 bn"), "", `synthetic.csv line 3, column 6 (cost_kzt): "1,5 bn": want a whole number`},
		{"cost with decimals", set(0, 5, "1000.5"), "", `line 3, column 6 (cost_kzt): "1000.5"`},
		{"zero cost", set(4, 5, "0"), "", "synthetic.csv line 7, column 6 (cost_kzt): 0: a cost must be positive"},
		{"negative cost", set(4, 5, "-5"), "", "synthetic.csv line 7, column 6 (cost_kzt): -5: a cost must be positive"},
		{"year not a number", set(0, 6, "2024a"), "", `line 3, column 7 (year): "2024a": want a year`},
		{"year too early", set(0, 6, "1999"), "", "line 3, column 7 (year): 1999: want a price year in 2000-2100"},
		{"year too late", set(0, 6, "2101"), "", "line 3, column 7 (year): 2101"},
		{"sourced without address", set(5, 7, "a news report"), "", "synthetic.csv line 8, column 8 (source): \"a news report\": a figure of kind source gives its address"},
		{"sourced empty", set(5, 7, ""), "", "synthetic.csv line 8, column 8 (source): empty"},
		{"assumption without basis", func(i int, f []string) []string {
			if i == 6 {
				f[7], f[8] = "", "assumption"
			}
			return f
		}, "", "synthetic.csv line 9, column 8 (source): empty: say what the assumption starts from"},
		{"unknown kind", set(6, 8, "guess"), "", `synthetic.csv line 9, column 9 (kind): "guess": want source or assumption`},
		{"override in the file", set(6, 8, "override"), "", `line 9, column 9 (kind): "override"`},
		{"empty note", set(7, 9, ""), "", "synthetic.csv line 10, column 10 (note): empty"},
		{"missing key", func(i int, f []string) []string {
			if i == 1 {
				return nil
			}
			return f
		}, "", "synthetic.csv: no row for " + keyAt(1)},
		{"short row", func(i int, f []string) []string {
			if i == 2 {
				return f[:9]
			}
			return f
		}, "", "synthetic.csv line 5: wrong number of fields: want the 10 columns key,"},
		{"wrong header", nil, "key,description_en,description_ru,description_kk,unit,cost,year,source,kind,note\n", "synthetic.csv line 1, column 6: header \"cost\": want \"cost_kzt\""},
		{"bare quote", nil, "key,description_en,description_ru,description_kk,unit,cost_kzt,year,source,kind,note\nfap,a \"b,c,d,facility,1,2024,https://x,source,n\n", "synthetic.csv line 2, byte 7: bare \""},
		{"empty file", nil, "# only a comment\n", "synthetic.csv: no header line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if in == "" {
				in = synthetic(t, c.edit)
			}
			_, err := reference.ParseUnitCosts("synthetic.csv", strings.NewReader(in))
			if err == nil {
				t.Fatalf("accepted, want an error containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func TestUnitCostOverride(t *testing.T) {
	tab, err := reference.UnitCosts()
	if err != nil {
		t.Fatal(err)
	}
	fap, _ := tab.Get(reference.UnitFAP)
	post, _ := tab.Get(reference.UnitMedicalPost)

	over, err := tab.Override(map[string]int64{reference.UnitFAP: 123_000_000})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := over.Get(reference.UnitFAP)
	if got.CostKZT != 123_000_000 || got.Kind != reference.CostOverride || got.TableKZT != fap.CostKZT {
		t.Errorf("overridden FAP: cost %d kind %q table %d; want 123000000 override %d", got.CostKZT, got.Kind, got.TableKZT, fap.CostKZT)
	}
	if got.Source != fap.Source || got.Year != fap.Year {
		t.Errorf("the override lost the table's source or year: %+v", got)
	}
	if same, _ := over.Get(reference.UnitMedicalPost); same != post {
		t.Errorf("a key not overridden changed: %+v, was %+v", same, post)
	}
	if again, _ := tab.Get(reference.UnitFAP); again != fap {
		t.Errorf("Override changed the table it was called on: %+v", again)
	}

	// An override of an override keeps the table's figure to show.
	twice, err := over.Override(map[string]int64{reference.UnitFAP: 150_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := twice.Get(reference.UnitFAP); g.CostKZT != 150_000_000 || g.TableKZT != fap.CostKZT {
		t.Errorf("second override: cost %d table %d, want 150000000 and %d", g.CostKZT, g.TableKZT, fap.CostKZT)
	}

	for name, c := range map[string]struct {
		costs map[string]int64
		want  string
	}{
		"unknown key":   {map[string]int64{reference.UnitFAP: 1, "hospital": 5}, `override "hospital": unknown key`},
		"zero cost":     {map[string]int64{reference.UnitFAP: 0}, "override fap: 0: a cost must be positive"},
		"negative cost": {map[string]int64{reference.UnitRoadDistrict: -1}, "override road_km_district: -1"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tab.Override(c.costs)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
			if again, _ := tab.Get(reference.UnitFAP); again != fap {
				t.Errorf("a refused override changed the table: %+v", again)
			}
		})
	}

	none, err := tab.Override(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(none.All()) != len(tab.All()) {
		t.Errorf("an empty override has %d rows, want %d", len(none.All()), len(tab.All()))
	}
}

// FuzzParseUnitCosts: no input panics the parser, and what it accepts has a
// row for every key, each with a positive cost.
func FuzzParseUnitCosts(f *testing.F) {
	f.Add("key,description_en,description_ru,description_kk,unit,cost_kzt,year,source,kind,note\nfap,a,b,c,facility,1,2024,https://x,source,n\n")
	f.Add("")
	f.Add(synthetic(f, nil))
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := reference.ParseUnitCosts("fuzz.csv", strings.NewReader(in))
		if err != nil {
			return
		}
		for _, k := range reference.UnitCostKeys() {
			if c, err := tab.Cost(k); err != nil || c <= 0 {
				t.Errorf("accepted table: %s cost %d, %v", k, c, err)
			}
		}
	})
}
