-- Give each staged place the KATO of its oblast, which the population
-- estimate groups by. Point in area goes through area_part, the boundaries
-- cut into small pieces (migration 0004), never through area.geom.
-- No parameters.
UPDATE stage_settlement s SET oblast = (
    SELECT a.code FROM area_part p JOIN area a ON a.id = p.area_id
    WHERE p.level = 'oblast' AND ST_Covers(p.geom, s.g) LIMIT 1)
