package importer

import (
	"context"
	"fmt"
	"regexp"
	"strings"
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
	sqlBoundariesParentField    = mustSQL("boundaries_parent_field.sql")
	sqlBoundariesParentSpatial  = mustSQL("boundaries_parent_spatial.sql")
	sqlBoundariesOrphan         = mustSQL("boundaries_orphan.sql")
)

// BoundaryOptions says how Boundaries reads units that have no KATO code.
type BoundaryOptions struct {
	// Level is country, oblast (a first-level unit) or district.
	Level string
	// CodeField is the property holding each unit's code. Empty: the first of
	// codeFields that the first feature has.
	CodeField string
	// ParentField is the property holding the code of each unit's parent (the
	// country of an oblast, the oblast of a district). Empty: a KATO code
	// names its parent by its first digits, any other code's parent is the
	// unit of the parent level that covers most of it.
	ParentField string
}

// codeFields are the properties a unit's code is looked for in, in order:
// Kazakhstan's KATO, then what OSMBoundaries writes and other sources use.
var codeFields = []string{"KATO", "code", "ISO3166-2", "ISO_3166_2", "ISO3166-1", "ref"}

// Boundaries imports a GeoJSON of administrative units of one level with the
// default BoundaryOptions: for Kazakhstan, each feature has a 9-digit KATO and
// names in ADMn_KK/RU/EN.
func (im *Importer) Boundaries(ctx context.Context, file, level string) (*Report, error) {
	return im.BoundariesWith(ctx, file, BoundaryOptions{Level: level})
}

// BoundariesWith imports a GeoJSON of administrative units of one level,
// replacing that level. Each feature needs a code (BoundaryOptions.CodeField;
// a KATO must have 9 digits); names come from ADMn_KK/RU/EN, else
// name_kk/ru/en (English also from name). A unit's parent is found by
// parentRule. Invalid polygons are repaired with ST_MakeValid and listed in
// the report. A unit that OSMBoundaries made from an extract's bounding box
// is imported with a warning that it is no border.
func (im *Importer) BoundariesWith(ctx context.Context, file string, o BoundaryOptions) (*Report, error) {
	level := o.Level
	prefix, ok := boundaryLevels[level]
	if !ok {
		return nil, invalid(file, "level %q: want country, oblast or district", level)
	}
	if level == "country" && o.ParentField != "" {
		return nil, invalid(file, "--parent-field %s: a country has no parent", o.ParentField)
	}
	start := time.Now()
	feats, content, err := readFeatures(file)
	if err != nil {
		return nil, err
	}
	type row struct {
		idx                               int
		code, iso, kk, ru, en, parentCode string
		wkb                               []byte
	}
	codeField := o.CodeField
	if codeField == "" && len(feats) > 0 {
		for _, k := range codeFields {
			if str(feats[0].props, k) != "" {
				codeField = k
				break
			}
		}
		if codeField == "" {
			f := feats[0]
			return nil, invalid(file, "feature %d (%s): missing KATO, and no other code either: want one of the properties %s, or name the field with --code-field",
				f.index, firstOf(f.props, prefix+"_EN", "name_en", "name"), strings.Join(codeFields, ", "))
		}
	}
	kato := codeField == "KATO"
	rule := parentRule(level, kato, o.ParentField)
	rows := make([]row, 0, len(feats))
	seen := map[string]int{}
	var warnings []string
	for _, f := range feats {
		switch f.geom.(type) {
		case orb.Polygon, orb.MultiPolygon:
		default:
			return nil, invalid(file, "feature %d: geometry type %s: want Polygon or MultiPolygon", f.index, f.geom.GeoJSONType())
		}
		r := row{idx: f.index, code: strings.TrimSpace(str(f.props, codeField)), iso: str(f.props, "ISO_3166_2")}
		r.kk, r.ru, r.en = firstOf(f.props, prefix+"_KK", "name_kk"), firstOf(f.props, prefix+"_RU", "name_ru"), firstOf(f.props, prefix+"_EN", "name_en", "name")
		switch {
		case r.code == "" && kato:
			return nil, invalid(file, "feature %d (%s): missing KATO", f.index, r.en)
		case r.code == "":
			return nil, invalid(file, "feature %d (%s): field %q: missing: the code of every unit is in this field (chosen by --code-field or because feature %d has it)", f.index, r.en, codeField, feats[0].index)
		case kato && !katoRe.MatchString(r.code):
			return nil, invalid(file, "feature %d (%s): KATO %q: want 9 digits", f.index, r.en, r.code)
		}
		if prev, dup := seen[r.code]; dup {
			return nil, invalid(file, "feature %d: %s %s already used by feature %d", f.index, codeField, r.code, prev)
		}
		seen[r.code] = f.index
		if o.ParentField != "" {
			if r.parentCode = strings.TrimSpace(str(f.props, o.ParentField)); r.parentCode == "" {
				return nil, invalid(file, "feature %d (%s): field %q: missing: --parent-field names the property with the code of the unit's %s", f.index, r.en, o.ParentField, parentLevel(level))
			}
		}
		if str(f.props, "boundary_source") == BoundaryFromExtractBound {
			warnings = append(warnings, fmt.Sprintf("feature %d (%s, %s): the bounding box of an OSM extract, not an administrative boundary: places inside the box but outside the real %s are not left out", f.index, r.en, r.code, level))
		}
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
		// Parents found by field or by overlap; a KATO names its parent in the upsert.
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE stage_parent (idx int PRIMARY KEY, parent_code text, parent_id bigint) ON COMMIT DROP`); err != nil {
			return err
		}
		if rule == parentField || rule == parentSpatial {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_parent"}, []string{"idx", "parent_code"},
				pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
					return []any{rows[i].idx, nullable(rows[i].parentCode)}, nil
				})); err != nil {
				return err
			}
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
			rep.Repaired = append(rep.Repaired, fmt.Sprintf("feature %d, %s %s (%s): %s", idx, codeField, code, name, reason))
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
			return invalid(file, "feature %d, %s %s: polygon is empty after repair", emptyIdx, codeField, emptyCode)
		default:
			return err
		}
		if err := im.findParents(ctx, tx, file, level, rule, o.ParentField); err != nil {
			return err
		}
		katoParent := ""
		if rule == parentKATO {
			katoParent = parentLevel(level)
		}
		tag, err := tx.Exec(ctx, sqlBoundariesUpsert, level, runID, katoParent, repaired)
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
		rep.Warnings = append(rep.Warnings, warnings...)
		im.logf("boundaries %s: %d areas (%s), %d repaired\n", level, rep.Rows, rate(rep.Rows, start), len(rep.Repaired))
		return nil
	})
}

// How a unit finds its parent.
const (
	parentNone    = iota // a country
	parentKATO           // the parent's KATO: an oblast's is 000000000, a district's its first two digits then seven zeros
	parentField          // BoundaryOptions.ParentField holds the parent's code
	parentSpatial        // the unit of the parent level that covers most of it
)

func parentRule(level string, kato bool, field string) int {
	switch {
	case level == "country":
		return parentNone
	case field != "":
		return parentField
	case kato:
		return parentKATO
	}
	return parentSpatial
}

// parentLevel is the level of a level's parents ("" for the country).
func parentLevel(level string) string {
	switch level {
	case "oblast":
		return "country"
	case "district":
		return "oblast"
	}
	return ""
}

// findParents sets stage_parent.parent_id by a parent field or by overlap; for
// KATO codes it only checks that each district's oblast is there, and
// boundaries_upsert.sql looks the parents up. A district must find its
// oblast (a country may have no first level at all, but then it has no
// districts of one either); an oblast without a country is kept, as before.
func (im *Importer) findParents(ctx context.Context, tx pgx.Tx, file, level string, rule int, field string) error {
	pl := parentLevel(level)
	switch rule {
	case parentNone:
		return nil
	case parentKATO: // the parent is looked up by code in boundaries_upsert.sql
		if level == "district" {
			var idx int
			var code string
			err := tx.QueryRow(ctx, sqlBoundariesOrphanDistrict).Scan(&idx, &code)
			if err == nil {
				return invalid(file, "feature %d: district KATO %s has no oblast %s0000000: import the oblasts first", idx, code, code[:2])
			} else if err != pgx.ErrNoRows {
				return err
			}
		}
		return nil
	case parentField:
		if _, err := tx.Exec(ctx, sqlBoundariesParentField, pl); err != nil {
			return err
		}
	case parentSpatial:
		if _, err := tx.Exec(ctx, sqlBoundariesParentSpatial, pl); err != nil {
			return err
		}
	}
	if level != "district" && rule == parentSpatial {
		return nil
	}
	var idx int
	var code, name, parentCode string
	err := tx.QueryRow(ctx, sqlBoundariesOrphan).Scan(&idx, &code, &name, &parentCode)
	switch {
	case err == pgx.ErrNoRows:
		return nil
	case err != nil:
		return err
	case rule == parentField:
		return invalid(file, "feature %d (%s, %s): field %q: no %s with code %q: import the %ss first, or correct the code", idx, name, code, field, pl, parentCode, pl)
	}
	return invalid(file, "feature %d (%s, %s): the district lies in no imported oblast: import the oblasts first, or name each district's oblast with --parent-field", idx, name, code)
}

func firstOf(p map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := str(p, k); s != "" {
			return s
		}
	}
	return ""
}
