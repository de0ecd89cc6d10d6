package postgis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Write is who makes a change, recorded with it (see recordWrite).
type Write = scenario.Write

// facilityKinds are the kinds of the facility table a project may open
// (as the importer classifies them; migration 0012 checks the same list).
var facilityKinds = []string{"school", "kindergarten", "medical_post", "feldsher_post", "clinic", "polyclinic", "hospital"}

var roadClass = regexp.MustCompile(`^[a-z_]{2,32}$`)

// FieldError is a project a client or file stated wrongly: which one
// (Index, from 0, in the request or file), which field, and why.
type FieldError struct {
	Index int
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("project %d, %s: %s", e.Index, e.Field, e.Msg)
}

// Placer names the place of a project in its input for error messages:
// "projects[2].kato" for a JSON body, "file.csv line 5, column kato" for a
// programme file.
type Placer = func(index int, field string) string

// JSONPlacer names projects by their index in a JSON array.
func JSONPlacer(index int, field string) string { return fmt.Sprintf("projects[%d].%s", index, field) }

func fieldErr(i int, field, format string, args ...any) *FieldError {
	return &FieldError{Index: i, Field: field, Msg: fmt.Sprintf(format, args...)}
}

const scenarioColumns = `s.id, s.name, s.description, s.created_at, s.updated_at, s.created_by,
	(SELECT count(*) FROM project p WHERE p.scenario_id = s.id)`

func scanMeta(r pgx.Row) (m scenario.Meta, err error) {
	err = r.Scan(&m.ID, &m.Name, &m.Description, &m.CreatedAt, &m.UpdatedAt, &m.CreatedBy, &m.Projects)
	return m, err
}

func checkScenarioText(name, description string) error {
	if strings.TrimSpace(name) == "" {
		return errs.E(errs.Invalid, "name: must not be empty")
	}
	if len([]rune(name)) > 200 {
		return errs.E(errs.Invalid, "name: at most 200 characters")
	}
	if len([]rune(description)) > 5000 {
		return errs.E(errs.Invalid, "description: at most 5000 characters")
	}
	return nil
}

// uniqueName turns a duplicate scenario name into a clear error.
func uniqueName(err error, name string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "scenario_name_key" {
		return errs.E(errs.Invalid, "name: a scenario named %q exists already", errs.Shorten(name))
	}
	return err
}

// inTx runs f in one transaction: everything it writes, the write log
// included, commits together or not at all.
func (s *Store) inTx(ctx context.Context, f func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, "database not available")
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after Commit
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// CreateScenario makes an empty scenario.
func (s *Store) CreateScenario(ctx context.Context, w Write, name, description string) (m scenario.Meta, err error) {
	defer wrap(&err, "Store.CreateScenario(%q)", name)
	if err := checkScenarioText(name, description); err != nil {
		return m, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO scenario (name, description, created_by) VALUES ($1, $2, $3) RETURNING id`,
			name, description, w.Token).Scan(&id); err != nil {
			return uniqueName(err, name)
		}
		if err := recordWrite(ctx, tx, w, id, map[string]any{"action": "create_scenario", "name": name}); err != nil {
			return err
		}
		m, err = scanMeta(tx.QueryRow(ctx, `SELECT `+scenarioColumns+` FROM scenario s WHERE s.id = $1`, id))
		return err
	})
	return m, err
}

// Scenarios lists every scenario, newest first.
func (s *Store) Scenarios(ctx context.Context) (_ []scenario.Meta, err error) {
	defer wrap(&err, "Store.Scenarios")
	rows, err := s.pool.Query(ctx, `SELECT `+scenarioColumns+` FROM scenario s ORDER BY s.id DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (scenario.Meta, error) { return scanMeta(r) })
}

// Scenario returns one scenario; errs.NotFound when there is none.
func (s *Store) Scenario(ctx context.Context, id int64) (m scenario.Meta, err error) {
	defer wrap(&err, "Store.Scenario(%d)", id)
	return getScenario(ctx, s.pool, id, false)
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func getScenario(ctx context.Context, q querier, id int64, lock bool) (scenario.Meta, error) {
	sql := `SELECT ` + scenarioColumns + ` FROM scenario s WHERE s.id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	m, err := scanMeta(q.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return m, errs.E(errs.NotFound, "no scenario %d", id)
	}
	return m, err
}

// UpdateScenario changes the name and/or the description (nil: unchanged).
func (s *Store) UpdateScenario(ctx context.Context, w Write, id int64, name, description *string) (m scenario.Meta, err error) {
	defer wrap(&err, "Store.UpdateScenario(%d)", id)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := getScenario(ctx, tx, id, true)
		if err != nil {
			return err
		}
		n, d := old.Name, old.Description
		changed := map[string]any{}
		if name != nil {
			n = *name
			changed["name"] = n
		}
		if description != nil {
			d = *description
			changed["description"] = d
		}
		if err := checkScenarioText(n, d); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE scenario SET name = $2, description = $3, updated_at = now() WHERE id = $1`, id, n, d); err != nil {
			return uniqueName(err, n)
		}
		if err := recordWrite(ctx, tx, w, id, map[string]any{"action": "update_scenario", "changed": changed}); err != nil {
			return err
		}
		m, err = getScenario(ctx, tx, id, false)
		return err
	})
	return m, err
}

// DeleteScenario deletes a scenario and its projects; its write log stays.
func (s *Store) DeleteScenario(ctx context.Context, w Write, id int64) (err error) {
	defer wrap(&err, "Store.DeleteScenario(%d)", id)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		m, err := getScenario(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM scenario WHERE id = $1`, id); err != nil {
			return err
		}
		return recordWrite(ctx, tx, w, id, map[string]any{"action": "delete_scenario", "name": m.Name, "projects": m.Projects})
	})
}

// DeleteProject deletes one project of a scenario.
func (s *Store) DeleteProject(ctx context.Context, w Write, id, projectID int64) (err error) {
	defer wrap(&err, "Store.DeleteProject(%d, %d)", id, projectID)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := getScenario(ctx, tx, id, true); err != nil {
			return err
		}
		var kind, name string
		err := tx.QueryRow(ctx, `DELETE FROM project WHERE id = $2 AND scenario_id = $1 RETURNING kind, name`, id, projectID).Scan(&kind, &name)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, "scenario %d has no project %d", id, projectID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE scenario SET updated_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		return recordWrite(ctx, tx, w, id, map[string]any{"action": "delete_project", "project_id": projectID, "kind": kind, "name": name})
	})
}

// ScenarioLog returns the writes recorded for a scenario, oldest first.
func (s *Store) ScenarioLog(ctx context.Context, id int64) (_ []scenario.LogEntry, err error) {
	defer wrap(&err, "Store.ScenarioLog(%d)", id)
	if _, err := getScenario(ctx, s.pool, id, false); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT id, token_name, at, method, path, scenario_id, summary FROM write_log WHERE scenario_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (e scenario.LogEntry, err error) {
		err = r.Scan(&e.ID, &e.Token, &e.At, &e.Method, &e.Path, &e.ScenarioID, &e.Summary)
		return e, err
	})
}

// AddProjects checks drafts, places them and adds them to scenario id, all
// or nothing. A draft that is wrong or does not resolve is errs.Invalid
// naming it through place.
func (s *Store) AddProjects(ctx context.Context, w Write, id int64, drafts []scenario.Draft, place Placer) (out []scenario.Project, err error) {
	defer wrap(&err, "Store.AddProjects(%d)", id)
	if len(drafts) == 0 {
		return nil, errs.E(errs.Invalid, "no projects given")
	}
	ps := make([]scenario.Project, len(drafts))
	for i, d := range drafts {
		p, fe := checkDraft(i, d)
		if fe != nil {
			return nil, errs.E(errs.Invalid, "%s: %s", place(fe.Index, fe.Field), fe.Msg)
		}
		p.ScenarioID = id
		ps[i] = p
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := getScenario(ctx, tx, id, true); err != nil {
			return err
		}
		for i := range ps {
			if fe := resolve(ctx, tx, i, drafts[i], &ps[i]); fe != nil {
				var e *FieldError
				if errors.As(fe, &e) {
					return errs.E(errs.Invalid, "%s: %s", place(e.Index, e.Field), e.Msg)
				}
				return fe
			}
			if err := insertProject(ctx, tx, &ps[i]); err != nil {
				return fmt.Errorf("%s: %w", place(i, "kind"), err)
			}
		}
		ids := make([]int64, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		if _, err := tx.Exec(ctx, `UPDATE scenario SET updated_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		return recordWrite(ctx, tx, w, id, map[string]any{"action": "add_projects", "count": len(ps), "project_ids": ids})
	})
	if err != nil {
		return nil, err
	}
	return ps, nil
}

// ResolveProjects checks and places drafts as AddProjects does, writing
// nothing: the projects of an unsaved scenario (a planner's draft), ready for
// the engine as Projects would load them (a closed or downgraded facility's
// Point, a paved way's RoadIDs and Roads). A draft that is wrong or does not
// resolve is errs.Invalid naming it through place.
func (s *Store) ResolveProjects(ctx context.Context, drafts []scenario.Draft, place Placer) (out []scenario.Project, err error) {
	defer wrap(&err, "Store.ResolveProjects(%d drafts)", len(drafts))
	ps := make([]scenario.Project, len(drafts))
	for i, d := range drafts {
		p, fe := checkDraft(i, d)
		if fe != nil {
			return nil, errs.E(errs.Invalid, "%s: %s", place(fe.Index, fe.Field), fe.Msg)
		}
		ps[i] = p
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only: nothing to keep
	for i := range ps {
		if err := resolve(ctx, tx, i, drafts[i], &ps[i]); err != nil {
			var e *FieldError
			if errors.As(err, &e) {
				return nil, errs.E(errs.Invalid, "%s: %s", place(e.Index, e.Field), e.Msg)
			}
			return nil, Unavailable(ctx, err)
		}
		if err := placeStored(ctx, tx, &ps[i]); err != nil {
			return nil, Unavailable(ctx, err)
		}
	}
	return ps, nil
}

// placeStored fills what Projects reads from other tables: where a closed or
// downgraded facility stands, and the road rows of paved ways.
func placeStored(ctx context.Context, tx pgx.Tx, p *scenario.Project) error {
	if p.FacilityID != 0 && p.Kind != scenario.OpenFacility {
		var x, y float64
		if err := tx.QueryRow(ctx, `SELECT ST_X(geom), ST_Y(geom) FROM facility WHERE id = $1`, p.FacilityID).Scan(&x, &y); err != nil {
			return err
		}
		p.Point = orb.Point{x, y}
	}
	if len(p.RoadWays) > 0 {
		var roads wkb.GeometryScanner
		if err := tx.QueryRow(ctx, `
			SELECT coalesce(array_agg(r.id ORDER BY r.id), '{}'), ST_AsBinary(ST_Multi(ST_Collect(r.geom ORDER BY r.id)))
			FROM road r WHERE r.source_id = ANY (SELECT 'way/' || w FROM unnest($1::bigint[]) w)`, p.RoadWays).Scan(&p.RoadIDs, &roads); err != nil {
			return err
		}
		if ml, ok := roads.Geometry.(orb.MultiLineString); roads.Valid && ok {
			p.Roads = ml
		}
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// checkDraft applies the rules that need no database: the kind, the fields
// the kind needs and no others, and the range of each value.
func checkDraft(i int, d scenario.Draft) (p scenario.Project, fe *FieldError) {
	p = scenario.Project{Kind: scenario.Kind(d.Kind), Name: strings.TrimSpace(d.Name), Programme: d.Programme, Source: d.Source, Status: scenario.Status(d.Status)}
	if d.Kind == "" {
		return p, fieldErr(i, "kind", "missing; want one of %s", kindList())
	}
	if !slices.Contains(scenario.Kinds, p.Kind) {
		return p, fieldErr(i, "kind", "%q is not a kind of project; want one of %s", errs.Shorten(d.Kind), kindList())
	}
	switch p.Status {
	case "":
		p.Status = scenario.Planned
	case scenario.Planned, scenario.Funded, scenario.Built:
	default:
		return p, fieldErr(i, "status", "%q: want planned, funded or built", errs.Shorten(d.Status))
	}
	if len([]rune(p.Name)) > 300 {
		return p, fieldErr(i, "name", "at most 300 characters")
	}
	if d.Year != nil {
		if *d.Year < 1990 || *d.Year > 2100 {
			return p, fieldErr(i, "year", "%d: want a year from 1990 to 2100", *d.Year)
		}
		p.Year = *d.Year
	}
	if d.CostKZT != nil {
		if !finite(*d.CostKZT) || *d.CostKZT < 0 {
			return p, fieldErr(i, "cost_kzt", "%v: want a cost in tenge, 0 or more", *d.CostKZT)
		}
		p.CostKZT = *d.CostKZT
	}
	// Which fields each kind takes; any other given is an error, so a
	// project never carries a value that nothing reads.
	given := map[string]bool{
		"facility_kind": d.FacilityKind != "", "health_level": d.HealthLevel != nil, "capacity": d.Capacity != nil,
		"kato": d.KATO != "", "settlement": d.Settlement != "", "district": d.District != "",
		"lon": d.Lon != nil, "lat": d.Lat != nil, "line": d.Line != nil, "facility_id": d.FacilityID != nil,
		"osm_ways": d.OSMWays != nil, "road_class": d.RoadClass != "",
	}
	takes := map[scenario.Kind][]string{
		scenario.OpenFacility:      {"facility_kind", "health_level", "capacity", "kato", "settlement", "district", "lon", "lat"},
		scenario.CloseFacility:     {"facility_id"},
		scenario.DowngradeFacility: {"facility_id", "facility_kind", "health_level"},
		scenario.PaveRoad:          {"osm_ways", "line"},
		scenario.BuildRoad:         {"line", "road_class"},
	}[p.Kind]
	for _, f := range []string{"facility_kind", "health_level", "capacity", "kato", "settlement", "district", "lon", "lat", "line", "facility_id", "osm_ways", "road_class"} {
		if given[f] && !slices.Contains(takes, f) {
			return p, fieldErr(i, f, "not used by a %s project; leave it empty", p.Kind)
		}
	}
	if slices.Contains(takes, "facility_kind") {
		if d.FacilityKind == "" {
			return p, fieldErr(i, "facility_kind", "missing; want one of %s", strings.Join(facilityKinds, ", "))
		}
		if !slices.Contains(facilityKinds, d.FacilityKind) {
			return p, fieldErr(i, "facility_kind", "%q: want one of %s", errs.Shorten(d.FacilityKind), strings.Join(facilityKinds, ", "))
		}
		p.FacilityKind = d.FacilityKind
		lvl, health := access.LevelOfKind(d.FacilityKind)
		if p.Kind == scenario.DowngradeFacility && !health {
			return p, fieldErr(i, "facility_kind", "%q: a facility is downgraded to a health facility of a lower level", d.FacilityKind)
		}
		if d.HealthLevel != nil && (!health || access.HealthLevel(*d.HealthLevel) != lvl) {
			if !health {
				return p, fieldErr(i, "health_level", "a %s has no health level; leave it empty", d.FacilityKind)
			}
			return p, fieldErr(i, "health_level", "%d does not match facility_kind %s (level %d)", *d.HealthLevel, d.FacilityKind, lvl)
		}
		p.HealthLevel = lvl
	}
	if d.Capacity != nil {
		if *d.Capacity <= 0 {
			return p, fieldErr(i, "capacity", "%d: want a number of places above 0", *d.Capacity)
		}
		p.Capacity = *d.Capacity
	}
	if slices.Contains(takes, "facility_id") {
		if d.FacilityID == nil {
			return p, fieldErr(i, "facility_id", "missing: name the facility (its id in /ogc/collections/facilities)")
		}
		p.FacilityID = *d.FacilityID
	}
	switch p.Kind {
	case scenario.OpenFacility:
		hasPoint := d.Lon != nil || d.Lat != nil
		bySettlement := d.Settlement != "" || d.KATO != "" || d.District != ""
		switch {
		case hasPoint && bySettlement:
			return p, fieldErr(i, "lon", "give lon/lat or a settlement (with kato or district), not both")
		case hasPoint:
			if d.Lon == nil || d.Lat == nil {
				return p, fieldErr(i, map[bool]string{true: "lat", false: "lon"}[d.Lat == nil], "missing: give both lon and lat")
			}
			if !finite(*d.Lon) || *d.Lon < -180 || *d.Lon > 180 {
				return p, fieldErr(i, "lon", "%v: want a longitude from -180 to 180", *d.Lon)
			}
			if !finite(*d.Lat) || *d.Lat < -90 || *d.Lat > 90 {
				return p, fieldErr(i, "lat", "%v: want a latitude from -90 to 90", *d.Lat)
			}
			p.Point = orb.Point{*d.Lon, *d.Lat}
		case d.Settlement == "":
			return p, fieldErr(i, "settlement", "missing: place the facility by lon/lat or by settlement with kato or district")
		case d.KATO == "" && d.District == "":
			return p, fieldErr(i, "kato", "missing: name the settlement's district by kato or district")
		case d.KATO != "" && d.District != "":
			return p, fieldErr(i, "district", "give kato or district, not both")
		}
	case scenario.PaveRoad:
		if (d.OSMWays == nil) == (d.Line == nil) {
			return p, fieldErr(i, "osm_ways", "give the OSM ways paved or a drawn line (exactly one)")
		}
		if d.OSMWays != nil {
			if len(d.OSMWays) == 0 {
				return p, fieldErr(i, "osm_ways", "empty")
			}
			for _, w := range d.OSMWays {
				if w <= 0 {
					return p, fieldErr(i, "osm_ways", "%d is not an OSM way id", w)
				}
			}
			p.RoadWays = slices.Clone(d.OSMWays)
		}
	case scenario.BuildRoad:
		if d.Line == nil {
			return p, fieldErr(i, "line", "missing: the road built, as [[lon, lat], …]")
		}
		if !roadClass.MatchString(d.RoadClass) {
			if d.RoadClass == "" {
				return p, fieldErr(i, "road_class", "missing: an OSM highway class (primary, secondary, tertiary, unclassified, track, …)")
			}
			return p, fieldErr(i, "road_class", "%q is not an OSM highway class", errs.Shorten(d.RoadClass))
		}
		p.RoadClass = d.RoadClass
	}
	if d.Line != nil {
		if len(d.Line) < 2 {
			return p, fieldErr(i, "line", "want 2 or more points")
		}
		for k, c := range d.Line {
			if len(c) != 2 || !finite(c[0]) || !finite(c[1]) || c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 {
				return p, fieldErr(i, "line", "point %d: want [lon, lat] in degrees", k)
			}
			p.Line = append(p.Line, orb.Point{c[0], c[1]})
		}
	}
	return p, nil
}

func kindList() string {
	s := make([]string, len(scenario.Kinds))
	for i, k := range scenario.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// resolve places a checked project with what only the database knows: the
// settlement it names, that its point or line lies in the country, that its
// facility or roads exist.
func resolve(ctx context.Context, tx pgx.Tx, i int, d scenario.Draft, p *scenario.Project) error {
	if p.Kind == scenario.OpenFacility && d.Settlement != "" {
		districtID, districtName, err := findDistrict(ctx, tx, i, d)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT id, ST_X(geom), ST_Y(geom) FROM settlement
			WHERE district_id = $1 AND lower($2) IN (lower(name), lower(name_kk), lower(name_ru), lower(name_en))
			ORDER BY id LIMIT 3`, districtID, strings.TrimSpace(d.Settlement))
		if err != nil {
			return err
		}
		type hit struct {
			id   int64
			x, y float64
		}
		hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (h hit, err error) {
			err = r.Scan(&h.id, &h.x, &h.y)
			return h, err
		})
		if err != nil {
			return err
		}
		switch len(hits) {
		case 0:
			return fieldErr(i, "settlement", "no settlement named %q in %s", errs.Shorten(d.Settlement), districtName)
		case 1:
			p.SettlementID, p.Point = hits[0].id, orb.Point{hits[0].x, hits[0].y}
		default:
			return fieldErr(i, "settlement", "%d or more settlements named %q in %s: give lon/lat instead", len(hits), errs.Shorten(d.Settlement), districtName)
		}
	}
	if p.Kind == scenario.OpenFacility {
		field := "lon"
		if d.Settlement != "" {
			field = "settlement"
		}
		if err := inCountry(ctx, tx, i, field, p.Point); err != nil {
			return err
		}
	}
	if p.Line != nil {
		if err := inCountry(ctx, tx, i, "line", p.Line); err != nil {
			return err
		}
	}
	if p.FacilityID != 0 {
		var kind string
		err := tx.QueryRow(ctx, `SELECT kind FROM facility WHERE id = $1`, p.FacilityID).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) {
			return fieldErr(i, "facility_id", "no facility %d", p.FacilityID)
		}
		if err != nil {
			return err
		}
		if p.Kind == scenario.DowngradeFacility {
			lvl, health := access.LevelOfKind(kind)
			if !health || lvl <= p.HealthLevel {
				return fieldErr(i, "facility_kind", "facility %d is a %s: a downgrade must lower a health facility's level", p.FacilityID, kind)
			}
		}
	}
	if len(p.RoadWays) > 0 {
		ids := make([]string, len(p.RoadWays))
		for k, w := range p.RoadWays {
			ids[k] = fmt.Sprintf("way/%d", w)
		}
		var missing []string
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(w ORDER BY w), '{}') FROM unnest($1::text[]) w WHERE NOT EXISTS (SELECT 1 FROM road r WHERE r.source_id = w)`, ids).Scan(&missing); err != nil {
			return err
		}
		if len(missing) > 0 {
			return fieldErr(i, "osm_ways", "no road from OSM %s", strings.Join(missing, ", "))
		}
	}
	return nil
}

// findDistrict finds the district a draft names by KATO code or by name.
func findDistrict(ctx context.Context, tx pgx.Tx, i int, d scenario.Draft) (id int64, label string, err error) {
	if d.KATO != "" {
		var name *string
		err := tx.QueryRow(ctx, `SELECT id, coalesce(name_en, name_ru, name_kk) FROM area WHERE level = 'district' AND code = $1`, strings.TrimSpace(d.KATO)).Scan(&id, &name)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, "", fieldErr(i, "kato", "no district with KATO code %q", errs.Shorten(d.KATO))
		}
		label = "district " + d.KATO
		if name != nil {
			label += " (" + *name + ")"
		}
		return id, label, err
	}
	rows, err := tx.Query(ctx, `SELECT id, code FROM area WHERE level = 'district'
		AND lower($1) IN (lower(name_en), lower(name_ru), lower(name_kk)) ORDER BY code LIMIT 3`, strings.TrimSpace(d.District))
	if err != nil {
		return 0, "", err
	}
	type hit struct {
		id   int64
		code string
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (h hit, err error) {
		err = r.Scan(&h.id, &h.code)
		return h, err
	})
	if err != nil {
		return 0, "", err
	}
	switch len(hits) {
	case 0:
		return 0, "", fieldErr(i, "district", "no district named %q", errs.Shorten(d.District))
	case 1:
		return hits[0].id, fmt.Sprintf("district %s (%s)", hits[0].code, d.District), nil
	}
	return 0, "", fieldErr(i, "district", "%d or more districts named %q: give kato instead", len(hits), errs.Shorten(d.District))
}

// inCountry refuses a geometry that lies outside every imported area: a
// school in the ocean is not a project (DESIGN.md, trust rules).
func inCountry(ctx context.Context, tx pgx.Tx, i int, field string, g orb.Geometry) error {
	var inside bool
	if err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM area WHERE level IN ('country','oblast','district')
		               AND ST_Covers(geom, ST_GeomFromWKB($1, 4326)))`, wkb.Value(g)).Scan(&inside); err != nil {
		return err
	}
	if !inside {
		if pt, ok := g.(orb.Point); ok {
			return fieldErr(i, field, "(%g, %g) lies outside the country's imported boundaries", pt[0], pt[1])
		}
		return fieldErr(i, field, "leaves the country's imported boundaries")
	}
	return nil
}

func nullable[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func insertProject(ctx context.Context, tx pgx.Tx, p *scenario.Project) error {
	var geom any
	switch {
	case p.Kind == scenario.OpenFacility:
		geom = wkb.Value(p.Point)
	case p.Line != nil:
		geom = wkb.Value(p.Line)
	}
	var ways []int64
	if len(p.RoadWays) > 0 {
		ways = p.RoadWays
	}
	var cost *float64
	if p.CostKZT != 0 {
		cost = &p.CostKZT
	}
	return tx.QueryRow(ctx, `
		INSERT INTO project (scenario_id, kind, name, facility_kind, health_level, capacity, facility_id, road_ways,
		                     road_class, geom, settlement_id, year, cost_kzt, programme, status, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ST_GeomFromWKB($10, 4326), $11, $12, $13, $14, $15, $16)
		RETURNING id`,
		p.ScenarioID, string(p.Kind), p.Name, nullable(p.FacilityKind), nullable(int(p.HealthLevel)), nullable(p.Capacity),
		nullable(p.FacilityID), ways, nullable(p.RoadClass), geom, nullable(p.SettlementID), nullable(p.Year), cost,
		p.Programme, string(p.Status), p.Source).Scan(&p.ID)
}

// Projects loads the projects of scenario id as plain values, in the order
// they were added: the seam between the store and the scenario engine
// (geo/scenario). A closed or downgraded facility's Point is where it
// stands; a paved way's RoadIDs and Roads are its road rows.
func (s *Store) Projects(ctx context.Context, id int64) (_ []scenario.Project, err error) {
	defer wrap(&err, "Store.Projects(%d)", id)
	if _, err := getScenario(ctx, s.pool, id, false); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `
		SELECT p.id, p.scenario_id, p.kind, p.name, coalesce(p.facility_kind, ''), coalesce(p.health_level, 0),
		       coalesce(p.capacity, 0), coalesce(p.facility_id, 0), coalesce(p.road_ways, '{}'), coalesce(p.road_class, ''),
		       ST_AsBinary(coalesce(p.geom, f.geom)), coalesce(p.settlement_id, 0), coalesce(p.year, 0),
		       coalesce(p.cost_kzt, 0)::float8, p.programme, p.status, p.source,
		       coalesce(r.ids, '{}'), r.lines
		FROM project p
		LEFT JOIN facility f ON f.id = p.facility_id
		LEFT JOIN LATERAL (
			SELECT array_agg(r.id ORDER BY r.id) AS ids, ST_AsBinary(ST_Multi(ST_Collect(r.geom ORDER BY r.id))) AS lines
			FROM road r WHERE p.road_ways IS NOT NULL AND r.source_id = ANY (SELECT 'way/' || w FROM unnest(p.road_ways) w)
		) r ON true
		WHERE p.scenario_id = $1
		ORDER BY p.id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (p scenario.Project, err error) {
		var kind, status string
		var lvl int
		var g, roads wkb.GeometryScanner
		if err := r.Scan(&p.ID, &p.ScenarioID, &kind, &p.Name, &p.FacilityKind, &lvl, &p.Capacity, &p.FacilityID, &p.RoadWays,
			&p.RoadClass, &g, &p.SettlementID, &p.Year, &p.CostKZT, &p.Programme, &status, &p.Source, &p.RoadIDs, &roads); err != nil {
			return p, err
		}
		p.Kind, p.Status, p.HealthLevel = scenario.Kind(kind), scenario.Status(status), access.HealthLevel(lvl)
		if g.Valid {
			switch v := g.Geometry.(type) {
			case orb.Point:
				p.Point = v
			case orb.LineString:
				p.Line = v
			}
		}
		if roads.Valid {
			if ml, ok := roads.Geometry.(orb.MultiLineString); ok {
				p.Roads = ml
			}
		}
		if len(p.RoadWays) == 0 {
			p.RoadWays = nil
		}
		if len(p.RoadIDs) == 0 {
			p.RoadIDs = nil
		}
		return p, nil
	})
}
