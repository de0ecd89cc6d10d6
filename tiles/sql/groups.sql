-- Layer "groups": the macroregions of the Regional Development Concept and
-- the Astana and Almaty agglomerations; kind says which.
-- Parameters: $1 = z, $2 = x, $3 = y. Clipping, simplification and the
-- dropping of sub-pixel units work as in oblasts.sql.
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
           a.level AS kind,
           a.name_kk,
           a.name_ru,
           a.name_en,
           a.population,
           a.area_km2,
           round((a.population / nullif(a.area_km2, 0))::numeric, 2)::float8 AS density,
           -- Every area indicator of the latest compute run, one property each
           -- (migration 0003; ST_AsMVT writes the keys of a jsonb column as properties).
           area_indicators_latest(a.id) AS indicators
      FROM area a
      CROSS JOIN b
     WHERE a.level IN ('macroregion', 'agglomeration')
       AND a.geom_3857 && b.clip
       AND greatest(ST_XMax(a.geom_3857) - ST_XMin(a.geom_3857),
                    ST_YMax(a.geom_3857) - ST_YMin(a.geom_3857)) >= b.px
)
-- In id order: the same data make the same bytes (and ETag) on every cut.
SELECT ST_AsMVT(q, 'groups', 4096, 'geom', 'id' ORDER BY q.id)
  FROM q
 WHERE q.geom IS NOT NULL
