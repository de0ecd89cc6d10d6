package tiles

import (
	"fmt"
	"strings"

	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
)

// LegendEntry is one class of a choropleth legend.
type LegendEntry struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Color string  `json:"color"`
	Count int     `json:"count"`
	Label string  `json:"label"`
}

// StyleOptions describe one choropleth style.
type StyleOptions struct {
	Indicator indicator.Indicator
	Level     level.Level // a mapped level: district, oblast or macroregion
	Method    string      // classification method, for the metadata
	Bounds    []float64   // k+1 class bounds, ascending
	Colors    []string    // k colours
	Counts    []int       // k class counts
	BaseURL   string      // absolute base of the TileJSON and glyph URLs
	Lang      string      // kk, ru or en: label language
}

// Fonts is the font stack labels use; aimaq serves its glyphs under /fonts.
const Fonts = "DejaVu Sans"

// Legend builds the legend of a classification.
func Legend(bounds []float64, colors []string, counts []int, unit string) []LegendEntry {
	out := make([]LegendEntry, 0, len(colors))
	for i, c := range colors {
		e := LegendEntry{From: bounds[i], To: bounds[i+1], Color: c}
		if i < len(counts) {
			e.Count = counts[i]
		}
		e.Label = fmt.Sprintf("%s – %s", FormatNumber(e.From), FormatNumber(e.To))
		if unit != "" && unit != "share" {
			e.Label += " " + unit
		}
		out = append(out, e)
	}
	return out
}

// FormatNumber prints a class bound with as many digits as its size needs.
func FormatNumber(v float64) string {
	a := v
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}

// Style returns a MapLibre GL style (version 8) for a choropleth of one
// indicator: a vector source by TileJSON URL, the fill coloured by a `step`
// expression over the class bounds, outlines, labels, and the legend in the
// metadata. QGIS reads the same document as the style URL of a vector tile
// connection.
func Style(o StyleOptions) (map[string]any, error) {
	info, ok := level.Lookup(o.Level)
	layer := info.Layer
	if !ok || !info.Map {
		return nil, fmt.Errorf("level %q: want district, oblast or macroregion", o.Level)
	}
	k := len(o.Colors)
	if k == 0 || len(o.Bounds) != k+1 {
		return nil, fmt.Errorf("style: %d colours need %d bounds, got %d", k, k+1, len(o.Bounds))
	}
	name := o.Indicator.Name
	// ["step", input, c0, b1, c1, …]: the inner bounds pick the colour.
	step := []any{"step", []any{"to-number", []any{"get", name}}, o.Colors[0]}
	for i := 1; i < k; i++ {
		step = append(step, o.Bounds[i], o.Colors[i])
	}
	fill := []any{"case", []any{"has", name}, step, "#d9d9d9"}
	lang := o.Lang
	if lang != "kk" && lang != "ru" {
		lang = "en"
	}
	base := strings.TrimRight(o.BaseURL, "/")
	title := o.Indicator.Title.Label(lang)
	return map[string]any{
		"version": 8,
		"name":    fmt.Sprintf("aimaq: %s (%s)", title, o.Level),
		"glyphs":  base + "/fonts/{fontstack}/{range}.pbf",
		"center":  []float64{67, 48},
		"zoom":    3.5,
		"sources": map[string]any{
			layer: map[string]any{"type": "vector", "url": base + "/tiles/" + layer + ".json"},
		},
		"layers": []any{
			map[string]any{"id": "background", "type": "background", "paint": map[string]any{"background-color": "#f4f3ef"}},
			map[string]any{"id": layer + "-fill", "type": "fill", "source": layer, "source-layer": layer,
				"paint": map[string]any{"fill-color": fill, "fill-opacity": 0.85}},
			map[string]any{"id": layer + "-outline", "type": "line", "source": layer, "source-layer": layer,
				"paint": map[string]any{"line-color": "#4d4d4d", "line-width": []any{"interpolate", []any{"linear"}, []any{"zoom"}, 3, 0.3, 8, 1.2}}},
			map[string]any{"id": layer + "-label", "type": "symbol", "source": layer, "source-layer": layer,
				"minzoom": map[string]float64{"oblasts": 3, "groups": 2, "districts": 6}[layer],
				"layout": map[string]any{
					"text-field":         []any{"coalesce", []any{"get", "name_" + lang}, []any{"get", "name_en"}},
					"text-font":          []any{Fonts},
					"text-size":          12,
					"text-max-width":     8,
					"symbol-placement":   "point",
					"text-allow-overlap": false,
				},
				"paint": map[string]any{"text-color": "#222222", "text-halo-color": "#ffffff", "text-halo-width": 1.2}},
		},
		"metadata": map[string]any{
			"aimaq:indicator": map[string]any{"name": name, "unit": o.Indicator.Unit, "direction": o.Indicator.Direction, "title": o.Indicator.Title},
			"aimaq:level":     o.Level,
			"aimaq:method":    o.Method,
			"aimaq:legend":    Legend(o.Bounds, o.Colors, o.Counts, o.Indicator.Unit),
		},
	}, nil
}
