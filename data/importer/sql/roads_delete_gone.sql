-- Delete the roads of one source that are no longer in it (not staged).
-- $1 source ("osm" or "file:<basename>").
DELETE FROM road r
WHERE r.source = $1
  AND NOT EXISTS (SELECT 1 FROM stage_road s WHERE s.source_id = r.source_id)
