package importer

// Point-in-area tests go through area_part, the boundaries cut into small
// pieces and kept in step by a trigger (migration 0004), never through
// area.geom directly.
const (
	// inCountry is true when staged point s.g lies in the country.
	inCountry = `EXISTS (SELECT 1 FROM area_part p WHERE p.level = 'country' AND ST_Covers(p.geom, s.g))`

	// stageOblastsSQL gives each staged place the KATO of its oblast, which
	// the population estimate groups by.
	stageOblastsSQL = `UPDATE stage_settlement s SET oblast = (
		SELECT a.code FROM area_part p JOIN area a ON a.id = p.area_id
		WHERE p.level = 'oblast' AND ST_Covers(p.geom, s.g) LIMIT 1)`
)
