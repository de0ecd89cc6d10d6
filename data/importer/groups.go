package importer

import (
	"context"
	"fmt"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/jackc/pgx/v5"
)

var sqlGroupsUngroupedOblasts = mustSQL("groups_ungrouped_oblasts.sql")

// Groups loads the macroregions and agglomerations of data/reference/groups.csv.
// Their area rows (geometry = union of member districts) are derived from the
// boundaries in the same transaction, and again after every later import.
func (im *Importer) Groups(ctx context.Context) (*Report, error) {
	gs, err := reference.Groups()
	if err != nil {
		return nil, invalid("data/reference/groups.csv", "%v", err)
	}
	return im.inTx(ctx, "groups", "data/reference/groups.csv", []byte(fmt.Sprint(gs)), func(tx pgx.Tx, runID int64, rep *Report) error {
		if _, err := tx.Exec(ctx, `DELETE FROM area_group`); err != nil {
			return err
		}
		for _, g := range gs {
			if _, err := tx.Exec(ctx, `INSERT INTO area_group (code, kind, name_en, name_ru, name_kk, color) VALUES ($1, $2, $3, $4, $5, $6)`,
				g.Code, g.Kind, g.NameEN, g.NameRU, g.NameKK, g.Color); err != nil {
				return err
			}
			for level, codes := range map[string][]string{"oblast": g.Oblasts, "district": g.Districts} {
				for _, code := range codes {
					if _, err := tx.Exec(ctx, `INSERT INTO area_group_member (level, code, group_code) VALUES ($1, $2, $3)`, level, code, g.Code); err != nil {
						return fmt.Errorf("groups.csv: group %s, %s %s: %w (a unit may belong to one group only)", g.Code, level, code, err)
					}
				}
			}
			rep.Rows++
		}
		// Every imported oblast must belong to a group, or the groups would not partition the country.
		rows, err := tx.Query(ctx, sqlGroupsUngroupedOblasts)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code, name string
			if err := rows.Scan(&code, &name); err != nil {
				return err
			}
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("oblast %s (%s) belongs to no group: add it to data/reference/groups.csv", code, name))
		}
		im.logf("groups: %d macroregions and agglomerations\n", rep.Rows)
		return rows.Err()
	})
}
