package reference

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

//go:embed unit_costs.csv
var unitCostsCSV []byte

// Keys of unit_costs.csv: the units the SRS costing prices. The table must
// have exactly one row for each, and no other.
const (
	UnitSchoolPlaceRural = "school_place_rural" // a pupil place in a new village school
	UnitSchoolPlaceUrban = "school_place_urban" // a pupil place in a new city school
	UnitMedicalPost      = "medical_post"
	UnitFAP              = "fap" // feldsher-midwife post
	UnitAmbulatory       = "ambulatory"
	UnitPHCCentre        = "phc_centre"
	UnitPolyclinicUrban  = "polyclinic_urban"
	UnitRoadAsphaltNew   = "road_km_asphalt_new" // new asphalt road, category IV
	UnitRoadGravelNew    = "road_km_gravel_new"
	UnitRoadPaveGravel   = "road_km_pave_gravel" // asphalt on an existing gravel road
	UnitRoadDistrict     = "road_km_district"
	UnitRoadOblast       = "road_km_oblast"
)

// unitOf is the unit each key is priced in.
var unitOf = map[string]string{
	UnitSchoolPlaceRural: "place",
	UnitSchoolPlaceUrban: "place",
	UnitMedicalPost:      "facility",
	UnitFAP:              "facility",
	UnitAmbulatory:       "facility",
	UnitPHCCentre:        "facility",
	UnitPolyclinicUrban:  "facility",
	UnitRoadAsphaltNew:   "km",
	UnitRoadGravelNew:    "km",
	UnitRoadPaveGravel:   "km",
	UnitRoadDistrict:     "km",
	UnitRoadOblast:       "km",
}

// UnitCostKeys lists the keys unit_costs.csv must have, sorted.
func UnitCostKeys() []string {
	keys := make([]string, 0, len(unitOf))
	for k := range unitOf {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Where a unit cost comes from (UnitCost.Kind).
const (
	// CostSource: the figure as published, the publication cited.
	CostSource = "source"
	// CostAssumption: no public figure was found; the note gives the reasoning.
	CostAssumption = "assumption"
	// CostOverride: set by a scenario (Override); never in the file.
	CostOverride = "override"
)

// Price years a row may carry: a figure older than 2000 predates the tenge's
// current price level by too much to be used unindexed; a later one than 2100
// is a typing error.
const (
	minCostYear = 2000
	maxCostYear = 2100
)

var unitCostColumns = []string{"key", "description_en", "description_ru", "description_kk", "unit", "cost_kzt", "year", "source", "kind", "note"}

// UnitCost is one row of unit_costs.csv: the cost of one unit of a project,
// at the prices of one year, with where the figure comes from.
type UnitCost struct {
	Line                   int // in the file, for messages; 0 for none
	Key                    string
	DescEN, DescRU, DescKK string
	Unit                   string // place | facility | km
	CostKZT                int64  // tenge per unit
	Year                   int    // price year
	Source                 string // title, issuer, date, address (or what an assumption starts from)
	Kind                   string // CostSource, CostAssumption or CostOverride
	Note                   string // how the figure was derived
	// TableKZT is the table's cost where a scenario overrode it (Kind ==
	// CostOverride), so the override can be shown next to what it replaced.
	TableKZT int64
}

// UnitCostTable is the checked table: one row per known key. The zero value
// is empty; build one with UnitCosts or ParseUnitCosts.
type UnitCostTable struct {
	rows []UnitCost // in file order
}

// UnitCosts reads the unit_costs.csv shipped with aimaq.
func UnitCosts() (UnitCostTable, error) {
	return ParseUnitCosts("unit_costs.csv", bytes.NewReader(unitCostsCSV))
}

// ParseUnitCosts reads a table in the layout of unit_costs.csv and checks
// every row; an error names the file, the line, the column and the field.
func ParseUnitCosts(name string, in io.Reader) (UnitCostTable, error) {
	r := csv.NewReader(in)
	r.Comment = '#'
	r.FieldsPerRecord = len(unitCostColumns)
	header, err := r.Read()
	if err == io.EOF {
		return UnitCostTable{}, fmt.Errorf("%s: no header line", name)
	}
	if err != nil {
		return UnitCostTable{}, csvError(name, err)
	}
	headerLine, _ := r.FieldPos(0)
	for i, want := range unitCostColumns {
		if got := strings.TrimSpace(header[i]); got != want {
			return UnitCostTable{}, fmt.Errorf("%s line %d, column %d: header %q: want %q (columns: %s)",
				name, headerLine, i+1, got, want, strings.Join(unitCostColumns, ","))
		}
	}
	seen := map[string]int{}
	var rows []UnitCost
	for {
		f, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return UnitCostTable{}, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		bad := func(col int, format string, args ...any) error {
			return fmt.Errorf("%s line %d, column %d (%s): %s", name, line, col+1, unitCostColumns[col], fmt.Sprintf(format, args...))
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		u := UnitCost{Line: line, Key: f[0], DescEN: f[1], DescRU: f[2], DescKK: f[3], Unit: f[4],
			Source: f[7], Kind: f[8], Note: f[9]}
		want, known := unitOf[u.Key]
		if !known {
			return UnitCostTable{}, bad(0, "unknown key %q: want one of %s", u.Key, strings.Join(UnitCostKeys(), ", "))
		}
		if prev, dup := seen[u.Key]; dup {
			return UnitCostTable{}, bad(0, "%s already on line %d", u.Key, prev)
		}
		seen[u.Key] = line
		for col := 1; col <= 3; col++ {
			if f[col] == "" {
				return UnitCostTable{}, bad(col, "empty: describe the unit in %s", strings.TrimPrefix(unitCostColumns[col], "description_"))
			}
		}
		if u.Unit != want {
			return UnitCostTable{}, bad(4, "%q: %s is priced per %s", u.Unit, u.Key, want)
		}
		if u.CostKZT, err = strconv.ParseInt(f[5], 10, 64); err != nil {
			return UnitCostTable{}, bad(5, "%q: want a whole number of tenge", f[5])
		}
		if u.CostKZT <= 0 {
			return UnitCostTable{}, bad(5, "%d: a cost must be positive", u.CostKZT)
		}
		if u.Year, err = strconv.Atoi(f[6]); err != nil {
			return UnitCostTable{}, bad(6, "%q: want a year", f[6])
		}
		if u.Year < minCostYear || u.Year > maxCostYear {
			return UnitCostTable{}, bad(6, "%d: want a price year in %d-%d", u.Year, minCostYear, maxCostYear)
		}
		switch u.Kind {
		case CostSource:
			if u.Source == "" {
				return UnitCostTable{}, bad(7, "empty: a figure of kind source cites its title, issuer and address")
			}
			if !strings.Contains(u.Source, "http://") && !strings.Contains(u.Source, "https://") &&
				!strings.Contains(u.Source, "No.") && !strings.Contains(u.Source, "№") {
				return UnitCostTable{}, bad(7, "%q: a figure of kind source gives its address (http...) or document number (No. or №)", u.Source)
			}
		case CostAssumption:
			if u.Source == "" {
				return UnitCostTable{}, bad(7, "empty: say what the assumption starts from")
			}
		default:
			return UnitCostTable{}, bad(8, "%q: want %s or %s", u.Kind, CostSource, CostAssumption)
		}
		if u.Note == "" {
			return UnitCostTable{}, bad(9, "empty: say how the figure was derived")
		}
		rows = append(rows, u)
	}
	var missing []string
	for _, k := range UnitCostKeys() {
		if _, ok := seen[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return UnitCostTable{}, fmt.Errorf("%s: no row for %s", name, strings.Join(missing, ", "))
	}
	return UnitCostTable{rows: rows}, nil
}

// csvError names the file and line of a CSV syntax error, and where in the
// line it is.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Errorf("%s line %d: %w: want the %d columns %s", name, pe.Line, pe.Err, len(unitCostColumns), strings.Join(unitCostColumns, ","))
		}
		// Column is a byte in the line here, not a field.
		return fmt.Errorf("%s line %d, byte %d: %w", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// All returns the rows in file order (a copy).
func (t UnitCostTable) All() []UnitCost {
	return append([]UnitCost(nil), t.rows...)
}

// Get returns the row of key.
func (t UnitCostTable) Get(key string) (UnitCost, bool) {
	for _, u := range t.rows {
		if u.Key == key {
			return u, true
		}
	}
	return UnitCost{}, false
}

// Cost returns the tenge per unit of key, or an error naming an unknown key.
func (t UnitCostTable) Cost(key string) (int64, error) {
	u, ok := t.Get(key)
	if !ok {
		return 0, fmt.Errorf("unit cost %q: unknown key (want one of %s)", key, strings.Join(UnitCostKeys(), ", "))
	}
	return u.CostKZT, nil
}

// Override returns a new table with the costs of a scenario in place of the
// table's: each overridden row becomes kind CostOverride and keeps the
// table's cost in TableKZT; t itself is unchanged. An unknown key or a cost
// that is not positive is refused, naming the key, and nothing is overridden.
func (t UnitCostTable) Override(costs map[string]int64) (UnitCostTable, error) {
	keys := make([]string, 0, len(costs))
	for k := range costs {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first bad key in a stable order
	for _, k := range keys {
		if _, ok := t.Get(k); !ok {
			return UnitCostTable{}, fmt.Errorf("override %q: unknown key (want one of %s)", k, strings.Join(UnitCostKeys(), ", "))
		}
		if costs[k] <= 0 {
			return UnitCostTable{}, fmt.Errorf("override %s: %d: a cost must be positive", k, costs[k])
		}
	}
	out := UnitCostTable{rows: t.All()}
	for i, u := range out.rows {
		c, ok := costs[u.Key]
		if !ok {
			continue
		}
		if u.Kind != CostOverride {
			u.TableKZT = u.CostKZT
		}
		u.CostKZT, u.Kind = c, CostOverride
		out.rows[i] = u
	}
	return out, nil
}
