// Package reference holds aimaq's small reference tables as data files in the
// repository: macroregion and agglomeration membership, and the mapping of
// statistics region names to KATO codes.
package reference

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strings"
)

//go:embed groups.csv regions.csv
var files embed.FS

// Group is a macroregion or an agglomeration.
type Group struct {
	Code, Kind             string // kind: macroregion | agglomeration
	NameEN, NameRU, NameKK string
	Oblasts, Districts     []string // KATO codes
	Color                  string   // outline on the map, #rrggbb
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Groups reads groups.csv.
func Groups() ([]Group, error) {
	rows, err := read("groups.csv", 8)
	if err != nil {
		return nil, err
	}
	var gs []Group
	for _, r := range rows {
		g := Group{Code: r.f[0], Kind: r.f[1], NameEN: r.f[2], NameRU: r.f[3], NameKK: r.f[4],
			Oblasts: strings.Fields(r.f[5]), Districts: strings.Fields(r.f[6]), Color: r.f[7]}
		if g.Kind != "macroregion" && g.Kind != "agglomeration" {
			return nil, fmt.Errorf("groups.csv line %d: kind %q: want macroregion or agglomeration", r.line, g.Kind)
		}
		if !hexColor.MatchString(g.Color) {
			return nil, fmt.Errorf("groups.csv line %d: color %q: want #rrggbb", r.line, g.Color)
		}
		gs = append(gs, g)
	}
	return gs, nil
}

// Region is one row of regions.csv.
type Region struct {
	NameEN, KATO string
	Kind         string // country | region | city
}

// Regions reads regions.csv, keyed by the English statistics name.
func Regions() (map[string]Region, error) {
	rows, err := read("regions.csv", 3)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Region, len(rows))
	for _, r := range rows {
		m[r.f[0]] = Region{NameEN: r.f[0], KATO: r.f[1], Kind: r.f[2]}
	}
	return m, nil
}

// CityKATOs lists the first-level units that are cities of republican significance.
func CityKATOs() ([]string, error) {
	rs, err := Regions()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rs {
		if r.Kind == "city" {
			out = append(out, r.KATO)
		}
	}
	return out, nil
}

type row struct {
	line int
	f    []string
}

// read parses a CSV with '#' comments and a header line, checking the column count.
func read(name string, cols int) ([]row, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	r.FieldsPerRecord = cols
	var out []row
	header := true
	for {
		f, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if header {
			header = false
			continue
		}
		line, _ := r.FieldPos(0)
		out = append(out, row{line: line, f: f})
	}
	return out, nil
}
