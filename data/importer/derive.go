package importer

import (
	"context"
	"strings"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/jackc/pgx/v5"
)

var (
	sqlSettlementAreas    = mustSQL("derive_settlement_areas.sql")
	sqlDistrictPopulation = mustSQL("derive_district_population.sql")
	sqlGroups             = mustSQL("derive_groups.sql")
	sqlCentres            = mustSQL("derive_centres.sql")
	sqlCentresReference   = mustSQL("derive_centres_reference.sql")
	sqlCentresSet         = mustSQL("derive_centres_set.sql")
	sqlCentresRule        = mustSQL("derive_centres_rule.sql")
)

// deriveStep is one derived fact, with the datasets whose import can change it.
type deriveStep struct {
	sql string
	// after lists dataset names or prefixes ("boundaries:") that feed it.
	after []string
	args  func() ([]any, error)
	// then, when set, runs after sql: a step that needs Go between queries,
	// and may say what it did in the import's report.
	then func(ctx context.Context, tx pgx.Tx, rep *Report) error
}

// deriveSteps run in this order: settlement districts first, because district
// populations, group populations and district centres read them.
var deriveSteps = []deriveStep{
	{sql: sqlSettlementAreas, after: []string{"boundaries:", "settlements", "osm"}},
	{sql: sqlDistrictPopulation, after: []string{"boundaries:", "settlements", "osm", "stats:population"}, args: func() ([]any, error) {
		cities, err := reference.CityKATOs()
		return []any{cities}, err
	}},
	{sql: sqlGroups, after: []string{"boundaries:", "groups", "settlements", "osm", "stats:population"}},
	// District centres: the reference table first, the rule for the rest.
	{sql: sqlCentres, after: []string{"boundaries:", "centres", "settlements", "osm"}, then: districtCentres},
}

// derive recomputes what follows from the dataset just imported — settlement
// districts, estimated district populations, group areas, administrative
// centres — so that every import leaves the database consistent whatever order
// the datasets arrive in, without redoing work the dataset cannot affect
// (statistics of schools do not move a settlement into another district).
func derive(ctx context.Context, tx pgx.Tx, dataset string, rep *Report) error {
	for _, st := range deriveSteps {
		if !feeds(st.after, dataset) {
			continue
		}
		var args []any
		if st.args != nil {
			var err error
			if args, err = st.args(); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, st.sql, args...); err != nil {
			return err
		}
		if st.then != nil {
			if err := st.then(ctx, tx, rep); err != nil {
				return err
			}
		}
	}
	return nil
}

func feeds(after []string, dataset string) bool {
	for _, a := range after {
		if dataset == a || (strings.HasSuffix(a, ":") && strings.HasPrefix(dataset, a)) {
			return true
		}
	}
	return false
}
