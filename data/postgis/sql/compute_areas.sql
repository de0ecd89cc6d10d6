-- Every area a compute run aggregates to, with its administrative centre
-- (NULL without one); by id, the order centres are searched in.
SELECT id, level, coalesce(group_id, 0), coalesce(population::float8, 'NaN'), population_estimated,
       coalesce(area_km2, 0), ST_X(centre), ST_Y(centre)
FROM area
ORDER BY id
