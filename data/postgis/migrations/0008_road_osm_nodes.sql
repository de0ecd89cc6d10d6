-- Issue 8.7: OpenStreetMap read as it is meant.
--
-- node_ids: the OSM node id of each vertex of a road from OpenStreetMap (NULL
-- for roads from other sources). The road graph joins two roads where they
-- share a node id, not wherever two vertices share a coordinate, so a bridge
-- gets no false exit onto the road beneath it (route.Build).
--
-- maxspeed_kmh: the tagged speed limit. The graph caps it by the class's
-- typical speed (route.Speeds), so it can slow a road but never speed it up;
-- speed_kmh stays a road's own travel speed, given only by files of roads
-- from other sources. Roads imported from OpenStreetMap before this migration
-- stored the limit in speed_kmh: it moves. Their node ids stay NULL (joined by
-- coordinate, as before) until the extract is imported again.
ALTER TABLE road ADD COLUMN node_ids bigint[], ADD COLUMN maxspeed_kmh double precision;
UPDATE road SET maxspeed_kmh = speed_kmh, speed_kmh = NULL WHERE source = 'osm';
ALTER TABLE road ADD CONSTRAINT road_node_ids_per_vertex
    CHECK (node_ids IS NULL OR cardinality(node_ids) = ST_NPoints(geom));
