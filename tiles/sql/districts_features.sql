-- Features of the layer "districts": one row per district (audan) or city of
-- oblast significance, its id first, then its properties, with its oblast and
-- its group (macroregion or agglomeration). Read by the tile query
-- (area.sql) and by the in-memory cutter alike (see oblasts_features.sql).
SELECT a.id,
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
       CASE WHEN r.attr THEN ti.indicators ELSE area_indicators_latest(a.id) END AS indicators
  FROM area a
  {{run}}
  LEFT JOIN area o ON o.id = a.parent_id
  LEFT JOIN area g ON g.id = a.group_id
 WHERE a.level = 'district'
