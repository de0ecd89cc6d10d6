-- Features of the layer "groups": one row per macroregion or agglomeration
-- (kind says which), its id first, then its properties. Read by the tile
-- query (area.sql) and by the in-memory cutter alike (see
-- oblasts_features.sql).
SELECT a.id,
       a.code,
       a.level AS kind,
       a.name_kk,
       a.name_ru,
       a.name_en,
       a.population,
       a.area_km2,
       round((a.population / nullif(a.area_km2, 0))::numeric, 2)::float8 AS density,
       CASE WHEN r.attr THEN ti.indicators ELSE area_indicators_latest(a.id) END AS indicators
  FROM area a
  {{run}}
 WHERE a.level IN ('macroregion', 'agglomeration')
