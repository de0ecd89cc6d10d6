package siting

import (
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/geo/level"
)

// Area names an area a siting or costing answer is about or adds up to.
type Area struct {
	ID    int64
	Level level.Level
	Code  string // KATO for the country, oblasts and districts; a slug for groups
	Name  lang.Text
}

// Answer is a siting query's answer on a compute run.
type Answer struct {
	Run      access.Run
	Area     Area
	Proposal *Proposal
	// Names are the sites' settlements, by id.
	Names map[int64]access.SettlementReport
}

// CostAnswer is a costed plan on a compute run.
type CostAnswer struct {
	Run  access.Run
	Plan *Plan
	// Scope is the area the plan is made for; nil for the country.
	Scope *Area
	// Areas name Plan.Areas by id; RunAreas are the run's areas (InArea
	// reads them); Settlements are the run's settlements
	// (CostProject.Settlement indexes them) and Names theirs by id.
	Areas       map[int64]Area
	RunAreas    []access.Area
	Settlements []access.Settlement
	Names       map[int64]access.SettlementReport
}

// InArea says which of settlements lie in area: by district, oblast or the
// district's group (areas give each district's); nil (all) for the country.
func InArea(settlements []access.Settlement, areas []access.Area, area Area) func(i int) bool {
	switch area.Level {
	case level.District:
		return func(i int) bool { return settlements[i].District == area.ID }
	case level.Oblast:
		return func(i int) bool { return settlements[i].Oblast == area.ID }
	case level.Macroregion, level.Agglomeration:
		group := map[int64]int64{}
		for _, a := range areas {
			group[a.ID] = a.Group
		}
		return func(i int) bool { return group[settlements[i].District] == area.ID }
	}
	return nil
}
