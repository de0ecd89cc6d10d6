package postgis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// fixture is a small piece of Akmola: one oblast, one district inside it, its
// macroregion, a city, a village and a hamlet.
type fixture struct {
	group, oblast, district        int64
	city, village, hamlet, faraway int64
}

var astana = orb.Point{71.43, 51.13}

func seed(t *testing.T, s *postgis.Store) fixture {
	t.Helper()
	ctx := context.Background()
	var f fixture
	// area inserts a rectangle west, south, east, north with the columns
	// level, code, name_kk, name_ru, name_en, population, population_year,
	// population_estimated, area_km2, iso, parent_id, group_id.
	area := func(box [4]float64, cols ...any) int64 {
		t.Helper()
		var id int64
		args := append([]any{box[0], box[1], box[2], box[3]}, cols...)
		if err := postgistest.Pool(s).QueryRow(ctx, `
			INSERT INTO area (level, code, name_kk, name_ru, name_en, population, population_year,
			                  population_estimated, area_km2, iso, parent_id, group_id, geom, geom_3857)
			SELECT $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, g, ST_Transform(g, 3857)
			  FROM ST_Multi(ST_MakeEnvelope($1, $2, $3, $4, 4326)) AS g
			RETURNING id`, args...).Scan(&id); err != nil {
			t.Fatalf("insert area %v: %v", cols[1], err)
		}
		return id
	}
	f.group = area([4]float64{60, 49, 80, 55},
		"macroregion", "northern", "Солтүстік", "Северный", "Northern", 4_000_000, nil, false, nil, nil, nil, nil)
	f.oblast = area([4]float64{69, 50, 73, 53},
		"oblast", "110000000", "Ақмола облысы", "Акмолинская область", "Akmola Region", 785_000, 2023, false, 146_219.0, "KZ-AKM", nil, f.group)
	f.district = area([4]float64{71.0, 50.8, 71.8, 51.4},
		"district", "116600000", "Целиноград ауданы", "Целиноградский район", "Tselinograd District", 90_000, nil, true, 7_800.0, nil, f.oblast, f.group)

	if _, err := postgistest.Pool(s).Exec(ctx, `INSERT INTO area_stat (area_id, stat, year, value) VALUES
		($1, 'schools', 2021, 600), ($1, 'schools', 2022, 614)`, f.oblast); err != nil {
		t.Fatalf("insert area_stat: %v", err)
	}

	place := func(dst *int64, id, name string, kk, ru any, place string, pop any, p orb.Point) {
		t.Helper()
		if err := postgistest.Pool(s).QueryRow(ctx, `
			INSERT INTO settlement (source, source_id, name, name_kk, name_ru, place, population,
			                        district_id, oblast_id, geom, geom_3857)
			SELECT 'osm', $1, $2, $3, $4, $5, $6, $7, $8, g, ST_Transform(g, 3857)
			  FROM ST_SetSRID(ST_MakePoint($9, $10), 4326) AS g
			RETURNING id`, id, name, kk, ru, place, pop, f.district, f.oblast, p[0], p[1]).Scan(dst); err != nil {
			t.Fatalf("insert settlement %s: %v", name, err)
		}
	}
	place(&f.city, "node/1", "Астана", "Астана", "Астана", "city", 1_350_000, astana)
	place(&f.village, "node/2", "Қосшы", "Қосшы", "Косшы", "village", nil, orb.Point{71.44, 51.14})
	place(&f.hamlet, "node/3", "Ақмол", nil, nil, "hamlet", 120, orb.Point{71.45, 51.12})
	place(&f.faraway, "node/4", "Far", nil, nil, "town", 9000, orb.Point{10, 10})
	return f
}

// fetch cuts the tile of layer name containing p at zoom z and decodes it.
func fetch(t *testing.T, s *postgis.Store, name string, p orb.Point, z maptile.Zoom) (mvt.Layers, maptile.Tile) {
	t.Helper()
	l, ok := tiles.NewCatalogue().Layer(name)
	if !ok {
		t.Fatalf("no layer %s", name)
	}
	mt := maptile.At(p, z)
	data, err := s.Tile(context.Background(), l, tiles.Tile{Z: tiles.Zoom(mt.Z), X: mt.X, Y: mt.Y})
	if err != nil {
		t.Fatalf("Tile(%s, %v): %v", name, mt, err)
	}
	if len(data) == 0 {
		return nil, mt
	}
	layers, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatalf("decode tile %s %v: %v", name, mt, err)
	}
	return layers, mt
}

func oneLayer(t *testing.T, layers mvt.Layers, name string) *mvt.Layer {
	t.Helper()
	if len(layers) != 1 || layers[0].Name != name {
		t.Fatalf("layers = %v, want one named %s", layerNames(layers), name)
	}
	if layers[0].Extent != 4096 {
		t.Errorf("extent = %d", layers[0].Extent)
	}
	return layers[0]
}

func layerNames(ls mvt.Layers) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

func ids(l *mvt.Layer) map[int64]map[string]any {
	out := make(map[int64]map[string]any)
	for _, f := range l.Features {
		id, _ := f.ID.(float64)
		out[int64(id)] = f.Properties
	}
	return out
}

func wantProps(t *testing.T, what string, got map[string]any, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if v == nil {
			if g, ok := got[k]; ok {
				t.Errorf("%s: %s = %v, want it absent", what, k, g)
			}
			continue
		}
		if got[k] != v {
			t.Errorf("%s: %s = %#v, want %#v", what, k, got[k], v)
		}
	}
}

func TestStoreTile(t *testing.T) {
	s := postgistest.New(t)
	f := seed(t, s)

	t.Run("oblasts", func(t *testing.T) {
		layers, mt := fetch(t, s, "oblasts", astana, 6)
		l := oneLayer(t, layers, "oblasts")
		got := ids(l)
		if len(got) != 1 || got[f.oblast] == nil {
			t.Fatalf("features %v, want only oblast %d", got, f.oblast)
		}
		wantProps(t, "oblast", got[f.oblast], map[string]any{
			"code": "110000000", "iso": "KZ-AKM",
			"name_kk": "Ақмола облысы", "name_ru": "Акмолинская область", "name_en": "Akmola Region",
			"population": 785000.0, "population_year": 2023.0, "population_estimated": false,
			"area_km2": 146219.0, "density": 5.37,
			"group_code": "northern", "group_name_kk": "Солтүстік", "group_name_ru": "Северный", "group_name_en": "Northern",
			"schools": 614.0, "medical": nil,
		})
		// The geometry lands where the oblast is.
		layers.ProjectToWGS84(mt)
		if b := l.Features[0].Geometry.Bound(); !b.Contains(astana) {
			t.Errorf("oblast geometry %v does not cover Astana", b)
		}
	})

	t.Run("districts", func(t *testing.T) {
		layers, _ := fetch(t, s, "districts", astana, 9)
		got := ids(oneLayer(t, layers, "districts"))
		if len(got) != 1 {
			t.Fatalf("features %v", got)
		}
		wantProps(t, "district", got[f.district], map[string]any{
			"code": "116600000", "name_kk": "Целиноград ауданы", "name_ru": "Целиноградский район",
			"oblast_code": "110000000", "oblast_name_kk": "Ақмола облысы", "oblast_name_ru": "Акмолинская область",
			"oblast_name_en": "Akmola Region", "population": 90000.0, "population_estimated": true,
			"area_km2": 7800.0, "density": 11.54, "group_code": "northern", "group_name_kk": "Солтүстік",
		})
	})

	t.Run("groups", func(t *testing.T) {
		layers, _ := fetch(t, s, "groups", astana, 4)
		got := ids(oneLayer(t, layers, "groups"))
		wantProps(t, "group", got[f.group], map[string]any{
			"code": "northern", "kind": "macroregion", "name_ru": "Северный", "population": 4e6,
			"area_km2": nil, "density": nil,
		})
	})

	t.Run("settlements thinned at z6", func(t *testing.T) {
		layers, _ := fetch(t, s, "settlements", astana, 6)
		got := ids(oneLayer(t, layers, "settlements"))
		if len(got) != 1 || got[f.city] == nil {
			t.Fatalf("features %v, want only the city %d", got, f.city)
		}
		wantProps(t, "city", got[f.city], map[string]any{
			"name": "Астана", "name_kk": "Астана", "name_ru": "Астана", "name_en": nil,
			"place": "city", "population": 1350000.0, "population_estimated": false,
			"district_name_kk": "Целиноград ауданы", "district_name_ru": "Целиноградский район",
			"oblast_name_kk": "Ақмола облысы", "oblast_name_en": "Akmola Region",
		})
	})

	t.Run("settlements z8 without hamlets", func(t *testing.T) {
		layers, _ := fetch(t, s, "settlements", astana, 8)
		got := ids(oneLayer(t, layers, "settlements"))
		if len(got) != 2 || got[f.city] == nil || got[f.village] == nil {
			t.Fatalf("features %v, want the city %d and village %d", got, f.city, f.village)
		}
		wantProps(t, "village", got[f.village], map[string]any{"name_kk": "Қосшы", "name_ru": "Косшы", "population": nil})
	})

	t.Run("settlements z10 all", func(t *testing.T) {
		layers, _ := fetch(t, s, "settlements", astana, 10)
		got := ids(oneLayer(t, layers, "settlements"))
		if len(got) != 3 || got[f.hamlet] == nil {
			t.Fatalf("features %v, want city, village and hamlet %d", got, f.hamlet)
		}
		wantProps(t, "hamlet", got[f.hamlet], map[string]any{"name": "Ақмол", "name_kk": nil, "place": "hamlet", "population": 120.0})
	})

	t.Run("far away is empty", func(t *testing.T) {
		for _, name := range []string{"oblasts", "districts", "groups", "settlements"} {
			if layers, mt := fetch(t, s, name, orb.Point{-60, -30}, 7); len(layers) != 0 {
				t.Errorf("%s %v: layers %v, want an empty tile", name, mt, layerNames(layers))
			}
		}
	})

	t.Run("small polygons dropped at z0", func(t *testing.T) {
		// The district is 0.8° wide, less than a z0 pixel (1.4°).
		if layers, _ := fetch(t, s, "districts", astana, 0); len(layers) != 0 {
			t.Errorf("z0 districts: %v, want empty", layerNames(layers))
		}
		layers, _ := fetch(t, s, "oblasts", astana, 0)
		oneLayer(t, layers, "oblasts")
	})
}

func TestStoreTileErrors(t *testing.T) {
	s := postgistest.New(t)
	l, _ := tiles.NewCatalogue().Layer("oblasts")

	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	_, err := s.Tile(ctx, l, tiles.Tile{Z: 1})
	if errs.KindOf(err) != errs.Unavailable {
		t.Errorf("Tile with an expired context: %v (kind %v), want unavailable", err, errs.KindOf(err))
	}

	// statement_timeout is how a slow tile surfaces when the server cancels it.
	slow := l
	slow.SQL = `SELECT pg_sleep(5)::text::bytea FROM (SELECT $1::int, $2::int, $3::int) p`
	ctx2, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel2()
	start := time.Now()
	_, err = s.Tile(ctx2, slow, tiles.Tile{Z: 1})
	if errs.KindOf(err) != errs.Unavailable || time.Since(start) > 3*time.Second {
		t.Errorf("slow tile: %v (kind %v) after %v, want unavailable promptly", err, errs.KindOf(err), time.Since(start))
	}

	broken := l
	broken.SQL = `SELECT no_such_function($1::int, $2::int, $3::int)`
	_, err = s.Tile(context.Background(), broken, tiles.Tile{Z: 1})
	if err == nil || errs.KindOf(err) != errs.Internal || errs.Message(err) != "internal error" {
		t.Errorf("broken SQL: %v (kind %v), want an internal error", err, errs.KindOf(err))
	}
	if err != nil && !strings.Contains(err.Error(), "Store.Tile(oblasts, 1/0/0)") {
		t.Errorf("error %q does not name the call", err)
	}
}

func TestStoreGeneration(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	g0, err := s.Generation(ctx)
	if err != nil || g0 != 0 {
		t.Fatalf("Generation on an empty database = %d, %v; want 0", g0, err)
	}
	if _, err := postgistest.Pool(s).Exec(ctx, `INSERT INTO import_run (dataset, source) VALUES ('settlements', 'test')`); err != nil {
		t.Fatal(err)
	}
	g1, err := s.Generation(ctx)
	if err != nil || g1 == g0 {
		t.Fatalf("Generation after an import = %d, %v; want a change from %d", g1, err, g0)
	}
	// A finished compute run changes the indicators the area tiles carry.
	if _, err := postgistest.Pool(s).Exec(ctx, `INSERT INTO compute_run (status) VALUES ('running'), ('done')`); err != nil {
		t.Fatal(err)
	}
	g2, err := s.Generation(ctx)
	if err != nil || g2 <= g1 {
		t.Fatalf("Generation after a compute run = %d, %v; want more than %d", g2, err, g1)
	}
}
