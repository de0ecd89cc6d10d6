-- The staging table of a facilities import (a file's or OpenStreetMap's):
-- idx is the feature of a GeoJSON file, NULL for the other sources. Dropped
-- at commit. No parameters.
CREATE TEMP TABLE stage_facility (
    idx int, source_id text, kind text, name text, capacity int, tags jsonb, g geometry
) ON COMMIT DROP
