-- Features of the layer "oblasts": one row per oblast, its id first, then its
-- properties (a NULL is left out of the tile; ST_AsMVT writes the keys of the
-- jsonb column as properties). The tile query (area.sql) and the
-- in-memory cutter (tiles/cut, loaded by data/postgis) both read this one
-- list, so the two paths carry the same properties.
SELECT a.id,
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
       -- Every area indicator of the latest compute run, one property each.
       CASE WHEN r.attr THEN ti.indicators ELSE area_indicators_latest(a.id) END AS indicators
  FROM area a
  {{run}}
  LEFT JOIN area g ON g.id = a.group_id
 WHERE a.level = 'oblast'
