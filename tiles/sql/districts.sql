-- Layer "districts": districts (audany) and cities of oblast significance,
-- with their oblast and their group (macroregion or agglomeration).
-- Parameters: $1 = z, $2 = x, $3 = y. Clipping, simplification and the
-- dropping of sub-pixel units work as in oblasts.sql.
WITH b AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS clip,
           40075016.68 / (256 * power(2, $1::int)) AS px,
           (SELECT max(id) FROM compute_run WHERE status = 'done') AS run,
           EXISTS (SELECT 1 FROM area_tile_attr x
                    WHERE x.run_id = (SELECT max(id) FROM compute_run WHERE status = 'done')) AS attr
),
-- The band's tile-ready geometry (area_tile, migration 0010: prepared once
-- per data generation, shared borders generalised alike), clipped to the tile.
prep AS (
    SELECT t.area_id AS id, ST_ClipByBox2D(t.geom, b.clip) AS geom
      FROM area_tile t
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
           o.code    AS oblast_code,
           o.name_en AS oblast_name_en,
           o.name_ru AS oblast_name_ru,
           o.name_kk AS oblast_name_kk,
           a.population,
           a.population_estimated,
           a.area_km2,
           round((a.population / nullif(a.area_km2, 0))::numeric, 2)::float8 AS density,
           g.code    AS group_code,
           g.name_en AS group_name_en,
           g.name_ru AS group_name_ru,
           g.name_kk AS group_name_kk,
           -- Every area indicator of the latest compute run, one property each
           -- (ST_AsMVT writes the keys of a jsonb column as properties): as the
           -- run stored them for tiles (area_tile_attr, migration 0010), or
           -- gathered per feature (migration 0003) for a run that did not.
           CASE WHEN b.attr THEN ti.indicators ELSE area_indicators_latest(a.id) END AS indicators
      FROM prep
      JOIN area a ON a.id = prep.id
      CROSS JOIN b
      LEFT JOIN area_tile_attr ti ON ti.run_id = b.run AND ti.area_id = a.id
      LEFT JOIN area o ON o.id = a.parent_id
      LEFT JOIN area g ON g.id = a.group_id
)
-- In id order: the same data make the same bytes (and ETag) on every cut.
SELECT ST_AsMVT(q, 'districts', 4096, 'geom', 'id' ORDER BY q.id)
  FROM q
 WHERE q.geom IS NOT NULL
