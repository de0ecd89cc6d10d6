-- Delete the places that earlier settlements imports brought and the new file
-- no longer has; places an OSM extract import last touched (aimaq import osm)
-- stay. No parameters.
DELETE FROM settlement s USING import_run r
WHERE s.import_id = r.id AND r.dataset = 'settlements' AND s.source = 'osm'
  AND s.source_id NOT IN (SELECT source_id FROM stage_settlement)
