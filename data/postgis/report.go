package postgis

import (
	"context"
	"errors"
	"math"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
)

// AreaProfile returns what the printable report of the oblast or district
// with code needs beside its indicator values, from the latest finished
// compute run: errs.NotFound when there is no such area or no run yet.
func (s *Store) AreaProfile(ctx context.Context, level, code string) (_ *access.AreaProfile, err error) {
	defer wrap(&err, "Store.AreaProfile(%q, %q)", level, code)
	p := &access.AreaProfile{Level: level, Code: code}
	var parentID *int64
	var oCode, oKK, oRU, oEN, gCode, gKK, gRU, gEN *string
	err = s.pool.QueryRow(ctx, `
		SELECT a.id, coalesce(a.name_kk, ''), coalesce(a.name_ru, ''), coalesce(a.name_en, ''), coalesce(a.population, 0),
		       o.id, o.code, o.name_kk, o.name_ru, o.name_en, g.code, g.name_kk, g.name_ru, g.name_en
		FROM area a
		LEFT JOIN area o ON o.id = a.parent_id AND o.level = 'oblast'
		LEFT JOIN area g ON g.id = a.group_id
		WHERE a.level = $1 AND a.code = $2`, level, code).Scan(&p.ID, &p.Name.KK, &p.Name.RU, &p.Name.EN, &p.Population,
		&parentID, &oCode, &oKK, &oRU, &oEN, &gCode, &gKK, &gRU, &gEN)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no %s with code %q (KATO): see /api/areas/%s?indicator=population_density for the codes", level, errs.Shorten(code), level)
	}
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	if oCode != nil {
		p.Oblast = &access.AreaRef{Code: *oCode}
		p.Oblast.Name.KK, p.Oblast.Name.RU, p.Oblast.Name.EN = str(oKK), str(oRU), str(oEN)
	}
	if gCode != nil {
		p.Group = &access.AreaRef{Code: *gCode}
		p.Group.Name.KK, p.Group.Name.RU, p.Group.Name.EN = str(gKK), str(gRU), str(gEN)
	}
	if parentID != nil && level == "district" {
		rows, err := s.pool.Query(ctx, `SELECT code FROM area WHERE level = 'district' AND parent_id = $1 ORDER BY code`, *parentID)
		if err != nil {
			return nil, Unavailable(ctx, err)
		}
		if p.Peers, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return nil, Unavailable(ctx, err)
		}
	}

	run, err := s.latestRun(ctx)
	if err != nil {
		return nil, err
	}
	p.RunID, p.ComputedAt, p.Stale = run.id, run.at, run.stale
	rows, err := s.pool.Query(ctx, `
		SELECT DISTINCT ON (i.dataset) i.id, i.dataset, i.source, i.finished_at
		FROM import_run i, compute_run r
		WHERE r.id = $1 AND i.id <= r.data_generation AND i.finished_at IS NOT NULL
		ORDER BY i.dataset, i.id DESC`, run.id)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	for rows.Next() {
		var imp access.RunImport
		if err := rows.Scan(&imp.ID, &imp.Dataset, &imp.Source, &imp.FinishedAt); err != nil {
			rows.Close()
			return nil, err
		}
		p.Datasets = append(p.Datasets, imp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, Unavailable(ctx, err)
	}

	if err := s.profileSRS(ctx, p); err != nil {
		return nil, err
	}
	if err := s.profileMap(ctx, p, parentID); err != nil {
		return nil, err
	}
	return p, nil
}

// profileSRS counts, per standard, the area's settlements the run could
// check and those meeting it (settlement_access keeps NULL for a standard
// that does not apply or cannot be checked).
func (s *Store) profileSRS(ctx context.Context, p *access.AreaProfile) error {
	counts := make([]access.SRSCount, 3)
	err := s.pool.QueryRow(ctx, `
		SELECT count(*), coalesce(sum(coalesce(s.population, 0)), 0),
		       count(a.srs_health_ok), count(*) FILTER (WHERE a.srs_health_ok),
		       coalesce(sum(coalesce(s.population, 0)) FILTER (WHERE a.srs_health_ok IS NOT NULL), 0),
		       coalesce(sum(coalesce(s.population, 0)) FILTER (WHERE a.srs_health_ok), 0),
		       count(a.srs_school_ok), count(*) FILTER (WHERE a.srs_school_ok),
		       coalesce(sum(coalesce(s.population, 0)) FILTER (WHERE a.srs_school_ok IS NOT NULL), 0),
		       coalesce(sum(coalesce(s.population, 0)) FILTER (WHERE a.srs_school_ok), 0),
		       count(a.srs_road_ok), count(*) FILTER (WHERE a.srs_road_ok),
		       coalesce(sum(coalesce(s.population, 0)) FILTER (WHERE a.srs_road_ok IS NOT NULL), 0),
		       coalesce(sum(coalesce(s.population, 0)) FILTER (WHERE a.srs_road_ok), 0)
		FROM settlement s
		JOIN settlement_access a ON a.settlement_id = s.id AND a.run_id = $2
		WHERE s.district_id = $1 OR s.oblast_id = $1`, p.ID, p.RunID).Scan(&p.Settlements, &p.SettlementPopulation,
		&counts[0].Checked, &counts[0].Met, &counts[0].CheckedPop, &counts[0].MetPop,
		&counts[1].Checked, &counts[1].Met, &counts[1].CheckedPop, &counts[1].MetPop,
		&counts[2].Checked, &counts[2].Met, &counts[2].CheckedPop, &counts[2].MetPop)
	if err != nil {
		return Unavailable(ctx, err)
	}
	for i, std := range []string{access.SRSHealth, access.SRSSchool, access.SRSRoad} {
		counts[i].Standard = std
	}
	p.SRS = counts
	return nil
}

// profileMap draws the area in web Mercator metres with y negated (the
// plane of ST_AsSVG), simplified to about a thousandth of the view, with its
// neighbours of the same level and a district's oblast clipped to the view.
func (s *Store) profileMap(ctx context.Context, p *access.AreaProfile, parentID *int64) error {
	var x0, y0, x1, y1, kmPerUnit float64
	err := s.pool.QueryRow(ctx, `
		SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b),
		       cos(radians(ST_Y(ST_Transform(ST_Centroid(b), 4326)))) / 1000
		FROM (SELECT ST_Envelope(geom_3857) AS b FROM area WHERE id = $1) e`, p.ID).Scan(&x0, &y0, &x1, &y1, &kmPerUnit)
	if err != nil {
		return Unavailable(ctx, err)
	}
	side := math.Max(x1-x0, y1-y0)
	if side <= 0 {
		side = 1000
	}
	margin := side * 0.06
	x0, y0, x1, y1 = x0-margin, y0-margin, x1+margin, y1+margin
	tol := side / 1000
	m := &p.Map
	m.ViewBox = [4]float64{x0, -y1, x1 - x0, y1 - y0}
	m.KmPerUnit = kmPerUnit

	// ST_AsSVG writes polygons as absolute paths with y negated; 0 digits
	// are whole metres, finer than any printer.
	const clipped = `ST_AsSVG(ST_ClipByBox2D(ST_SimplifyPreserveTopology(geom_3857, $2), ST_MakeEnvelope($3, $4, $5, $6, 3857)), 0, 0)`
	if err := s.pool.QueryRow(ctx, `SELECT ST_AsSVG(ST_SimplifyPreserveTopology(geom_3857, $2), 0, 0) FROM area WHERE id = $1`, p.ID, tol).Scan(&m.Area); err != nil {
		return Unavailable(ctx, err)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+clipped+` FROM area
		WHERE level = $7 AND id <> $1 AND geom_3857 && ST_MakeEnvelope($3, $4, $5, $6, 3857)
		ORDER BY code`, p.ID, tol, x0, y0, x1, y1, p.Level)
	if err != nil {
		return Unavailable(ctx, err)
	}
	paths, err := pgx.CollectRows(rows, pgx.RowTo[*string])
	if err != nil {
		return Unavailable(ctx, err)
	}
	for _, d := range paths {
		if d != nil && *d != "" {
			m.Context = append(m.Context, *d)
		}
	}
	if parentID != nil {
		var d *string
		if err := s.pool.QueryRow(ctx, `SELECT `+clipped+` FROM area WHERE id = $1`, *parentID, tol, x0, y0, x1, y1).Scan(&d); err != nil {
			return Unavailable(ctx, err)
		}
		if d != nil {
			m.Parent = *d
		}
	}

	rows, err = s.pool.Query(ctx, `
		SELECT ST_X(geom_3857), -ST_Y(geom_3857), coalesce(population, 0), count(*) OVER ()
		FROM settlement WHERE district_id = $1 OR oblast_id = $1
		ORDER BY population DESC NULLS LAST, id LIMIT $2`, p.ID, access.MapDots)
	if err != nil {
		return Unavailable(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d access.MapDot
		if err := rows.Scan(&d.X, &d.Y, &d.Population, &m.Total); err != nil {
			return err
		}
		m.Dots = append(m.Dots, d)
	}
	return Unavailable(ctx, rows.Err())
}
