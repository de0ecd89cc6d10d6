package importer

import "embed"

// The importer's SQL longer than a line lives in sql/*.sql, named for the
// import it serves; each file's header says what it does and what its $n
// parameters are.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(err) // embedded at build time: a missing file is a build defect
	}
	return string(b)
}
