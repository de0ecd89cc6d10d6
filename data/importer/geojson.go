package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"
)

// feature is one decoded GeoJSON feature with its position in the file.
type feature struct {
	index int // 0-based position in "features"
	geom  orb.Geometry
	props geojson.Properties
}

// readFeatures reads a GeoJSON FeatureCollection, with errors that name the
// line of a syntax error or the index of a bad feature. Geometry that cannot
// be a fact is refused before any SQL (see checkGeometry), and a declared crs
// is honoured or refused (see declaredCRS): the features come back in WGS 84
// longitude and latitude.
func readFeatures(file string) ([]feature, []byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, invalid(file, "%v", err)
	}
	var fc struct {
		Type     string            `json:"type"`
		CRS      json.RawMessage   `json:"crs"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, nil, invalid(file, "%s", jsonErr(b, err))
	}
	if fc.Type != "FeatureCollection" {
		return nil, nil, invalid(file, "top-level type %q: want a GeoJSON FeatureCollection", fc.Type)
	}
	toWGS84, err := declaredCRS(fc.CRS)
	if err != nil {
		return nil, nil, invalid(file, "%v", err)
	}
	out := make([]feature, 0, len(fc.Features))
	for i, raw := range fc.Features {
		f, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			return nil, nil, invalid(file, "feature %d: %v", i, err)
		}
		if f.Geometry == nil {
			return nil, nil, invalid(file, "feature %d: no geometry", i)
		}
		if err := checkGeometry(raw); err != nil {
			return nil, nil, invalid(file, "feature %d: %v", i, err)
		}
		g := f.Geometry
		if toWGS84 != nil {
			g = project.Geometry(g, toWGS84)
		}
		out = append(out, feature{index: i, geom: g, props: f.Properties})
	}
	return out, b, nil
}

// rawGeometry is a GeoJSON geometry with its positions as they were written:
// orb's decoder fills a position into [2]float64, silently dropping a third
// number and zero-filling a missing second one.
type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []rawGeometry   `json:"geometries"`
}

// checkGeometry refuses the positions and rings of a feature that cannot be a
// fact, naming the field ("geometry.coordinates[0]"):
//   - a position with other than two numbers. A third (altitude) or fourth
//     (measure) number is refused, not dropped: aimaq is 2D throughout, and
//     refusing keeps every GeoJSON importer alike and the file unambiguous
//     (ogr2ogr -dim XY drops them);
//   - a polygon ring of fewer than 4 positions or whose last position is not
//     its first (RFC 7946 §3.1.6): PostGIS would stop the import with its own
//     error, and closing it for the user would invent an edge.
func checkGeometry(rawFeature []byte) error {
	var f struct {
		Geometry rawGeometry `json:"geometry"`
	}
	if err := json.Unmarshal(rawFeature, &f); err != nil {
		return fmt.Errorf("geometry: %v", err)
	}
	return f.Geometry.check("geometry")
}

func (g rawGeometry) check(at string) error {
	path := at + ".coordinates"
	var err error
	switch g.Type {
	case "Point":
		var p []float64
		if err = json.Unmarshal(g.Coordinates, &p); err == nil {
			return checkPosition(path, p)
		}
	case "MultiPoint", "LineString":
		var ps [][]float64
		if err = json.Unmarshal(g.Coordinates, &ps); err == nil {
			return checkPositions(path, ps)
		}
	case "MultiLineString":
		var ls [][][]float64
		if err = json.Unmarshal(g.Coordinates, &ls); err == nil {
			for i, l := range ls {
				if err := checkPositions(fmt.Sprintf("%s[%d]", path, i), l); err != nil {
					return err
				}
			}
			return nil
		}
	case "Polygon":
		var rings [][][]float64
		if err = json.Unmarshal(g.Coordinates, &rings); err == nil {
			return checkPolygon(path, rings)
		}
	case "MultiPolygon":
		var polys [][][][]float64
		if err = json.Unmarshal(g.Coordinates, &polys); err == nil {
			for i, rings := range polys {
				if err := checkPolygon(fmt.Sprintf("%s[%d]", path, i), rings); err != nil {
					return err
				}
			}
			return nil
		}
	case "GeometryCollection":
		for i, m := range g.Geometries {
			if err := m.check(fmt.Sprintf("%s.geometries[%d]", at, i)); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("geometry: unknown type %q", g.Type)
	}
	return fmt.Errorf("%s: %v", path, err)
}

func checkPolygon(path string, rings [][][]float64) error {
	for i, r := range rings {
		rp := fmt.Sprintf("%s[%d]", path, i)
		if err := checkPositions(rp, r); err != nil {
			return err
		}
		if len(r) < 4 {
			return fmt.Errorf("%s: ring of %d positions: a ring needs at least 4, the last repeating the first", rp, len(r))
		}
		if first, last := r[0], r[len(r)-1]; first[0] != last[0] || first[1] != last[1] {
			return fmt.Errorf("%s: ring not closed: it starts at %v and ends at %v; the last position must repeat the first", rp, first, last)
		}
	}
	return nil
}

func checkPositions(path string, ps [][]float64) error {
	for i, p := range ps {
		if err := checkPosition(fmt.Sprintf("%s[%d]", path, i), p); err != nil {
			return err
		}
	}
	return nil
}

func checkPosition(path string, p []float64) error {
	switch {
	case len(p) < 2:
		return fmt.Errorf("%s: position %v has %d number(s): want longitude and latitude", path, p, len(p))
	case len(p) > 2:
		return fmt.Errorf("%s: position %v has %d numbers: aimaq reads longitude and latitude only and refuses altitude or measure rather than drop them; write 2D positions (ogr2ogr -dim XY)", path, p, len(p))
	}
	return nil
}

// jsonErr turns a decoding error into a message with a line and column.
func jsonErr(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(b, se.Offset)
		if se.Offset >= int64(len(b)) {
			return fmt.Sprintf("truncated JSON: the file ends at line %d before the document is complete", line)
		}
		return fmt.Sprintf("malformed JSON at line %d, column %d: %v", line, col, se)
	case errors.As(err, &te):
		line, col := lineCol(b, te.Offset)
		return fmt.Sprintf("line %d, column %d: field %q has a JSON %s, want %s", line, col, te.Field, te.Value, te.Type)
	case err.Error() == "unexpected end of JSON input":
		line, _ := lineCol(b, int64(len(b)))
		return fmt.Sprintf("truncated JSON: the file ends at line %d before the document is complete", line)
	}
	return err.Error()
}

func lineCol(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// str returns a string property, or "" when it is absent or null.
func str(p geojson.Properties, key string) string {
	switch v := p[key].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprintf("%.0f", v)
	}
	return ""
}

// nullable returns nil for "" so empty names are stored as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func toWKB(g orb.Geometry) ([]byte, error) {
	return wkb.Marshal(g)
}
