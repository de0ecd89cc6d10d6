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
)

// feature is one decoded GeoJSON feature with its position in the file.
type feature struct {
	index int // 0-based position in "features"
	geom  orb.Geometry
	props geojson.Properties
}

// readFeatures reads a GeoJSON FeatureCollection, with errors that name the
// line of a syntax error or the index of a bad feature.
func readFeatures(file string) ([]feature, []byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, invalid(file, "%v", err)
	}
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, nil, invalid(file, "%s", jsonErr(b, err))
	}
	if fc.Type != "FeatureCollection" {
		return nil, nil, invalid(file, "top-level type %q: want a GeoJSON FeatureCollection", fc.Type)
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
		out = append(out, feature{index: i, geom: f.Geometry, props: f.Properties})
	}
	return out, b, nil
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
