package postgis

import (
	_ "embed"
	"strings"

	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/jackc/pgx/v5"
)

// The settlement indicators are columns of settlement_access named as in the
// catalogue (geo/indicator); the queries that read them take the list from
// there, quoted as identifiers.

//go:embed sql/settlement_access.sql
var settlementAccessTemplate string

var settlementAccessSQL = strings.Replace(settlementAccessTemplate, "{{indicators}}", indicatorColumns("a", func(indicator.Settlement) bool { return true }), 1)

// indicatorColumns lists the settlement indicator columns of table alias t
// that keep selects, comma-separated, in catalogue order.
func indicatorColumns(t string, keep func(indicator.Settlement) bool) string {
	var cols []string
	for _, in := range indicator.Settlements() {
		if keep(in) {
			cols = append(cols, pgx.Identifier{t, in.Name}.Sanitize())
		}
	}
	return strings.Join(cols, ", ")
}
