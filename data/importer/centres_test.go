package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/testenv"
)

// centreOf reads a district's centre: the centre settlement's Russian name
// ("" for none), how it was found, and whether the centre lies inside the
// district and inside the country.
func centreOf(tb testing.TB, db importer.DB, kato string) (name, source string, inDistrict, inCountry bool) {
	tb.Helper()
	err := queryRow(db, `SELECT coalesce(s.name_ru, s.name, ''), coalesce(d.centre_source, ''),
		       coalesce(ST_Covers(d.geom, d.centre), false),
		       coalesce(ST_Covers((SELECT geom FROM area WHERE level = 'country'), d.centre), false)
		FROM area d LEFT JOIN settlement s ON s.id = d.centre_settlement_id
		WHERE d.level = 'district' AND d.code = $1`, kato).Scan(&name, &source, &inDistrict, &inCountry)
	if err != nil {
		tb.Fatalf("district %s: %v", kato, err)
	}
	return name, source, inDistrict, inCountry
}

// The real data set: centres come from data/reference/district_centres.csv.
// Under the old rule Osakarov's centre was Molodyozhny (the largest place) and
// Kurchum's a town in China inside the coarse border polygon.
func TestDistrictCentresKZ(t *testing.T) {
	dir := testenv.DataDir(t)
	s := postgistest.New(t)
	im := importer.New(s, nil)
	reports, err := im.KZ(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if name, source, in, _ := centreOf(t, s, "355600000"); name != "Осакаровка" || source != access.CentreReference || !in {
		t.Errorf("Osakarov: centre %q (%s, inside %v), want Осакаровка from the reference, inside the district", name, source, in)
	}
	if name, source, in, inCountry := centreOf(t, s, "635200000"); name != "Курчум" || source != access.CentreReference || !in || !inCountry {
		t.Errorf("Kurchum: centre %q (%s, inside district %v, inside country %v), want Курчум, inside both", name, source, in, inCountry)
	}
	if n := count(t, s, `SELECT count(*) FROM area WHERE level = 'district' AND (centre IS NULL OR NOT ST_Covers(geom, centre))`); n != 0 {
		t.Errorf("%d districts without a centre inside themselves", n)
	}
	// A centre inside the country: the border polygon is coarse, so check
	// against the district's own oblast too.
	if n := count(t, s, `SELECT count(*) FROM area d JOIN area o ON o.id = d.parent_id
		WHERE d.level = 'district' AND NOT ST_Covers(o.geom, d.centre)`); n != 0 {
		t.Errorf("%d district centres outside their oblast", n)
	}
	// The two rows whose centre lies outside their polygon are refused and
	// derived by rule; every other district comes from the reference: 198
	// matched to an OpenStreetMap place, 24 at the table's coordinates (9
	// centres missing from the export, 15 city districts without the city's point).
	want := map[string]int64{access.CentreReference: 198, access.CentreReferenceApproximate: 24, access.CentreDerived: 2}
	for source, n := range want {
		if got := count(t, s, `SELECT count(*) FROM area WHERE level = 'district' AND centre_source = $1`, source); got != n {
			t.Errorf("districts with centre_source %s = %d, want %d", source, got, n)
		}
	}
	for _, kato := range []string{"556000000", "101010000"} {
		if _, source, _, _ := centreOf(t, s, kato); source != access.CentreDerived {
			t.Errorf("district %s: centre_source %q, want derived (its reference centre lies outside it)", kato, source)
		}
	}
	last := reports[len(reports)-1]
	if last.Counts["district_centres_derived_by_rule"] != 2 || last.Counts["district_centres_from_reference_(matched_to_a_place)"] != 198 {
		t.Errorf("%s report counts %v, want 198 from reference, 2 derived", last.Dataset, last.Counts)
	}
	warned := false
	for _, w := range last.Warnings {
		warned = warned || (strings.Contains(w, "556000000 (Pavlodar)") && strings.Contains(w, "101010000"))
	}
	if !warned {
		t.Errorf("no warning naming the refused reference centres in %q", last.Warnings)
	}
}

// SYNTHETIC: a square country at 70–75°E, 49–52°N with one oblast and three
// districts: Osakarov (real KATO; its reference point 72.58, 50.56 inside),
// Bukhar-Zhyrau (real KATO; its reference point left outside the square) and
// a KATO with no reference row.
func TestDistrictCentresReferenceAndFallback(t *testing.T) {
	ctx := context.Background()
	s := postgistest.New(t)
	im := importer.New(s, nil)
	dir := t.TempDir()
	files := map[string]string{
		"country": fc(area(square(70, 49, 75, 52), `"KATO":"000000000","ADM0_EN":"Synthetic country"`)),
		"oblast":  fc(area(square(70, 49, 75, 52), `"KATO":"350000000","ISO_3166_2":"KZ-KAR","ADM1_EN":"Synthetic Karagandy","ADM1_RU":"Синтетическая Карагандинская"`)),
		"district": fc(
			area(square(72, 49, 74, 52), `"KATO":"355600000","ADM2_EN":"Synthetic Osakarov","ADM2_RU":"Синтетический Осакаровский"`),
			area(square(74, 49, 75, 52), `"KATO":"354000000","ADM2_EN":"Synthetic Bukhar-Zhyrau","ADM2_RU":"Синтетический Бухар-Жырауский"`),
			area(square(70, 49, 72, 52), `"KATO":"359900000","ADM2_EN":"Synthetic no row","ADM2_RU":"Синтетический без строки"`)),
	}
	for _, level := range []string{"country", "oblast", "district"} {
		if _, err := im.Boundaries(ctx, writeFile(t, dir, level+".geojson", files[level]), level); err != nil {
			t.Fatalf("import %s: %v", level, err)
		}
	}
	place := func(id int, place, name string, pop int, lon, lat float64) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"osm_id":%d,"osm_type":"nodes","place":%q,"name":%q,"population":"%d"},`+
			`"geometry":{"type":"Point","coordinates":[%g,%g]}}`, id, place, name, pop, lon, lat)
	}
	others := []string{
		place(2, "town", "Молодёжный", 5000, 73.5, 51.5), // what the old rule picks: the largest
		place(3, "town", "Синтетический город", 3000, 71, 50.5),
		place(4, "village", "Ботакара", 500, 74.5, 50.5),
		place(5, "town", "Синтетический посёлок", 2000, 74.2, 51),
	}
	osakarovka := place(1, "village", "село Осакаровка", 1000, 72.60, 50.57) // 1.7 km from the reference point
	rep, err := im.Settlements(ctx, writeFile(t, dir, "places.geojson", fc(append([]string{osakarovka}, others...)...)))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		kato, name, source string
	}{
		{"355600000", "село Осакаровка", access.CentreReference},
		{"354000000", "Синтетический посёлок", access.CentreDerived}, // reference point outside: refused
		{"359900000", "Синтетический город", access.CentreDerived},   // no row: the rule
	}
	for _, c := range checks {
		if name, source, in, _ := centreOf(t, s, c.kato); name != c.name || source != c.source || !in {
			t.Errorf("district %s: centre %q (%s, inside %v), want %q (%s) inside", c.kato, name, source, in, c.name, c.source)
		}
	}
	if rep.Counts["district_centres_from_reference_(matched_to_a_place)"] != 1 || rep.Counts["district_centres_derived_by_rule"] != 2 {
		t.Errorf("report counts %v, want 1 from reference and 2 derived", rep.Counts)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "354000000 (Synthetic Bukhar-Zhyrau)") || !strings.Contains(rep.Warnings[0], "outside its district") {
		t.Errorf("warnings %q, want one naming 354000000 outside its district", rep.Warnings)
	}

	// Without a settlement of the centre's name, the centre stays at the
	// reference point, with no settlement.
	if _, err := im.Settlements(ctx, writeFile(t, dir, "places2.geojson", fc(others...))); err != nil {
		t.Fatal(err)
	}
	var lon, lat float64
	var sid *int64
	var source string
	if err := queryRow(s, `SELECT ST_X(centre), ST_Y(centre), centre_settlement_id, centre_source FROM area WHERE level = 'district' AND code = '355600000'`).
		Scan(&lon, &lat, &sid, &source); err != nil {
		t.Fatal(err)
	}
	if sid != nil || source != access.CentreReferenceApproximate || lon != 72.581374 || lat != 50.560669 {
		t.Errorf("Osakarov without Osakarovka: centre %v, %v, settlement %v, %s; want the reference point 72.581374, 50.560669, none, reference-approximate", lon, lat, sid, source)
	}

	// A centre without a settlement still leads somewhere: the compute run
	// measures the distance to it, and the settlement report says how it was found.
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	var id int64
	var km *float64
	if err := queryRow(s, `SELECT s.id, a.district_centre_km FROM settlement s JOIN settlement_access a ON a.settlement_id = s.id
		WHERE s.name = 'Молодёжный'`).Scan(&id, &km); err != nil {
		t.Fatal(err)
	}
	if km == nil || *km < 100 || *km > 130 {
		t.Errorf("Молодёжный: district_centre_km = %v, want the ~123 km to the reference point", km)
	}
	report, err := s.SettlementAccess(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c := report.DistrictCentre; c == nil || c.Source != access.CentreReferenceApproximate || c.NameRU != "Осакаровка" {
		t.Errorf("settlement report district centre %+v, want Осакаровка, reference-approximate", c)
	}
}
