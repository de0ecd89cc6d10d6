package tiles

import (
	"slices"
	"strings"
)

// TileSet is a TileJSON 3.0.0 document describing one layer's tiles.
// See https://github.com/mapbox/tilejson-spec/tree/master/3.0.0.
type TileSet struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      Zoom          `json:"minzoom"`
	MaxZoom      Zoom          `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"` // longitude, latitude, zoom
	VectorLayers []VectorLayer `json:"vector_layers"`
}

// VectorLayer describes one MVT layer inside the tiles of a TileSet.
type VectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     Zoom              `json:"minzoom"`
	MaxZoom     Zoom              `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// TileJSON describes layer l served under baseURL (scheme, host and any path
// prefix, such as "https://maps.example.kz"), whose tiles are then at
// baseURL/tiles/<layer>/{z}/{x}/{y}.mvt. The tile URL must be absolute:
// clients resolve it against nothing. bounds (west, south, east, north)
// is the extent of the data, which a layer without bounds of its own takes.
func TileJSON(l Layer, baseURL string, bounds [4]float64) TileSet {
	b := l.Bounds
	if b == ([4]float64{}) {
		b = bounds
	}
	centre := [3]float64{(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, float64(max(l.MinZoom, 4))}
	return TileSet{
		TileJSON:    "3.0.0",
		Name:        l.Name,
		Description: l.Description,
		Attribution: l.Attribution,
		Scheme:      "xyz",
		Tiles:       []string{TileURL(baseURL, l.Name)},
		MinZoom:     l.MinZoom,
		MaxZoom:     l.MaxZoom,
		Bounds:      b,
		Center:      centre,
		VectorLayers: []VectorLayer{{
			ID:          l.Name,
			Description: l.Description,
			MinZoom:     l.MinZoom,
			MaxZoom:     l.MaxZoom,
			Fields:      l.Fields,
		}},
	}
}

// TileURL is the XYZ URL template of layer name under baseURL.
func TileURL(baseURL, name string) string {
	return strings.TrimRight(baseURL, "/") + "/tiles/" + name + "/{z}/{x}/{y}.mvt"
}

// CompositeTileJSON describes the composite tiles of layers (at least one),
// served under baseURL at baseURL/tiles/<a,b,…>/{z}/{x}/{y}.mvt: one MVT per
// tile carrying each layer, in this order. The zooms span the layers' own
// (vector_layers tells each layer's), the bounds are the union of theirs.
func CompositeTileJSON(layers []Layer, baseURL string, bounds [4]float64) TileSet {
	names := make([]string, len(layers))
	var attributions []string
	ts := TileSet{TileJSON: "3.0.0", Scheme: "xyz", MinZoom: MaxZoom}
	for i, l := range layers {
		names[i] = l.Name
		if l.Attribution != "" && !slices.Contains(attributions, l.Attribution) {
			attributions = append(attributions, l.Attribution)
		}
		ts.MinZoom = min(ts.MinZoom, l.MinZoom)
		ts.MaxZoom = max(ts.MaxZoom, l.MaxZoom)
		b := l.Bounds
		if b == ([4]float64{}) {
			b = bounds
		}
		if i == 0 {
			ts.Bounds = b
		} else {
			ts.Bounds = [4]float64{min(ts.Bounds[0], b[0]), min(ts.Bounds[1], b[1]), max(ts.Bounds[2], b[2]), max(ts.Bounds[3], b[3])}
		}
		ts.VectorLayers = append(ts.VectorLayers, VectorLayer{
			ID:          l.Name,
			Description: l.Description,
			MinZoom:     l.MinZoom,
			MaxZoom:     l.MaxZoom,
			Fields:      l.Fields,
		})
	}
	name := strings.Join(names, ",")
	ts.Name = name
	ts.Description = "Composite tiles: each tile carries the layers " + strings.Join(names, ", ") + ", in this order."
	ts.Attribution = strings.Join(attributions, " ")
	ts.Tiles = []string{TileURL(baseURL, name)}
	ts.Center = [3]float64{(ts.Bounds[0] + ts.Bounds[2]) / 2, (ts.Bounds[1] + ts.Bounds[3]) / 2, float64(max(ts.MinZoom, 4))}
	return ts
}
