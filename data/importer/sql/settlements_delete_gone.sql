-- Delete the places that earlier settlements imports brought and the new file
-- no longer has; places an OSM extract import last touched (aimaq import osm)
-- stay. An anti-join, not NOT IN (subquery): with a million staged places the
-- subquery's hash table outgrows work_mem and NOT IN falls back to a scan of
-- the staged places for every settlement. No parameters.
DELETE FROM settlement s USING import_run r
WHERE s.import_id = r.id AND r.dataset = 'settlements' AND s.source = 'osm'
  AND NOT EXISTS (SELECT 1 FROM stage_settlement g WHERE g.source_id = s.source_id)
