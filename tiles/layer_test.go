package tiles

import (
	"github.com/aimaq/aimaq/geo/indicator"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
)

func TestCatalogue(t *testing.T) {
	c := NewCatalogue()
	var names []string
	for _, l := range c.Layers() {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, ","); got != "oblasts,districts,groups,settlements" {
		t.Fatalf("layers = %s", got)
	}
	param := regexp.MustCompile(`\$\d+`)
	for _, l := range c.Layers() {
		t.Run(l.Name, func(t *testing.T) {
			got, ok := c.Layer(l.Name)
			if !ok || got.Name != l.Name {
				t.Fatalf("Layer(%q) = %v, %v", l.Name, got.Name, ok)
			}
			if l.Description == "" || l.Attribution == "" || len(l.Fields) == 0 {
				t.Errorf("layer %s lacks description, attribution or fields", l.Name)
			}
			if l.MinZoom > l.MaxZoom || l.MaxZoom > MaxZoom {
				t.Errorf("zooms %d..%d", l.MinZoom, l.MaxZoom)
			}
			for _, p := range param.FindAllString(l.SQL, -1) {
				if p != "$1" && p != "$2" && p != "$3" {
					t.Errorf("SQL uses %s; only $1..$3 (z, x, y) are bound", p)
				}
			}
			for _, want := range []string{
				"ST_TileEnvelope($1::int, $2::int, $3::int)",
				"ST_AsMVT(q, '" + l.Name + "', 4096, 'geom', 'id' ORDER BY ", // a fixed feature order: same data, same bytes
				"4096, 64, true)",
			} {
				if !strings.Contains(l.SQL, want) {
					t.Errorf("SQL lacks %q", want)
				}
			}
			// Area layers cut the band's prepared geometry and simplify
			// nothing per request; settlements are points.
			if l.Name == "settlements" {
				if !strings.Contains(l.SQL, "geom_3857 && b.clip") {
					t.Errorf("SQL lacks the index test on geom_3857")
				}
			} else {
				for _, want := range []string{"FROM area_tile t", "t.geom && b.clip", "$1::int BETWEEN t.zmin AND t.zmax"} {
					if !strings.Contains(l.SQL, want) {
						t.Errorf("SQL lacks %q", want)
					}
				}
				if strings.Contains(l.SQL, "ST_Simplify") || strings.Contains(l.SQL, "a.geom_3857") {
					t.Errorf("SQL simplifies or reads area.geom_3857 per request")
				}
			}
			// Every advertised field is a column of the query (indicators come
			// from its jsonb column of the latest run's area_indicator rows).
			for f := range l.Fields {
				if _, isIndicator := indicator.Lookup(f); isIndicator {
					if !strings.Contains(l.SQL, "area_indicators_latest(a.id)") {
						t.Errorf("field %s: %s.sql does not read area_indicator", f, l.Name)
					}
					continue
				}
				if !regexp.MustCompile(`(?m)(\.|AS )` + f + `,?$`).MatchString(l.SQL) {
					t.Errorf("field %s is not selected by %s.sql", f, l.Name)
				}
			}
		})
	}
	if _, ok := c.Layer("pg_catalog"); ok {
		t.Error("Layer(pg_catalog) found")
	}
}

func TestContractFields(t *testing.T) {
	// The front end relies on these names; changing them is a breaking change.
	want := map[string]string{
		"oblasts":     "area_km2 code density group_code group_name_en group_name_kk group_name_ru iso medical name_en name_kk name_ru population population_estimated population_year schools",
		"districts":   "area_km2 code density group_code group_name_en group_name_kk group_name_ru name_en name_kk name_ru oblast_code oblast_name_en oblast_name_kk oblast_name_ru population population_estimated",
		"groups":      "area_km2 code density kind name_en name_kk name_ru population",
		"settlements": "access_method clinic_km clinic_min district_centre_km district_centre_min district_name_en district_name_kk district_name_ru hospital_min name name_en name_kk name_ru oblast_centre_km oblast_centre_min oblast_name_en oblast_name_kk oblast_name_ru paved_road_km place population population_estimated school_km school_min srs_score town5k_km",
	}
	c := NewCatalogue()
	for name, fields := range want {
		l, _ := c.Layer(name)
		var got []string
		for f := range l.Fields {
			if _, isIndicator := indicator.Lookup(f); isIndicator {
				continue // the catalogue's own test covers these
			}
			got = append(got, f)
		}
		slices.Sort(got)
		if g := strings.Join(got, " "); g != fields {
			t.Errorf("%s fields:\n got %s\nwant %s", name, g, fields)
		}
	}
}

func TestNeedsQuery(t *testing.T) {
	c := NewCatalogue()
	settlements, _ := c.Layer("settlements")
	oblasts, _ := c.Layer("oblasts")
	tests := []struct {
		name  string
		l     Layer
		z     Zoom
		query bool
		kind  errs.Kind // checked when an error is expected
		err   bool
	}{
		{name: "settlements below minzoom", l: settlements, z: 3, query: false},
		{name: "settlements at minzoom", l: settlements, z: 4, query: true},
		{name: "settlements at maxzoom", l: settlements, z: 14, query: true},
		{name: "settlements above maxzoom", l: settlements, z: 15, err: true, kind: errs.NotFound},
		{name: "oblasts z0", l: oblasts, z: 0, query: true},
		{name: "oblasts above maxzoom", l: oblasts, z: 22, err: true, kind: errs.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			query, err := tt.l.NeedsQuery(Tile{Z: tt.z})
			if tt.err {
				if err == nil || errs.KindOf(err) != tt.kind {
					t.Fatalf("NeedsQuery(z=%d) = %v, %v; want a %v error", tt.z, query, err, tt.kind)
				}
				return
			}
			if err != nil || query != tt.query {
				t.Fatalf("NeedsQuery(z=%d) = %v, %v; want %v", tt.z, query, err, tt.query)
			}
		})
	}
}

func TestAreaBands(t *testing.T) {
	// Contiguous from 0 to the area layers' MaxZoom, tolerances shrinking.
	next := Zoom(0)
	prev := math.Inf(1)
	for _, b := range AreaBands {
		if b.MinZoom != next || b.MaxZoom < b.MinZoom {
			t.Errorf("band %v does not follow z%d", b, next)
		}
		if tol := b.Tolerance(); tol >= prev || tol <= 0 {
			t.Errorf("band %v: tolerance %v after %v", b, tol, prev)
		}
		prev = b.Tolerance()
		next = b.MaxZoom + 1
	}
	for _, name := range []string{"oblasts", "districts", "groups"} {
		l, _ := NewCatalogue().Layer(name)
		if next != l.MaxZoom+1 {
			t.Errorf("bands end at z%d, layer %s at z%d", next-1, name, l.MaxZoom)
		}
	}
	// Half a pixel at z14: 4.78 m.
	if got := AreaBands[len(AreaBands)-1].Tolerance(); math.Abs(got-4.7773) > 1e-3 {
		t.Errorf("z11–14 tolerance %v m, want 4.777", got)
	}
}
