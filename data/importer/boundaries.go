package importer

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// Levels that boundary files can hold, with the property prefix of their names.
var boundaryLevels = map[string]string{"country": "ADM0", "oblast": "ADM1", "district": "ADM2"}

var katoRe = regexp.MustCompile(`^[0-9]{9}$`)

var (
	sqlBoundariesRepair         = mustSQL("boundaries_repair.sql")
	sqlBoundariesOrphanDistrict = mustSQL("boundaries_orphan_district.sql")
	sqlBoundariesUpsert         = mustSQL("boundaries_upsert.sql")
)

// Boundaries imports a GeoJSON of administrative units of one level, replacing
// that level. Each feature needs a 9-digit KATO; names come from ADMn_KK/RU/EN
// (or name_kk/ru/en). Invalid polygons are repaired with ST_MakeValid and
// listed in the report.
func (im *Importer) Boundaries(ctx context.Context, file, level string) (*Report, error) {
	prefix, ok := boundaryLevels[level]
	if !ok {
		return nil, invalid(file, "level %q: want country, oblast or district", level)
	}
	start := time.Now()
	feats, content, err := readFeatures(file)
	if err != nil {
		return nil, err
	}
	type row struct {
		idx                   int
		code, iso, kk, ru, en string
		wkb                   []byte
	}
	rows := make([]row, 0, len(feats))
	seen := map[string]int{}
	for _, f := range feats {
		switch f.geom.(type) {
		case orb.Polygon, orb.MultiPolygon:
		default:
			return nil, invalid(file, "feature %d: geometry type %s: want Polygon or MultiPolygon", f.index, f.geom.GeoJSONType())
		}
		r := row{idx: f.index, code: str(f.props, "KATO"), iso: str(f.props, "ISO_3166_2")}
		r.kk, r.ru, r.en = firstOf(f.props, prefix+"_KK", "name_kk"), firstOf(f.props, prefix+"_RU", "name_ru"), firstOf(f.props, prefix+"_EN", "name_en")
		if r.code == "" {
			return nil, invalid(file, "feature %d (%s): missing KATO", f.index, r.en)
		}
		if !katoRe.MatchString(r.code) {
			return nil, invalid(file, "feature %d (%s): KATO %q: want 9 digits", f.index, r.en, r.code)
		}
		if prev, dup := seen[r.code]; dup {
			return nil, invalid(file, "feature %d: KATO %s already used by feature %d", f.index, r.code, prev)
		}
		seen[r.code] = f.index
		if r.wkb, err = toWKB(f.geom); err != nil {
			return nil, invalid(file, "feature %d: geometry: %v", f.index, err)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, invalid(file, "no features")
	}
	return im.inTx(ctx, "boundaries:"+level, file, content, func(tx pgx.Tx, runID int64, rep *Report) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE stage_area (idx int, code text, iso text, name_kk text, name_ru text, name_en text, g geometry) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_area"}, []string{"idx", "code", "iso", "name_kk", "name_ru", "name_en", "g"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := rows[i]
				return []any{r.idx, r.code, nullable(r.iso), nullable(r.kk), nullable(r.ru), nullable(r.en), r.wkb}, nil
			})); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE stage_area SET g = ST_SetSRID(g, 4326)`); err != nil {
			return err
		}
		// Repair, and report each repair by feature.
		bad, err := tx.Query(ctx, `SELECT idx, code, coalesce(name_en, ''), ST_IsValidReason(g) FROM stage_area WHERE NOT ST_IsValid(g) ORDER BY idx`)
		if err != nil {
			return err
		}
		var repaired []int32
		for bad.Next() {
			var idx int32
			var code, name, reason string
			if err := bad.Scan(&idx, &code, &name, &reason); err != nil {
				return err
			}
			repaired = append(repaired, idx)
			rep.Repaired = append(rep.Repaired, fmt.Sprintf("feature %d, KATO %s (%s): %s", idx, code, name, reason))
		}
		if err := bad.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlBoundariesRepair); err != nil {
			return err
		}
		var emptyIdx int
		var emptyCode string
		switch err := tx.QueryRow(ctx, `SELECT idx, code FROM stage_area WHERE ST_IsEmpty(g) ORDER BY idx LIMIT 1`).Scan(&emptyIdx, &emptyCode); err {
		case pgx.ErrNoRows:
		case nil:
			return invalid(file, "feature %d, KATO %s: polygon is empty after repair", emptyIdx, emptyCode)
		default:
			return err
		}
		// The parent's code follows from its level, in boundaries_upsert.sql.
		parentLevel := ""
		switch level {
		case "oblast":
			parentLevel = "country"
		case "district":
			parentLevel = "oblast"
			var idx int
			var code string
			err := tx.QueryRow(ctx, sqlBoundariesOrphanDistrict).Scan(&idx, &code)
			if err == nil {
				return invalid(file, "feature %d: district KATO %s has no oblast %s0000000: import the oblasts first", idx, code, code[:2])
			} else if err != pgx.ErrNoRows {
				return err
			}
		}
		tag, err := tx.Exec(ctx, sqlBoundariesUpsert, level, runID, parentLevel, repaired)
		if err != nil {
			return err
		}
		rep.Rows = int(tag.RowsAffected())
		del, err := tx.Exec(ctx, `DELETE FROM area WHERE level = $1 AND code NOT IN (SELECT code FROM stage_area)`, level)
		if err != nil {
			return err
		}
		if n := del.RowsAffected(); n > 0 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%d %s areas not in the new file were removed", n, level))
		}
		im.logf("boundaries %s: %d areas (%s), %d repaired\n", level, rep.Rows, rate(rep.Rows, start), len(rep.Repaired))
		return nil
	})
}

func firstOf(p map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := str(p, k); s != "" {
			return s
		}
	}
	return ""
}
