-- Layer "oblasts": the 20 first-level units (17 oblasts and the cities of
-- republican significance). Parameters: $1 = z, $2 = x, $3 = y.
--
-- Geometry is clipped to the tile plus its 64-unit buffer before it is
-- simplified, so a z14 tile never simplifies a whole oblast; the tolerance is
-- half a 256-px screen pixel at z, and units whose bounding box is smaller
-- than one such pixel are dropped. ST_AsMVTGeom snaps to the 4096 grid and
-- repairs what clipping and simplifying may have broken.
WITH b AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS clip,
           40075016.68 / (256 * power(2, $1::int)) AS px
),
q AS (
    SELECT a.id,
           ST_AsMVTGeom(
               ST_SimplifyPreserveTopology(ST_ClipByBox2D(a.geom_3857, b.clip), b.px / 2),
               b.env, 4096, 64, true) AS geom,
           a.code,
           a.iso,
           a.name_kk,
           a.name_ru,
           a.name_en,
           a.population,
           a.population_year,
           a.population_estimated,
           a.area_km2,
           round((a.population / nullif(a.area_km2, 0))::numeric, 2)::float8 AS density,
           g.code    AS group_code,
           g.name_en AS group_name_en,
           g.name_ru AS group_name_ru,
           g.name_kk AS group_name_kk,
           (SELECT s.value::bigint FROM area_stat s
             WHERE s.area_id = a.id AND s.stat = 'schools'
             ORDER BY s.year DESC LIMIT 1) AS schools,
           (SELECT s.value::bigint FROM area_stat s
             WHERE s.area_id = a.id AND s.stat = 'medical_institutions'
             ORDER BY s.year DESC LIMIT 1) AS medical,
           -- Every area indicator of the latest compute run, one property each
           -- (migration 0003; ST_AsMVT writes the keys of a jsonb column as properties).
           area_indicators_latest(a.id) AS indicators
      FROM area a
      CROSS JOIN b
      LEFT JOIN area g ON g.id = a.group_id
     WHERE a.level = 'oblast'
       AND a.geom_3857 && b.clip
       AND greatest(ST_XMax(a.geom_3857) - ST_XMin(a.geom_3857),
                    ST_YMax(a.geom_3857) - ST_YMin(a.geom_3857)) >= b.px
)
-- In id order: the same data make the same bytes (and ETag) on every cut.
SELECT ST_AsMVT(q, 'oblasts', 4096, 'geom', 'id' ORDER BY q.id)
  FROM q
 WHERE q.geom IS NOT NULL
