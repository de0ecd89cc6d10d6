-- Leave out the new staged places (not yet in settlement) outside the
-- country, as the settlements import does; known places stay wherever they
-- are. Point in area goes through area_part (migration 0004).
-- $1 the OSM source ("osm").
DELETE FROM stage_settlement s
WHERE NOT EXISTS (SELECT 1 FROM settlement t WHERE t.source = $1 AND t.source_id = s.source_id)
  AND NOT EXISTS (SELECT 1 FROM area_part p WHERE p.level = 'country' AND ST_Covers(p.geom, s.g))
