-- Every area a compute run aggregates to, with its administrative centre
-- (NULL without one); by id, the order centres are searched in. A district
-- whose oblast is a city of republican significance ($1: their KATO codes,
-- data/reference/regions.csv) is a city part: it shows its city's figures.
SELECT a.id, a.level, coalesce(a.group_id, 0), coalesce(a.parent_id, 0),
       (a.level = 'district' AND p.code = ANY ($1::text[])),
       coalesce(a.population::float8, 'NaN'), a.population_estimated,
       coalesce(a.area_km2, 0), ST_X(a.centre), ST_Y(a.centre)
FROM area a
LEFT JOIN area p ON p.id = a.parent_id
ORDER BY a.id
