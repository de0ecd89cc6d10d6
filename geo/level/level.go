// Package level is the catalogue of the administrative levels aimaq maps and
// aggregates to — country, oblast, district, and the macroregion and
// agglomeration groups of the Regional Development Concept — with their names
// in Kazakh, Russian and English, the tile layer that draws each, and what a
// planner can do at each. Every route, query and the front end take the list
// from here; Parse gives the same status and message everywhere.
package level

import (
	"slices"
	"strings"

	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/internal/errs"
)

// Level is an administrative level, by its API name.
type Level string

// The levels.
const (
	Country       Level = "country"
	Oblast        Level = "oblast"
	District      Level = "district"
	Macroregion   Level = "macroregion"
	Agglomeration Level = "agglomeration"
)

// Info describes one level.
type Info struct {
	Name  Level     `json:"name"`
	Title lang.Text `json:"title"`
	// Layer is the tile layer that draws the level's areas; macroregions and
	// agglomerations share the groups layer, which partitions the country.
	Layer string `json:"layer"`
	// Map: the planner's map colours this level (a choropleth); the
	// macroregion map draws the whole groups layer, agglomerations included.
	Map bool `json:"map"`
	// Disparity: inequality indices are computed across the areas of this
	// level, grouped by macroregion and agglomeration.
	Disparity bool `json:"disparity"`
}

// levels in the order a picker lists them.
var levels = []Info{
	{District, lang.Text{KK: "Аудан", RU: "Район", EN: "District"}, "districts", true, true},
	{Oblast, lang.Text{KK: "Облыс", RU: "Область", EN: "Oblast"}, "oblasts", true, true},
	{Macroregion, lang.Text{KK: "Макроөңір", RU: "Макрорегион", EN: "Macroregion"}, "groups", true, false},
	{Agglomeration, lang.Text{KK: "Агломерация", RU: "Агломерация", EN: "Agglomeration"}, "groups", false, false},
	{Country, lang.Text{KK: "Ел", RU: "Страна", EN: "Country"}, "", false, false},
}

// All returns every level, districts first.
func All() []Info { return slices.Clone(levels) }

// Filter selects the levels one use accepts.
type Filter func(Info) bool

// The uses of a level parameter.
var (
	Any       Filter = func(Info) bool { return true }
	Mapped    Filter = func(i Info) bool { return i.Map }
	Disparity Filter = func(i Info) bool { return i.Disparity }
)

// Names lists the levels f accepts.
func Names(f Filter) []Level {
	var out []Level
	for _, i := range levels {
		if f(i) {
			out = append(out, i.Name)
		}
	}
	return out
}

// Lookup returns the description of l.
func Lookup(l Level) (Info, bool) {
	for _, i := range levels {
		if i.Name == l {
			return i, true
		}
	}
	return Info{}, false
}

// Parse reads a level parameter for a use: an errs.Invalid error naming the
// value and the accepted levels when it is not one of them.
func Parse(s string, f Filter) (Level, error) {
	if i, ok := Lookup(Level(s)); ok && f(i) {
		return i.Name, nil
	}
	return "", errs.E(errs.Invalid, "level %q unknown: want %s", errs.Shorten(s), Or(Names(f)))
}

// Or joins names as "a, b or c".
func Or[S ~string](names []S) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
