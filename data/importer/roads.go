package importer

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
	"github.com/paulmach/orb/geojson"
)

var (
	sqlRoadsStage      = mustSQL("roads_stage.sql")
	sqlRoadsDeleteGone = mustSQL("roads_delete_gone.sql")
	sqlRoadsUpsert     = mustSQL("roads_upsert.sql")
)

// roadColumns are the staged columns, in the order of a road COPY row:
// source_id, class, surface, paved, paved_assumed, speed_kmh (a road's own
// travel speed), maxspeed_kmh (the tagged limit, capped by the class speed when
// the graph is built: route.Speeds), oneway, name, node_ids (the OSM node id of
// each vertex, NULL for roads from other sources), EWKB geometry.
var roadColumns = []string{"source_id", "class", "surface", "paved", "paved_assumed", "speed_kmh", "maxspeed_kmh", "oneway", "name", "node_ids", "g"}

// loadRoads replaces the roads of source with the rows src yields: COPY into a
// staging table, delete the roads no longer there, upsert the rest.
func loadRoads(ctx context.Context, tx pgx.Tx, runID int64, source string, src pgx.CopyFromSource) (int, error) {
	if _, err := tx.Exec(ctx, sqlRoadsStage); err != nil {
		return 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_road"}, roadColumns, src); err != nil {
		return 0, err
	}
	// Temporary tables are never auto-analysed; without statistics the anti-join
	// below would be planned for a handful of rows.
	if _, err := tx.Exec(ctx, `ANALYZE stage_road`); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, sqlRoadsDeleteGone, source); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, sqlRoadsUpsert, source, runID)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// Roads imports roads that do not come from OpenStreetMap from a GeoJSON
// FeatureCollection of LineStrings and MultiLineStrings, replacing the roads
// previously imported from a file of the same name (source "file:<basename>").
// Properties:
//
//   - class (required): an OSM highway class such as primary or track;
//   - paved (true/false, "yes"/"no"), else surface (an OSM surface value,
//     classified by SurfacePaved), else assumed from the class (AssumedPaved,
//     stored with paved_assumed);
//   - speed_kmh (a number): the road's own travel speed, used as given (a
//     measured or designed speed);
//   - maxspeed (an OSM maxspeed value, ParseMaxspeed): the speed limit, which,
//     as for OpenStreetMap roads, can slow the road below its class's typical
//     speed but never speed it up (route.Speeds);
//   - oneway: true/false, 1/0/-1 or "yes"/"no"/"-1"; -1 stores the line reversed;
//   - name; id (default "feature/<i>").
//
// Each part of a MultiLineString becomes a road "<id>/<k>" (k from 0). Errors
// name the feature and the field.
func (im *Importer) Roads(ctx context.Context, file string) (*Report, error) {
	// Streamed (see featureStream): each road goes to the staging table as
	// it is read; only the ids are kept, to refuse one given twice.
	fs, err := streamFeatures(file)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	source := fileSource(file)
	return im.inTx(ctx, "roads", file, nil, func(tx pgx.Tx, runID int64, rep *Report) error {
		seen := map[string]int{}
		src := &featureRows{fs: fs, rows: func(f feature) ([][]any, error) {
			fr, err := roadRows(f)
			if err != nil {
				return nil, invalid(file, "feature %d: %v", f.index, err)
			}
			for _, r := range fr {
				id := r[0].(string)
				if prev, dup := seen[id]; dup {
					return nil, invalid(file, "feature %d: field id: road %q already given by feature %d", f.index, id, prev)
				}
				seen[id] = f.index
			}
			return fr, nil
		}}
		n, err := loadRoads(ctx, tx, runID, source, src)
		if src.err != nil {
			return src.err
		}
		if err != nil {
			return fmt.Errorf("import roads %s: %w", file, err)
		}
		if src.n == 0 {
			return invalid(file, "no roads")
		}
		if err := recordSHA256(ctx, tx, runID, fs); err != nil {
			return err
		}
		rep.Rows = n
		im.logf("roads: %d imported as source %s\n", n, source)
		return nil
	})
}

// roadRows turns one feature into COPY rows (one per line); errors name the field.
func roadRows(f feature) ([][]any, error) {
	var lines []orb.LineString
	switch g := f.geom.(type) {
	case orb.LineString:
		lines = []orb.LineString{g}
	case orb.MultiLineString:
		lines = g
	default:
		return nil, fmt.Errorf("geometry type %s: want LineString or MultiLineString", f.geom.GeoJSONType())
	}
	class := strings.TrimSpace(str(f.props, "class"))
	if class == "" {
		return nil, fmt.Errorf("field class: missing")
	}
	surface := strings.TrimSpace(str(f.props, "surface"))
	var paved any
	assumed := false
	if v, present, err := boolProp(f.props, "paved"); err != nil {
		return nil, fmt.Errorf("field paved: %v", err)
	} else if present {
		paved = v
	} else if p, known, a := roadPaved(surface, class); known {
		paved, assumed = p, a
	}
	var speed, maxspeed any
	if raw := str(f.props, "maxspeed"); raw != "" {
		s, ok := ParseMaxspeed(raw)
		if !ok {
			return nil, fmt.Errorf("field maxspeed: %q is not a speed", raw)
		}
		maxspeed = s
	}
	switch v := f.props["speed_kmh"].(type) {
	case nil:
	case float64:
		if v <= 0 || v > 300 || math.IsNaN(v) {
			return nil, fmt.Errorf("field speed_kmh: %v is not a speed in km/h (0–300)", v)
		}
		speed = v
	default:
		return nil, fmt.Errorf("field speed_kmh: %s is not a number", jsonValue(v))
	}
	oneway, reverse, err := onewayProp(f.props)
	if err != nil {
		return nil, fmt.Errorf("field oneway: %v", err)
	}
	id := strings.TrimSpace(str(f.props, "id"))
	if id == "" {
		id = fmt.Sprintf("feature/%d", f.index)
	}
	name := strings.TrimSpace(str(f.props, "name"))
	var rows [][]any
	for k, line := range lines {
		sourceID := id
		if _, multi := f.geom.(orb.MultiLineString); multi {
			sourceID = fmt.Sprintf("%s/%d", id, k)
		}
		var clean orb.LineString
		for _, pt := range line {
			if field, err := checkLonLat(pt[0], pt[1]); err != nil {
				return nil, fmt.Errorf("coordinates: %s %v", field, err)
			}
			if len(clean) == 0 || clean[len(clean)-1] != pt {
				clean = append(clean, pt)
			}
		}
		if len(clean) < 2 {
			if len(lines) > 1 {
				return nil, fmt.Errorf("geometry: part %d has fewer than 2 distinct points", k)
			}
			return nil, fmt.Errorf("geometry: fewer than 2 distinct points")
		}
		if reverse {
			clean.Reverse()
		}
		g, err := ewkb.Marshal(clean, 4326)
		if err != nil {
			return nil, fmt.Errorf("geometry: %v", err)
		}
		rows = append(rows, []any{sourceID, class, nullable(surface), paved, assumed, speed, maxspeed, oneway, nullable(name), nil, g})
	}
	return rows, nil
}

// boolProp reads a yes/no property: a JSON boolean, 1/0, or "yes"/"no"/"true"/"false".
func boolProp(p geojson.Properties, key string) (v, present bool, err error) {
	switch x := p[key].(type) {
	case nil:
		return false, false, nil
	case bool:
		return x, true, nil
	case float64:
		if x == 0 || x == 1 {
			return x == 1, true, nil
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "yes", "true", "1":
			return true, true, nil
		case "no", "false", "0":
			return false, true, nil
		case "":
			return false, false, nil
		}
	}
	return false, false, fmt.Errorf("%s is not yes or no", jsonValue(p[key]))
}

// jsonValue shows a property value as it looks in the file.
func jsonValue(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// onewayProp reads oneway: like boolProp, plus -1 / "-1" for a line drawn against its direction.
func onewayProp(p geojson.Properties) (oneway, reverse bool, err error) {
	switch x := p["oneway"].(type) {
	case float64:
		if x == -1 {
			return true, true, nil
		}
	case string:
		if s := strings.ToLower(strings.TrimSpace(x)); s == "-1" || s == "reverse" {
			return true, true, nil
		}
	}
	v, _, err := boolProp(p, "oneway")
	return v, false, err
}
