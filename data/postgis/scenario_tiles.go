package postgis

import (
	"context"
	_ "embed"
	"encoding/json"

	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
)

var (
	//go:embed sql/scenario_districts.sql
	scenarioDistrictsSQL string
	//go:embed sql/scenario_settlements.sql
	scenarioSettlementsSQL string
)

// ScenarioTile cuts tile t of a scenario's layer, "districts" or
// "settlements" (issue 12.2): the features whose ids props holds, each with
// its properties from props (flat: names to numbers, strings or booleans)
// besides the code and names the database keeps. The evaluation lives in
// memory, so its values come in as one jsonb parameter. It returns the MVT
// bytes, uncompressed; no features gives empty data and a nil error.
func (s *Store) ScenarioTile(ctx context.Context, layer string, t tiles.Tile, props map[int64]map[string]any) (_ []byte, err error) {
	defer wrap(&err, "Store.ScenarioTile(%s, %s, %d features)", layer, t, len(props))
	var sql string
	switch layer {
	case "districts":
		sql = scenarioDistrictsSQL
	case "settlements":
		sql = scenarioSettlementsSQL
	default:
		return nil, errs.E(errs.NotFound, "no scenario tile layer %q", errs.Shorten(layer))
	}
	if len(props) == 0 {
		return nil, nil
	}
	values, err := json.Marshal(props)
	if err != nil {
		return nil, err
	}
	var mvt []byte
	if err := s.pool.QueryRow(ctx, sql, int32(t.Z), int32(t.X), int32(t.Y), string(values)).Scan(&mvt); err != nil {
		return nil, Unavailable(ctx, err)
	}
	return mvt, nil
}

// AreaLabels returns the level, code and names of the areas ids (absent ids
// are left out): what a scenario's evaluation calls its areas.
func (s *Store) AreaLabels(ctx context.Context, ids []int64) (_ map[int64]scenario.AreaLabel, err error) {
	defer wrap(&err, "Store.AreaLabels(%d areas)", len(ids))
	out := make(map[int64]scenario.AreaLabel, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, level, coalesce(code, ''), coalesce(name_kk, ''), coalesce(name_ru, ''), coalesce(name_en, '')
		FROM area WHERE id = ANY ($1::bigint[])`, ids)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a scenario.AreaLabel
		var t lang.Text
		if err := rows.Scan(&id, &a.Level, &a.Code, &t.KK, &t.RU, &t.EN); err != nil {
			return nil, err
		}
		a.Name = t
		out[id] = a
	}
	return out, Unavailable(ctx, rows.Err())
}
