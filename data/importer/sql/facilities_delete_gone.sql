-- Delete the facilities of one source that are no longer in it (not staged).
-- $1 source ("osm" or "file:<basename>").
DELETE FROM facility f
WHERE f.source = $1
  AND NOT EXISTS (SELECT 1 FROM stage_facility s WHERE s.source_id = f.source_id)
