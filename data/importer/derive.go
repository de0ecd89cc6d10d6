package importer

import (
	"context"
	"embed"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/jackc/pgx/v5"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(err) // embedded at build time: a missing file is a build defect
	}
	return string(b)
}

var (
	sqlSettlementAreas    = mustSQL("derive_settlement_areas.sql")
	sqlDistrictPopulation = mustSQL("derive_district_population.sql")
	sqlGroups             = mustSQL("derive_groups.sql")
	sqlCentres            = mustSQL("derive_centres.sql")
)

// derive recomputes what follows from the raw datasets — settlement districts,
// estimated district populations, group areas, administrative centres — so that every import leaves the
// database consistent whatever order the datasets arrive in.
func derive(ctx context.Context, tx pgx.Tx) error {
	cities, err := reference.CityKATOs()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, sqlSettlementAreas); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, sqlDistrictPopulation, cities); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, sqlGroups); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, sqlCentres)
	return err
}
