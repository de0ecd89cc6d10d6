package tiles

import (
	"encoding/json"
	"testing"
)

func TestTileJSON(t *testing.T) {
	l, _ := NewCatalogue().Layer("settlements")
	for _, base := range []string{"https://maps.example.kz", "https://maps.example.kz/"} {
		tj := TileJSON(l, base, [4]float64{46.5, 40.5, 87.5, 55.5})
		if tj.TileJSON != "3.0.0" || tj.Scheme != "xyz" || tj.Name != "settlements" {
			t.Errorf("header fields: %+v", tj)
		}
		if len(tj.Tiles) != 1 || tj.Tiles[0] != "https://maps.example.kz/tiles/settlements/{z}/{x}/{y}.mvt" {
			t.Errorf("tiles = %v", tj.Tiles)
		}
		if tj.MinZoom != 4 || tj.MaxZoom != 14 {
			t.Errorf("zooms = %d..%d", tj.MinZoom, tj.MaxZoom)
		}
		if tj.Bounds != [4]float64{46.5, 40.5, 87.5, 55.5} { // the data's extent, given
			t.Errorf("bounds = %v", tj.Bounds)
		}
		if c := tj.Center; c[0] < 46.4 || c[0] > 87.4 || c[1] < 40.5 || c[1] > 55.5 || c[2] < 4 {
			t.Errorf("center = %v", c)
		}
		if len(tj.VectorLayers) != 1 || tj.VectorLayers[0].ID != "settlements" || tj.VectorLayers[0].Fields["name_kk"] == "" {
			t.Errorf("vector_layers = %+v", tj.VectorLayers)
		}
	}

	b, err := json.Marshal(TileJSON(l, "http://x", [4]float64{46.5, 40.5, 87.5, 55.5}))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tilejson", "name", "description", "attribution", "scheme", "tiles", "minzoom", "maxzoom", "bounds", "center", "vector_layers"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}

	l.Bounds = [4]float64{70, 50, 72, 52}
	if got := TileJSON(l, "http://x", [4]float64{46.5, 40.5, 87.5, 55.5}).Bounds; got != l.Bounds {
		t.Errorf("own bounds = %v", got)
	}
}
