package postgis_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// seedRuns adds two finished compute runs; only the later one's figures
// may show in the settlements collection.
func seedRuns(t *testing.T, s *postgis.Store, f fixture) {
	t.Helper()
	ctx := context.Background()
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO compute_run (id, status, finished_at) VALUES (1, 'done', now()), (2, 'done', now()), (3, 'running', NULL)`, nil},
		{`INSERT INTO settlement_access (run_id, settlement_id, school_km, method) VALUES (1, $1, 99, 'network')`, []any{f.city}},
		{`INSERT INTO settlement_access (run_id, settlement_id, school_km, clinic_min, town5k_km, srs_score, method)
		  VALUES (2, $1, 1.5, 12, 0, 0.75, 'mixed')`, []any{f.city}},
		{`INSERT INTO settlement_access (run_id, settlement_id, school_km, method) VALUES (3, $1, 42, 'network')`, []any{f.city}},
	} {
		if _, err := postgistest.Pool(s).Exec(ctx, st.sql, st.args...); err != nil {
			t.Fatalf("%s: %v", st.sql, err)
		}
	}
}

func featureIDs(fc *geojson.FeatureCollection) []int64 {
	var out []int64
	for _, f := range fc.Features {
		out = append(out, f.ID.(int64))
	}
	return out
}

func TestStoreFeatures(t *testing.T) {
	s := postgistest.New(t)
	f := seed(t, s)
	seedRuns(t, s, f)
	ctx := context.Background()

	t.Run("extents", func(t *testing.T) {
		got, err := s.Extents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]orb.Bound{
			"macroregions": {Min: orb.Point{60, 49}, Max: orb.Point{80, 55}},
			"oblasts":      {Min: orb.Point{69, 50}, Max: orb.Point{73, 53}},
			"districts":    {Min: orb.Point{71.0, 50.8}, Max: orb.Point{71.8, 51.4}},
			"settlements":  {Min: orb.Point{10, 10}, Max: orb.Point{71.45, 51.14}},
		}
		if len(got) != len(want) {
			t.Errorf("extents = %v, want %v (no agglomerations: none loaded)", got, want)
		}
		for id, w := range want {
			g := got[id]
			// ST_Extent is single precision: compare to about a metre.
			for i := 0; i < 2; i++ {
				if d := g.Min[i] - w.Min[i]; d > 1e-5 || d < -1e-5 {
					t.Errorf("%s extent = %v, want %v", id, g, w)
				}
				if d := g.Max[i] - w.Max[i]; d > 1e-5 || d < -1e-5 {
					t.Errorf("%s extent = %v, want %v", id, g, w)
				}
			}
		}
	})

	t.Run("areas", func(t *testing.T) {
		fc, matched, err := s.Features(ctx, "oblasts", nil, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if matched != 1 || len(fc.Features) != 1 {
			t.Fatalf("matched %d, %d features; want the one oblast", matched, len(fc.Features))
		}
		ft := fc.Features[0]
		if ft.ID != f.oblast {
			t.Errorf("id = %v, want %d", ft.ID, f.oblast)
		}
		if _, ok := ft.Geometry.(orb.MultiPolygon); !ok {
			t.Errorf("geometry is %T, want orb.MultiPolygon", ft.Geometry)
		}
		wantFeatureProps(t, "oblast", ft.Properties, map[string]any{
			"code":                 "110000000",
			"name_kk":              "Ақмола облысы",
			"name_ru":              "Акмолинская область",
			"name_en":              "Akmola Region",
			"population":           int64(785_000),
			"population_estimated": false,
			"area_km2":             146_219.0,
			"density":              5.37,
			"group_code":           "northern",
		})
		fc, _, err = s.Features(ctx, "macroregions", nil, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(fc.Features) != 1 || fc.Features[0].Properties["name_ru"] != "Северный" || fc.Features[0].Properties["group_code"] != nil {
			t.Errorf("macroregions = %v", fc.Features)
		}
		fc, matched, err = s.Features(ctx, "agglomerations", nil, 10, 0)
		if err != nil || matched != 0 || len(fc.Features) != 0 {
			t.Errorf("agglomerations: %v, matched %d, %d features; want none", err, matched, len(fc.Features))
		}
	})

	t.Run("settlement properties", func(t *testing.T) {
		ft, err := s.Feature(ctx, "settlements", f.city)
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := ft.Geometry.(orb.Point); !ok || p != astana {
			t.Errorf("geometry = %v, want %v", ft.Geometry, astana)
		}
		wantFeatureProps(t, "city", ft.Properties, map[string]any{
			"name":                 "Астана",
			"name_kk":              "Астана",
			"name_ru":              "Астана",
			"name_en":              nil,
			"place":                "city",
			"population":           int32(1_350_000),
			"population_estimated": false,
			"district_code":        "116600000",
			"oblast_code":          "110000000",
			"school_km":            1.5, // run 2, not 1 nor the unfinished 3
			"clinic_min":           12.0,
			"district_centre_km":   nil,
			"oblast_centre_km":     nil,
			"town5k_km":            0.0,
			"srs_score":            0.75,
			"access_method":        "mixed",
		})
		ft, err = s.Feature(ctx, "settlements", f.hamlet)
		if err != nil {
			t.Fatal(err)
		}
		if ft.Properties["school_km"] != nil || ft.Properties["access_method"] != nil || ft.Properties["name_ru"] != nil {
			t.Errorf("hamlet without figures or Russian name: %v", ft.Properties)
		}
	})

	t.Run("paging", func(t *testing.T) {
		all := []int64{f.city, f.village, f.hamlet, f.faraway}
		for _, tc := range []struct {
			name          string
			limit, offset int
			want          []int64
		}{
			{"first page", 2, 0, all[:2]},
			{"second page", 2, 2, all[2:]},
			{"past the end", 2, 4, nil},
			{"far past the end", 10, 1000, nil},
			{"one in the middle", 1, 1, all[1:2]},
			{"more than there are", 10_000, 0, all},
		} {
			t.Run(tc.name, func(t *testing.T) {
				fc, matched, err := s.Features(ctx, "settlements", nil, tc.limit, tc.offset)
				if err != nil {
					t.Fatal(err)
				}
				if matched != 4 {
					t.Errorf("matched = %d, want 4", matched)
				}
				if got := featureIDs(fc); !equalIDs(got, tc.want) {
					t.Errorf("ids = %v, want %v", got, tc.want)
				}
			})
		}
	})

	t.Run("bbox", func(t *testing.T) {
		for _, tc := range []struct {
			name       string
			collection string
			bbox       orb.Bound
			want       []int64
		}{
			{"around Astana", "settlements", orb.Bound{Min: orb.Point{71.4, 51.1}, Max: orb.Point{71.5, 51.2}}, []int64{f.city, f.village, f.hamlet}},
			{"one village", "settlements", orb.Bound{Min: orb.Point{71.435, 51.135}, Max: orb.Point{71.445, 51.145}}, []int64{f.village}},
			{"nothing", "settlements", orb.Bound{Min: orb.Point{50, 45}, Max: orb.Point{51, 46}}, nil},
			{"oblast but not its district", "districts", orb.Bound{Min: orb.Point{69.1, 50.1}, Max: orb.Point{69.5, 50.5}}, nil},
			{"touching the district", "districts", orb.Bound{Min: orb.Point{71.7, 51.3}, Max: orb.Point{72, 52}}, []int64{f.district}},
			{"oblast", "oblasts", orb.Bound{Min: orb.Point{69.1, 50.1}, Max: orb.Point{69.5, 50.5}}, []int64{f.oblast}},
			// Across the antimeridian (minlon > maxlon): 170°E..180 and -180..71.5°E.
			{"across the antimeridian, west part", "settlements", orb.Bound{Min: orb.Point{170, 51.1}, Max: orb.Point{71.5, 51.2}}, []int64{f.city, f.village, f.hamlet}},
			{"across the antimeridian, neither part", "settlements", orb.Bound{Min: orb.Point{100, 51.1}, Max: orb.Point{-170, 51.2}}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b := tc.bbox
				fc, matched, err := s.Features(ctx, tc.collection, &b, 10, 0)
				if err != nil {
					t.Fatal(err)
				}
				if got := featureIDs(fc); !equalIDs(got, tc.want) || matched != int64(len(tc.want)) {
					t.Errorf("ids = %v, matched %d; want %v", got, matched, tc.want)
				}
			})
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			err  error
			want errs.Kind
		}{
			{"missing feature", second(s.Feature(ctx, "settlements", 999_999)), errs.NotFound},
			{"feature of another collection", second(s.Feature(ctx, "oblasts", f.district)), errs.NotFound},
			{"unknown collection", second(s.Feature(ctx, "roads", 1)), errs.NotFound},
			{"unknown collection's items", third(s.Features(ctx, "area; DROP TABLE area", nil, 10, 0)), errs.NotFound},
			{"limit 0", third(s.Features(ctx, "oblasts", nil, 0, 0)), errs.Invalid},
			{"negative offset", third(s.Features(ctx, "oblasts", nil, 10, -1)), errs.Invalid},
		} {
			if k := errs.KindOf(tc.err); tc.err == nil || k != tc.want {
				t.Errorf("%s: err = %v (%v), want kind %v", tc.name, tc.err, k, tc.want)
			}
		}
	})
}

// wantFeatureProps checks every property, including those that must be
// null: unlike a tile, a feature keeps a null property.
func wantFeatureProps(t *testing.T, what string, got geojson.Properties, want map[string]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d properties %v, want %d", what, len(got), got, len(want))
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok || g != v {
			t.Errorf("%s: %s = %#v (present %v), want %#v", what, k, g, ok, v)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Every property's declared JSON type is what its SQL expression yields,
// read from the database's own description of the query's columns (so a
// property that is NULL in every row is checked too), and the geometry
// type is the column's.
func TestFeatureSchemaMatchesSQL(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	// JSON type by PostgreSQL type OID: the built-in ones scan yields.
	jsonType := map[uint32]string{
		25: "string", 1043: "string", // text, varchar
		21: "integer", 23: "integer", 20: "integer", // int2, int4, int8
		700: "number", 701: "number", // float4, float8
		16: "boolean",
	}
	for _, id := range postgis.FeatureCollectionIDs() {
		t.Run(id, func(t *testing.T) {
			geometry, props, err := s.FeatureSchema(id)
			if err != nil {
				t.Fatal(err)
			}
			query, arg := postgis.FeatureQuery(id)
			rows, err := postgistest.Pool(s).Query(ctx, query+" LIMIT 0", arg)
			if err != nil {
				t.Fatal(err)
			}
			cols := rows.FieldDescriptions()
			rows.Close()
			i := 1 // after t.id
			for name, typ := range props {
				if i >= len(cols)-1 {
					t.Fatalf("more properties than columns: %s", name)
				}
				if got := jsonType[cols[i].DataTypeOID]; got != typ {
					t.Errorf("%s is declared %q, but its SQL type (OID %d) gives %q", name, typ, cols[i].DataTypeOID, got)
				}
				i++
			}
			if i != len(cols)-1 {
				t.Errorf("%d properties for %d property columns", i-1, len(cols)-2)
			}
			var want string
			table := "area"
			if id == "settlements" {
				table = "settlement"
			}
			err = postgistest.Pool(s).QueryRow(ctx, "SELECT type FROM geometry_columns WHERE f_table_name = $1 AND f_geometry_column = 'geom'", table).Scan(&want)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(geometry, want) {
				t.Errorf("geometry %q, the column is %s", geometry, want)
			}
		})
	}
	if _, _, err := s.FeatureSchema("roads"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("FeatureSchema(roads) = %v, want NotFound", err)
	}
}
