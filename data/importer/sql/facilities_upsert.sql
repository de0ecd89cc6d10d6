-- Write the staged facilities of one source: new ones are inserted, known
-- ones (same source and source_id) updated in place, so their ids stay.
-- $1 source ("osm" or "file:<basename>"), $2 import_run id.
INSERT INTO facility AS t (kind, name, capacity, source, source_id, import_id, geom, tags)
SELECT kind, name, capacity, $1, source_id, $2, g, tags FROM stage_facility
ON CONFLICT (source, source_id) DO UPDATE SET
    kind = EXCLUDED.kind, name = EXCLUDED.name, capacity = EXCLUDED.capacity,
    import_id = EXCLUDED.import_id, geom = EXCLUDED.geom, tags = EXCLUDED.tags
