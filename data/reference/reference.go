// Package reference holds aimaq's small reference tables as data files in the
// repository: macroregion and agglomeration membership, the mapping of
// statistics region names to KATO codes, and the administrative centres of
// the districts.
package reference

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

//go:embed groups.csv regions.csv district_centres.csv glossary.csv
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

// read parses an embedded CSV with '#' comments and a header line, checking
// the column count.
func read(name string, cols int) ([]row, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return readCSV(name, bytes.NewReader(b), cols)
}

func readCSV(name string, in io.Reader, cols int) ([]row, error) {
	r := csv.NewReader(in)
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

// Where a district centre's coordinates come from (DistrictCentre.CoordSource).
const (
	// CoordApproximate: no place of that name in the OpenStreetMap export;
	// the coordinates are rounded to 0.01°.
	CoordApproximate = "approximate"
	// CoordOSMPrefix starts "osm:node/123": the OpenStreetMap place the
	// coordinates were taken from.
	CoordOSMPrefix = "osm:"
)

// DistrictCentre is one row of district_centres.csv: the administrative
// centre of a district (or city of oblast significance, or city district).
type DistrictCentre struct {
	Line                   int    // in the file, for messages
	KATO                   string // of the district
	DistrictEN             string
	NameKK, NameRU, NameEN string // of the centre
	Lon, Lat               float64
	CoordSource            string // CoordApproximate or "osm:<type>/<id>"
	Source                 string // the public source of the fact
}

// Names are the centre's names, kk, ru and en.
func (c DistrictCentre) Names() []string { return []string{c.NameKK, c.NameRU, c.NameEN} }

// Approximate says the coordinates are not those of a mapped place.
func (c DistrictCentre) Approximate() bool { return c.CoordSource == CoordApproximate }

var (
	katoCode  = regexp.MustCompile(`^[0-9]{9}$`)
	osmSource = regexp.MustCompile(`^osm:(node|way|relation)/[0-9]+$`)
)

// DistrictCentres reads district_centres.csv.
func DistrictCentres() ([]DistrictCentre, error) {
	b, err := files.ReadFile("district_centres.csv")
	if err != nil {
		return nil, err
	}
	return ParseDistrictCentres("district_centres.csv", bytes.NewReader(b))
}

// ParseDistrictCentres reads a table in the layout of district_centres.csv
// (kato, district_en, centre_kk, centre_ru, centre_en, lon, lat,
// coord_source, source) and checks every row; an error names the file, the
// line and the field.
func ParseDistrictCentres(name string, in io.Reader) ([]DistrictCentre, error) {
	rows, err := readCSV(name, in, 9)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	out := make([]DistrictCentre, 0, len(rows))
	for _, r := range rows {
		bad := func(field, format string, args ...any) error {
			return fmt.Errorf("%s line %d: %s: %s", name, r.line, field, fmt.Sprintf(format, args...))
		}
		for i := range r.f {
			r.f[i] = strings.TrimSpace(r.f[i])
		}
		c := DistrictCentre{Line: r.line, KATO: r.f[0], DistrictEN: r.f[1], NameKK: r.f[2], NameRU: r.f[3], NameEN: r.f[4],
			CoordSource: r.f[7], Source: r.f[8]}
		if !katoCode.MatchString(c.KATO) {
			return nil, bad("kato", "%q: want 9 digits", c.KATO)
		}
		if prev, dup := seen[c.KATO]; dup {
			return nil, bad("kato", "%s already on line %d", c.KATO, prev)
		}
		seen[c.KATO] = r.line
		for i, field := range []string{"district_en", "centre_kk", "centre_ru", "centre_en"} {
			if r.f[1+i] == "" {
				return nil, bad(field, "empty")
			}
		}
		if c.Lon, err = coordinate(r.f[5], 180); err != nil {
			return nil, bad("lon", "%v", err)
		}
		if c.Lat, err = coordinate(r.f[6], 90); err != nil {
			return nil, bad("lat", "%v", err)
		}
		switch {
		case c.CoordSource == CoordApproximate:
			// An approximate position must not look more precise than it is.
			for i, v := range r.f[5:7] {
				if j := strings.IndexByte(v, '.'); j >= 0 && len(v)-j-1 > 2 {
					return nil, bad([]string{"lon", "lat"}[i], "%s: an approximate coordinate is rounded to 0.01°", v)
				}
			}
		case osmSource.MatchString(c.CoordSource):
		default:
			return nil, bad("coord_source", "%q: want approximate or osm:node|way|relation/<id>", c.CoordSource)
		}
		if c.Source == "" {
			return nil, bad("source", "empty: name the public source of the centre")
		}
		out = append(out, c)
	}
	return out, nil
}

func coordinate(s string, limit float64) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v < -limit || v > limit {
		return 0, fmt.Errorf("%s is outside ±%g", s, limit)
	}
	return v, nil
}

// placeWords are the words of a place's kind that a name may carry or not
// ("село Осакаровка", "Темірбек Жүргенов ауылы"): they do not tell places apart.
var placeWords = map[string]bool{
	"село": true, "посёлок": true, "поселок": true, "пос": true, "с": true, "п": true, "г": true, "город": true,
	"аул": true, "ауыл": true, "ауылы": true, "кент": true, "кенті": true, "қала": true, "қаласы": true,
	"village": true, "town": true, "city": true,
}

// NormalizeName makes names of one place comparable: lower case, ё as е,
// hyphens and dots as spaces, without words for the kind of place, single
// spaces. "Посёлок Форт-Шевченко" and "форт шевченко" are the same name.
func NormalizeName(s string) string {
	s = strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(s, "ё", "е"), "Ё", "е"))
	words := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '‐' || r == '–' || r == '—' || r == '.' || r == ','
	})
	out := words[:0]
	for _, w := range words {
		if !placeWords[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// SameName says whether any of names a is, normalised, any of names b.
func SameName(a, b []string) bool {
	for _, x := range a {
		if x = NormalizeName(x); x == "" {
			continue
		}
		for _, y := range b {
			if NormalizeName(y) == x {
				return true
			}
		}
	}
	return false
}
