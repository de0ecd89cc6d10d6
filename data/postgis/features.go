package postgis

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// featureCollection is how one OGC API – Features collection is read: its
// table (aliased t) with joins, the filter that picks its rows, its
// geometry type and its properties as SQL expressions. Everything here is a
// constant of this file; only the filter's argument and the request's
// values are bound.
type featureCollection struct {
	table    string // the table of the features, aliased t in from and where
	from     string
	where    string // uses $1, bound to arg
	arg      any
	geometry string // the GeoJSON type of every feature's geometry (the column's type)
	props    []featureProp
}

// featureProp is one property: its name, its SQL expression and its JSON
// type, what scan makes of the expression's SQL type — text: jsonString,
// integer or bigint: jsonInteger, double precision: jsonNumber, boolean:
// jsonBoolean. Any property may be NULL. The OGC schemas of the collections
// come from here (FeatureSchema), so a property and its type are written
// once; TestFeatureSchemaMatchesSQL checks the types against the database.
type featureProp struct{ name, sql, typ string }

// The JSON types of properties.
const (
	jsonString  = "string"
	jsonInteger = "integer"
	jsonNumber  = "number"
	jsonBoolean = "boolean"
)

// areaProps are the properties of every area collection. density follows
// the tile layers: people per km², two decimals.
var areaProps = []featureProp{
	{"code", "t.code", jsonString},
	{"name_kk", "t.name_kk", jsonString},
	{"name_ru", "t.name_ru", jsonString},
	{"name_en", "t.name_en", jsonString},
	{"population", "t.population", jsonInteger},
	{"population_estimated", "t.population_estimated", jsonBoolean},
	{"area_km2", "t.area_km2", jsonNumber},
	{"density", "round((t.population / nullif(t.area_km2, 0))::numeric, 2)::float8", jsonNumber},
	{"group_code", "g.code", jsonString},
}

func areaCollection(level string) featureCollection {
	return featureCollection{
		table:    "area",
		from:     "area t LEFT JOIN area g ON g.id = t.group_id",
		where:    "t.level = $1",
		arg:      level,
		geometry: "MultiPolygon",
		props:    areaProps,
	}
}

// featureCollections is the allow-list of collection ids; a name not here
// never reaches SQL.
var featureCollections = map[string]featureCollection{
	"oblasts":        areaCollection("oblast"),
	"districts":      areaCollection("district"),
	"macroregions":   areaCollection("macroregion"),
	"agglomerations": areaCollection("agglomeration"),
	// Settlements carry the indicators of the latest finished compute run;
	// NULL where the run has no value (or there is no run).
	"settlements": {
		table: "settlement",
		from: `settlement t
		       LEFT JOIN area d ON d.id = t.district_id
		       LEFT JOIN area o ON o.id = t.oblast_id
		       LEFT JOIN settlement_access x ON x.settlement_id = t.id
		            AND x.run_id = (SELECT id FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 1)`,
		// A constant filter keeps every collection's query the same shape.
		where:    "$1::bool",
		arg:      true,
		geometry: "Point",
		props: append([]featureProp{
			{"name", "t.name", jsonString},
			{"name_kk", "t.name_kk", jsonString},
			{"name_ru", "t.name_ru", jsonString},
			{"name_en", "t.name_en", jsonString},
			{"place", "t.place", jsonString},
			{"population", "t.population", jsonInteger},
			{"population_estimated", "t.population_estimated", jsonBoolean},
			{"district_code", "d.code", jsonString},
			{"oblast_code", "o.code", jsonString},
		}, append(settlementIndicatorProps("x"),
			featureProp{"access_method", "x.method", jsonString})...),
	},
}

// settlementIndicatorProps are the settlement indicators the catalogue
// (geo/indicator) puts in features, read from table alias t.
func settlementIndicatorProps(t string) []featureProp {
	var out []featureProp
	for _, in := range indicator.Settlements() {
		if in.Features {
			out = append(out, featureProp{in.Name, pgx.Identifier{t, in.Name}.Sanitize(), jsonNumber})
		}
	}
	return out
}

func lookupCollection(id string) (featureCollection, error) {
	c, ok := featureCollections[id]
	if !ok {
		return c, errs.E(errs.NotFound, "no feature collection %q", id)
	}
	return c, nil
}

// FeatureSchema describes a collection's features without reading any: the
// GeoJSON type of every feature's geometry, and each property in the order
// features carry it, with its JSON type ("string", "integer", "number" or
// "boolean"; any property may also be null). errs.NotFound for an unknown
// collection.
func (s *Store) FeatureSchema(collection string) (geometry string, properties iter.Seq2[string, string], err error) {
	c, err := lookupCollection(collection)
	if err != nil {
		return "", nil, err
	}
	return c.geometry, func(yield func(name, typ string) bool) {
		for _, p := range c.props {
			if !yield(p.name, p.typ) {
				return
			}
		}
	}, nil
}

// selectList is the id, the properties, the geometry as WKB and, when
// counted, the number of rows matched before LIMIT (from the CTE total).
func (c featureCollection) selectList(counted bool) string {
	var b strings.Builder
	b.WriteString("t.id")
	for _, p := range c.props {
		b.WriteString(", ")
		b.WriteString(p.sql)
	}
	b.WriteString(", ST_AsBinary(t.geom)")
	if counted {
		b.WriteString(", (SELECT n FROM total)")
	}
	return b.String()
}

// Extents returns the bounding box of each feature collection that has
// features, keyed by collection id; an empty
// collection is left out.
func (s *Store) Extents(ctx context.Context) (_ map[string]orb.Bound, err error) {
	defer wrap(&err, "Store.Extents")
	// ST_Extent reads the bounding boxes stored with the geometries, so
	// this stays cheap for the large district polygons.
	rows, err := s.pool.Query(ctx, `
		WITH e AS (
		    SELECT level AS kind, ST_Extent(geom) AS box FROM area
		     WHERE level IN ('oblast', 'district', 'macroregion', 'agglomeration')
		     GROUP BY level
		    UNION ALL
		    SELECT 'settlement', ST_Extent(geom) FROM settlement
		)
		SELECT kind, ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box) FROM e WHERE box IS NOT NULL`)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	ids := map[string]string{
		"oblast": "oblasts", "district": "districts", "macroregion": "macroregions",
		"agglomeration": "agglomerations", "settlement": "settlements",
	}
	out := map[string]orb.Bound{}
	for rows.Next() {
		var kind string
		var b orb.Bound
		if err := rows.Scan(&kind, &b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1]); err != nil {
			return nil, err
		}
		out[ids[kind]] = b
	}
	if err := rows.Err(); err != nil {
		return nil, Unavailable(ctx, err)
	}
	return out, nil
}

// Features returns one page of a collection's features, in id order: at
// most limit features after skipping offset, only those intersecting bbox
// when it is not nil, with the full geometry in WGS 84. matched counts every
// feature the bbox selects, regardless of paging. An unknown collection is
// errs.NotFound; limit < 1 or offset < 0 is errs.Invalid.
func (s *Store) Features(ctx context.Context, collection string, bbox *orb.Bound, limit, offset int) (_ *geojson.FeatureCollection, matched int64, err error) {
	defer wrap(&err, "Store.Features(%q, %v, %d, %d)", collection, bbox, limit, offset)
	c, err := lookupCollection(collection)
	if err != nil {
		return nil, 0, err
	}
	if limit < 1 || offset < 0 {
		return nil, 0, errs.E(errs.Invalid, "limit %d, offset %d: want limit ≥ 1 and offset ≥ 0", limit, offset)
	}
	where, args := c.where, []any{c.arg}
	switch {
	case bbox != nil && bbox.Min[0] > bbox.Max[0]:
		// Across the antimeridian (minlon > maxlon, as OGC API – Features
		// writes it): the part east of minlon and the part west of maxlon.
		east, west := "ST_MakeEnvelope($2, $3, 180, $5, 4326)", "ST_MakeEnvelope(-180, $3, $4, $5, 4326)"
		where += " AND (t.geom && " + east + " OR t.geom && " + west + ")" +
			" AND (ST_Intersects(t.geom, " + east + ") OR ST_Intersects(t.geom, " + west + "))"
		args = append(args, bbox.Min[0], bbox.Min[1], bbox.Max[0], bbox.Max[1])
	case bbox != nil:
		// && finds candidates by index; ST_Intersects drops those whose
		// box meets the bbox but whose shape does not.
		where += " AND t.geom && ST_MakeEnvelope($2, $3, $4, $5, 4326)" +
			" AND ST_Intersects(t.geom, ST_MakeEnvelope($2, $3, $4, $5, 4326))"
		args = append(args, bbox.Min[0], bbox.Min[1], bbox.Max[0], bbox.Max[1])
	}
	n := len(args)
	args = append(args, limit, offset)
	// The page's ids and the count come from the features' own table (where
	// only reads t), so the joins and the properties are computed for the
	// page alone, not for every feature matched (a window count would).
	query := "WITH page AS (SELECT t.id FROM " + c.table + " t WHERE " + where +
		" ORDER BY t.id LIMIT $" + strconv.Itoa(n+1) + " OFFSET $" + strconv.Itoa(n+2) + ")," +
		" total AS (SELECT count(*) AS n FROM " + c.table + " t WHERE " + where + ")" +
		" SELECT " + c.selectList(true) + " FROM page p, " + c.from + " WHERE t.id = p.id ORDER BY t.id"

	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, 0, Unavailable(ctx, err)
	}
	fc := geojson.NewFeatureCollection()
	for rows.Next() {
		f, err := c.scan(rows, &matched)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		fc.Append(f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, Unavailable(ctx, err)
	}
	if len(fc.Features) == 0 && offset > 0 {
		// Past the last page the window count has no row to ride on.
		count := "SELECT count(*) FROM " + c.from + " WHERE " + where
		if err := s.pool.QueryRow(ctx, count, args[:n]...).Scan(&matched); err != nil {
			return nil, 0, Unavailable(ctx, err)
		}
	}
	return fc, matched, nil
}

// Feature returns feature id of a collection, or errs.NotFound when either
// does not exist.
func (s *Store) Feature(ctx context.Context, collection string, id int64) (_ *geojson.Feature, err error) {
	defer wrap(&err, "Store.Feature(%q, %d)", collection, id)
	c, err := lookupCollection(collection)
	if err != nil {
		return nil, err
	}
	query := "SELECT " + c.selectList(false) + " FROM " + c.from + " WHERE " + c.where + " AND t.id = $2"
	rows, err := s.pool.Query(ctx, query, c.arg, id)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, Unavailable(ctx, err)
		}
		return nil, errs.E(errs.NotFound, "no feature %d in collection %q", id, collection)
	}
	return c.scan(rows, nil)
}

// scan reads one row of selectList: properties scan into any, which gives
// string, int32/int64, float64, bool or nil (SQL NULL) — what JSON shows.
func (c featureCollection) scan(rows pgx.Rows, matched *int64) (*geojson.Feature, error) {
	var id int64
	vals := make([]any, len(c.props))
	var geom wkb.GeometryScanner
	dst := make([]any, 0, len(c.props)+3)
	dst = append(dst, &id)
	for i := range vals {
		dst = append(dst, &vals[i])
	}
	dst = append(dst, &geom)
	if matched != nil {
		dst = append(dst, matched)
	}
	if err := rows.Scan(dst...); err != nil {
		return nil, err
	}
	if !geom.Valid {
		return nil, errors.New("feature " + strconv.FormatInt(id, 10) + " has no geometry")
	}
	f := geojson.NewFeature(geom.Geometry)
	f.ID = id
	for i, p := range c.props {
		f.Properties[p.name] = vals[i]
	}
	return f, nil
}
