-- A known place staged without a population tag keeps the population (and
-- its estimated flag) it has. $1 the OSM source ("osm").
UPDATE stage_settlement s SET population = t.population, estimated = t.population_estimated
FROM settlement t
WHERE t.source = $1 AND t.source_id = s.source_id AND s.population IS NULL
