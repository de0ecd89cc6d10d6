-- The staging table of roads, in the column order of roadColumns. Dropped at
-- commit. No parameters.
CREATE TEMP TABLE stage_road (
    source_id text, class text, surface text, paved boolean, paved_assumed boolean,
    speed_kmh double precision, maxspeed_kmh double precision, oneway boolean, name text,
    node_ids bigint[], g geometry
) ON COMMIT DROP
