-- Set the SRID of the staged places, then leave out those outside the
-- country (the command tag counts them). Point in area goes through
-- area_part (migration 0004), never through area.geom.
-- No parameters.
UPDATE stage_settlement SET g = ST_SetSRID(g, 4326);
DELETE FROM stage_settlement s
WHERE NOT EXISTS (SELECT 1 FROM area_part p WHERE p.level = 'country' AND ST_Covers(p.geom, s.g));
