-- Write the staged roads of one source: new ones are inserted, known ones
-- (same source and source_id) updated in place, so their ids stay.
-- $1 source ("osm" or "file:<basename>"), $2 import_run id.
INSERT INTO road AS t (class, surface, paved, paved_assumed, speed_kmh, maxspeed_kmh, oneway, name, node_ids, source, source_id, import_id, geom)
SELECT class, surface, paved, paved_assumed, speed_kmh, maxspeed_kmh, oneway, name, node_ids, $1, source_id, $2, g FROM stage_road
ON CONFLICT (source, source_id) DO UPDATE SET
    class = EXCLUDED.class, surface = EXCLUDED.surface, paved = EXCLUDED.paved, paved_assumed = EXCLUDED.paved_assumed,
    speed_kmh = EXCLUDED.speed_kmh, maxspeed_kmh = EXCLUDED.maxspeed_kmh,
    oneway = EXCLUDED.oneway, name = EXCLUDED.name, node_ids = EXCLUDED.node_ids,
    import_id = EXCLUDED.import_id, geom = EXCLUDED.geom
