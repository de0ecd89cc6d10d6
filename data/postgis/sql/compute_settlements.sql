-- The settlements a compute run routes, with their district and oblast.
SELECT id, ST_X(geom), ST_Y(geom), coalesce(population, 0), place,
       coalesce(district_id, 0), coalesce(oblast_id, 0)
FROM settlement
ORDER BY id
