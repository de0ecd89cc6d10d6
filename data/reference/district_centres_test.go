package reference

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

const centresHeader = "kato,district_en,centre_kk,centre_ru,centre_en,lon,lat,coord_source,source\n"

func TestParseDistrictCentres(t *testing.T) {
	// SYNTHETIC rows: the checks a row must pass, one broken field at a time.
	good := "355600000,Osakarov,Осакаровка,Осакаровка,Osakarovka,72.57,50.56,approximate,ru.wikipedia: Осакаровский район\n"
	tests := []struct {
		name, body, want string // want: "" = accepted, else a part of the error
	}{
		{"good row", good, ""},
		{"osm point", "355600000,Osakarov,Осакаровка,Осакаровка,Osakarovka,72.5701234,50.5612345,osm:node/271395447,x\n", ""},
		{"short code", strings.Replace(good, "355600000", "3556", 1), "line 2: kato: \"3556\": want 9 digits"},
		{"duplicate", good + good, "line 3: kato: 355600000 already on line 2"},
		{"no kk name", strings.Replace(good, "Осакаровка,Осакаровка", ",Осакаровка", 1), "line 2: centre_kk: empty"},
		{"no en name", strings.Replace(good, "Osakarovka", "", 1), "line 2: centre_en: empty"},
		{"lon not a number", strings.Replace(good, "72.57", "72,57", 1), "wrong number of fields"},
		{"lon text", strings.Replace(good, "72.57", "east", 1), "line 2: lon: \"east\" is not a number"},
		{"lat beyond the pole", strings.Replace(good, "50.56", "95", 1), "line 2: lat: 95 is outside ±90"},
		{"approximate too precise", strings.Replace(good, "72.57", "72.5712", 1), "line 2: lon: 72.5712: an approximate coordinate is rounded to 0.01°"},
		{"unknown coord source", strings.Replace(good, "approximate", "guess", 1), "line 2: coord_source: \"guess\""},
		{"osm without id", strings.Replace(good, "approximate", "osm:node/", 1), "line 2: coord_source"},
		{"no source", strings.Replace(good, "ru.wikipedia: Осакаровский район", "", 1), "line 2: source: empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ParseDistrictCentres("test.csv", strings.NewReader(centresHeader+tt.body))
			if tt.want == "" {
				if err != nil || len(rows) == 0 {
					t.Fatalf("got %v, %v; want rows", rows, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "test.csv") {
				t.Fatalf("error %v, want one naming test.csv and %q", err, tt.want)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Посёлок Форт-Шевченко", "форт шевченко"},
		{"Темірбек Жүргенов ауылы", "Темірбек Жүргенов"},
		{"село Осакаровка", "Осакаровка"},
		{"Приозёрск", "ПРИОЗЕРСК"},
		{"Aksu-Ayuly village", "aksu ayuly"},
	}
	for _, tt := range tests {
		if x, y := NormalizeName(tt.a), NormalizeName(tt.b); x != y {
			t.Errorf("NormalizeName(%q) = %q, NormalizeName(%q) = %q: want equal", tt.a, x, tt.b, y)
		}
	}
	if SameName([]string{"Осакаровка"}, []string{"Молодёжный", ""}) {
		t.Error("Осакаровка is not Молодёжный")
	}
	if SameName([]string{""}, []string{""}) {
		t.Error("empty names match nothing")
	}
}

// outsideOwnDistrict are the rows whose centre truly lies outside the
// district's polygon; the importer refuses them and derives a centre by rule.
var outsideOwnDistrict = map[string]string{
	"556000000": "Pavlodar district is governed from Pavlodar city, a unit of its own",
	"101010000": "Zharasemey, taken as governed from Semey city, a unit of its own",
}

// TestDistrictCentresAgainstData checks the table against the real data: one
// row for every district of the boundaries, each point inside its district,
// each osm: place present in the OpenStreetMap export with one of the row's
// names, at the row's coordinates.
func TestDistrictCentresAgainstData(t *testing.T) {
	dir := testenv.DataDir(t)
	rows, err := DistrictCentres()
	if err != nil {
		t.Fatal(err)
	}
	districts := readFC(t, filepath.Join(dir, "boundaries", "kz_adm2_districts_2024.geojson"))
	places := readFC(t, filepath.Join(dir, "settlements", "kz_populated_places_osm.geojson"))

	polygons := map[string]orb.MultiPolygon{}
	for _, f := range districts.Features {
		kato, _ := f.Properties["KATO"].(string)
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polygons[kato] = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			polygons[kato] = g
		default:
			t.Fatalf("district %s: geometry %T", kato, g)
		}
	}
	osm := map[string]*geojson.Feature{}
	for _, f := range places.Features {
		typ, _ := f.Properties["osm_type"].(string)
		id, _ := f.Properties["osm_id"].(float64)
		osm[strings.TrimSuffix(typ, "s")+"/"+formatID(id)] = f
	}

	inFile := map[string]bool{}
	approximate := 0
	for _, c := range rows {
		inFile[c.KATO] = true
		mp, ok := polygons[c.KATO]
		if !ok {
			t.Errorf("line %d: KATO %s (%s) is not a district of the boundaries", c.Line, c.KATO, c.DistrictEN)
			continue
		}
		pt := orb.Point{c.Lon, c.Lat}
		_, exempt := outsideOwnDistrict[c.KATO]
		if inside := planar.MultiPolygonContains(mp, pt); inside == exempt {
			t.Errorf("line %d: %s (%s) centre %s at %v: inside its district = %v, want %v", c.Line, c.KATO, c.DistrictEN, c.NameEN, pt, inside, !exempt)
		}
		if c.Approximate() {
			approximate++
			continue
		}
		f, ok := osm[strings.TrimPrefix(c.CoordSource, CoordOSMPrefix)]
		if !ok {
			t.Errorf("line %d: %s: no such place in the OpenStreetMap export", c.Line, c.CoordSource)
			continue
		}
		var names []string
		for _, k := range []string{"name", "name:kk", "name:ru", "name:en"} {
			if s, ok := f.Properties[k].(string); ok {
				names = append(names, s)
			}
		}
		if !SameName(c.Names(), names) {
			t.Errorf("line %d: %s is named %q, not any of %q", c.Line, c.CoordSource, names, c.Names())
		}
		if p := f.Point(); planar.Distance(p, pt) > 1e-5 {
			t.Errorf("line %d: %s lies at %v, the row says %v", c.Line, c.CoordSource, p, pt)
		}
	}
	for kato := range polygons {
		if !inFile[kato] {
			t.Errorf("district %s has no row in district_centres.csv", kato)
		}
	}
	t.Logf("%d rows, %d with approximate coordinates", len(rows), approximate)
}

func readFC(tb testing.TB, path string) *geojson.FeatureCollection {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return fc
}

func formatID(id float64) string { return strconv.FormatInt(int64(id), 10) }
