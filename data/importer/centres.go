package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// Centres imports the administrative centres of the first-level units
// (geokz kz_adm1_centres: points with ISO_3166_2 and TYPE_CNT1 1 = capital,
// 2 = city of republican significance, 3 = oblast centre). A centre is matched
// to its unit by ISO 3166-2 code; points of other types (4: Baikonyr, a city
// under lease) are not oblast centres and are listed as warnings. The centre's
// settlement is the nearest imported city or town within 10 km, set in derive.
func (im *Importer) Centres(ctx context.Context, file string) (*Report, error) {
	feats, content, err := readFeatures(file)
	if err != nil {
		return nil, err
	}
	type row struct {
		idx       int
		iso, name string
		lon, lat  float64
	}
	var rows []row
	var warnings []string
	for _, f := range feats {
		pt, ok := f.geom.(orb.Point)
		if !ok {
			return nil, invalid(file, "feature %d: geometry type %s: want Point", f.index, f.geom.GeoJSONType())
		}
		iso, name := str(f.props, "ISO_3166_2"), firstOf(f.props, "NAME_EN", "name_en", "name")
		if iso == "" {
			return nil, invalid(file, "feature %d (%s): missing ISO_3166_2", f.index, name)
		}
		if t := str(f.props, "TYPE_CNT1"); t != "" && t != "1" && t != "2" && t != "3" {
			warnings = append(warnings, fmt.Sprintf("feature %d (%s, %s): TYPE_CNT1=%s is not an oblast centre; skipped", f.index, name, iso, t))
			continue
		}
		rows = append(rows, row{idx: f.index, iso: iso, name: name, lon: pt[0], lat: pt[1]})
	}
	return im.inTx(ctx, "centres", file, content, func(tx pgx.Tx, runID int64, rep *Report) error {
		rep.Warnings = warnings
		if _, err := tx.Exec(ctx, `UPDATE area SET centre = NULL WHERE level = 'oblast'`); err != nil {
			return err
		}
		for _, r := range rows {
			tag, err := tx.Exec(ctx, `UPDATE area SET centre = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE level = 'oblast' AND iso = $1`, r.iso, r.lon, r.lat)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return invalid(file, "feature %d (%s): no oblast with ISO_3166_2 %s: import the oblasts first", r.idx, r.name, r.iso)
			}
			rep.Rows++
		}
		im.logf("centres: %d oblast centres\n", rep.Rows)
		return nil
	})
}
