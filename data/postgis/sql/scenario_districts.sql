-- Scenario layer "districts" (issue 12.2): the districts whose area
-- indicators a scenario changes, as a delta choropleth.
-- Parameters: $1 = z, $2 = x, $3 = y, $4 = jsonb object: district id (as
-- text) → the feature's properties (each changed indicator before, after and
-- delta, from the evaluation held in Go). Geometry, clipping and the dropping
-- of sub-pixel units as in tiles/sql/area.sql.
WITH b AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS clip,
           40075016.68 / (256 * power(2, $1::int)) AS px
),
v AS (
    SELECT key::bigint AS id, value AS props FROM jsonb_each($4::jsonb)
),
prep AS (
    SELECT t.area_id AS id, ST_ClipByBox2D(t.geom, b.clip) AS geom
      FROM v
      JOIN area_tile t ON t.area_id = v.id
      CROSS JOIN b
     WHERE t.level = 'district'
       AND $1::int BETWEEN t.zmin AND t.zmax
       AND t.geom && b.clip
       AND t.size >= b.px
),
q AS (
    SELECT a.id,
           ST_AsMVTGeom(prep.geom, b.env, 4096, 64, true) AS geom,
           a.code,
           a.name_kk,
           a.name_ru,
           a.name_en,
           v.props
      FROM prep
      JOIN area a ON a.id = prep.id
      JOIN v ON v.id = prep.id
      CROSS JOIN b
)
-- In id order: the same evaluation makes the same bytes on every cut.
SELECT ST_AsMVT(q, 'districts', 4096, 'geom', 'id' ORDER BY q.id)
  FROM q
 WHERE q.geom IS NOT NULL
