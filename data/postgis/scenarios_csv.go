package postgis

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
)

// ProgrammeColumns are the columns of a programme file, in the order
// exports write them; an import takes them in any order, and every one but
// kind may be left out. They are the JSON names of scenario.Draft.
var ProgrammeColumns = []string{"kind", "name", "facility_kind", "health_level", "capacity", "kato", "settlement", "district",
	"lon", "lat", "line", "facility_id", "osm_ways", "road_class", "year", "cost_kzt", "programme", "status", "source"}

// ParseProgramme reads a programme's project list from CSV: a header row of
// ProgrammeColumns, then one project per row; lines starting with # are
// comments. lines[i] is the line of drafts[i] in the file. Errors name the
// file, the line and the column.
func ParseProgramme(r io.Reader, file string) (drafts []scenario.Draft, lines []int, err error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, errs.E(errs.Invalid, "%s: empty file: want a header row (%s)", file, strings.Join(ProgrammeColumns, ","))
	}
	if err != nil {
		return nil, nil, errs.Wrap(errs.Invalid, err, "%s: %v", file, err)
	}
	headerLine, _ := cr.FieldPos(0)
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(ProgrammeColumns, h) {
			return nil, nil, errs.E(errs.Invalid, "%s line %d, column %d: unknown column %q; want %s", file, headerLine, i+1, errs.Shorten(h), strings.Join(ProgrammeColumns, ","))
		}
		if _, dup := col[h]; dup {
			return nil, nil, errs.E(errs.Invalid, "%s line %d: column %s appears twice", file, headerLine, h)
		}
		col[h] = i
	}
	if _, ok := col["kind"]; !ok {
		return nil, nil, errs.E(errs.Invalid, "%s line %d: no column kind", file, headerLine)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, errs.Wrap(errs.Invalid, err, "%s: %v", file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, nil, errs.E(errs.Invalid, "%s line %d: %d fields, the header has %d", file, line, len(rec), len(header))
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := func(c, format string, args ...any) error {
			return errs.E(errs.Invalid, "%s line %d, column %s: %s", file, line, c, fmt.Sprintf(format, args...))
		}
		d := scenario.Draft{Kind: get("kind"), Name: get("name"), FacilityKind: get("facility_kind"), KATO: get("kato"),
			Settlement: get("settlement"), District: get("district"), RoadClass: get("road_class"),
			Programme: get("programme"), Status: get("status"), Source: get("source")}
		ints := map[string]**int{"health_level": &d.HealthLevel, "capacity": &d.Capacity, "year": &d.Year}
		for _, c := range []string{"health_level", "capacity", "year"} {
			if v := get(c); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					return nil, nil, bad(c, "%q is not a whole number", errs.Shorten(v))
				}
				*ints[c] = &n
			}
		}
		floats := map[string]**float64{"lon": &d.Lon, "lat": &d.Lat, "cost_kzt": &d.CostKZT}
		for _, c := range []string{"lon", "lat", "cost_kzt"} {
			if v := get(c); v != "" {
				f, err := strconv.ParseFloat(strings.ReplaceAll(v, " ", ""), 64)
				if err != nil {
					return nil, nil, bad(c, "%q is not a number (use . for decimals)", errs.Shorten(v))
				}
				*floats[c] = &f
			}
		}
		if v := get("facility_id"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, nil, bad("facility_id", "%q is not a facility id", errs.Shorten(v))
			}
			d.FacilityID = &n
		}
		if v := get("osm_ways"); v != "" {
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ';' || r == ',' }) {
				n, err := strconv.ParseInt(strings.TrimPrefix(f, "way/"), 10, 64)
				if err != nil {
					return nil, nil, bad("osm_ways", "%q is not an OSM way id", errs.Shorten(f))
				}
				d.OSMWays = append(d.OSMWays, n)
			}
		}
		if v := get("line"); v != "" {
			l, err := parseLine(v)
			if err != nil {
				return nil, nil, bad("line", "%v", err)
			}
			d.Line = l
		}
		drafts = append(drafts, d)
		lines = append(lines, line)
	}
	if len(drafts) == 0 {
		return nil, nil, errs.E(errs.Invalid, "%s: no projects after the header", file)
	}
	return drafts, lines, nil
}

// parseLine reads "LINESTRING(lon lat, lon lat, …)" or "lon lat; lon lat; …".
func parseLine(v string) ([][]float64, error) {
	s := strings.TrimSpace(v)
	if len(s) >= len("LINESTRING") && strings.EqualFold(s[:len("LINESTRING")], "LINESTRING") {
		s = strings.TrimSpace(s[len("LINESTRING"):])
		if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
			return nil, fmt.Errorf("%q: want LINESTRING(lon lat, lon lat, …)", errs.Shorten(v))
		}
		s = s[1 : len(s)-1]
	}
	var out [][]float64
	for _, pt := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		xy := strings.Fields(pt)
		if len(xy) != 2 {
			return nil, fmt.Errorf("%q: want points as \"lon lat\"", errs.Shorten(strings.TrimSpace(pt)))
		}
		x, err1 := strconv.ParseFloat(xy[0], 64)
		y, err2 := strconv.ParseFloat(xy[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%q: want points as \"lon lat\" in degrees", errs.Shorten(strings.TrimSpace(pt)))
		}
		out = append(out, []float64{x, y})
	}
	return out, nil
}

// CSVPlacer names a project of a programme file by its line and column.
func CSVPlacer(file string, lines []int) Placer {
	return func(i int, field string) string {
		return fmt.Sprintf("%s line %d, column %s", file, lines[i], field)
	}
}

// ImportProgramme adds the projects of a programme file to scenario id: all
// rows or none.
func (s *Store) ImportProgramme(ctx context.Context, w Write, id int64, r io.Reader, file string) (_ []scenario.Project, err error) {
	drafts, lines, err := ParseProgramme(r, file)
	if err != nil {
		return nil, err
	}
	return s.AddProjects(ctx, w, id, drafts, CSVPlacer(file, lines))
}

// ScenarioByName finds a scenario by its name (the command line names
// scenarios, the API numbers them).
func (s *Store) ScenarioByName(ctx context.Context, name string) (m scenario.Meta, err error) {
	defer wrap(&err, "Store.ScenarioByName(%q)", name)
	var id int64
	err = s.pool.QueryRow(ctx, `SELECT id FROM scenario WHERE name = $1`, name).Scan(&id)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return m, errs.E(errs.NotFound, "no scenario named %q", errs.Shorten(name))
		}
		return m, err
	}
	return getScenario(ctx, s.pool, id, false)
}

// WriteProgrammeCSV writes projects as a programme file that ImportProgramme
// reads back: facilities by lon/lat, lines as WKT.
func WriteProgrammeCSV(w io.Writer, ps []scenario.Project) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProgrammeColumns); err != nil {
		return err
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, p := range ps {
		var lon, lat, line, fid, ways, cost string
		if p.Kind == scenario.OpenFacility {
			lon, lat = strconv.FormatFloat(p.Point[0], 'f', -1, 64), strconv.FormatFloat(p.Point[1], 'f', -1, 64)
		}
		if len(p.Line) > 0 {
			pts := make([]string, len(p.Line))
			for i, c := range p.Line {
				pts[i] = strconv.FormatFloat(c[0], 'f', -1, 64) + " " + strconv.FormatFloat(c[1], 'f', -1, 64)
			}
			line = "LINESTRING(" + strings.Join(pts, ", ") + ")"
		}
		if p.FacilityID != 0 {
			fid = strconv.FormatInt(p.FacilityID, 10)
		}
		if len(p.RoadWays) > 0 {
			ws := make([]string, len(p.RoadWays))
			for i, id := range p.RoadWays {
				ws[i] = strconv.FormatInt(id, 10)
			}
			ways = strings.Join(ws, " ")
		}
		if p.CostKZT != 0 {
			cost = strconv.FormatFloat(p.CostKZT, 'f', -1, 64)
		}
		if err := cw.Write([]string{string(p.Kind), p.Name, p.FacilityKind, num(int(p.HealthLevel)), num(p.Capacity), "", "", "",
			lon, lat, line, fid, ways, p.RoadClass, num(p.Year), cost, p.Programme, string(p.Status), p.Source}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ProjectsCSV writes the projects of scenario id as a programme file.
func (s *Store) ProjectsCSV(ctx context.Context, id int64, w io.Writer) error {
	ps, err := s.Projects(ctx, id)
	if err != nil {
		return err
	}
	return WriteProgrammeCSV(w, ps)
}
