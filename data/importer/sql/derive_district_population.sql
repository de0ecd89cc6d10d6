-- District population is not in the statistics: it is an estimate. The official
-- population of the oblast ($1 = KATO codes of the cities of republican
-- significance) is allocated to its districts
--   * in a city: by district area (uniform density inside the city, because
--     OpenStreetMap has one point for the whole city);
--   * elsewhere: by the population of the OSM settlements inside each district
--     (tagged or estimated), falling back to area when the oblast has none.
-- Without an official oblast figure the district gets the settlement sum.
WITH sp AS (
    SELECT district_id, sum(population)::double precision AS pop
    FROM settlement WHERE district_id IS NOT NULL GROUP BY district_id
), d AS (
    SELECT d.id, d.parent_id, d.area_km2, coalesce(sp.pop, 0) AS settl,
           o.population AS oblast_pop, o.population_year AS oblast_year, o.code AS oblast_code
    FROM area d
    JOIN area o ON o.id = d.parent_id
    LEFT JOIN sp ON sp.district_id = d.id
    WHERE d.level = 'district'
), t AS (
    SELECT parent_id, sum(settl) AS settl, sum(area_km2) AS area_km2 FROM d GROUP BY parent_id
), alloc AS (
    SELECT d.id, d.oblast_year,
           round(CASE
               WHEN d.oblast_pop IS NULL THEN d.settl
               WHEN d.oblast_code = ANY ($1::text[]) OR t.settl = 0 THEN d.oblast_pop * d.area_km2 / nullif(t.area_km2, 0)
               ELSE d.oblast_pop * d.settl / t.settl
           END)::bigint AS pop
    FROM d JOIN t USING (parent_id)
)
UPDATE area a SET population = alloc.pop, population_year = alloc.oblast_year, population_estimated = true
FROM alloc
WHERE a.id = alloc.id
  AND (a.population IS DISTINCT FROM alloc.pop OR a.population_year IS DISTINCT FROM alloc.oblast_year OR NOT a.population_estimated);
