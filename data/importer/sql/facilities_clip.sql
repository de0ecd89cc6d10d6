-- Leave out the staged facilities outside the country, once a country
-- boundary is imported. Point in area goes through area_part, the boundaries
-- cut into small pieces (migration 0004), never through area.geom.
-- No parameters.
DELETE FROM stage_facility s
WHERE EXISTS (SELECT 1 FROM area WHERE level = 'country')
  AND NOT EXISTS (SELECT 1 FROM area_part p WHERE p.level = 'country' AND ST_Covers(p.geom, s.g))
