-- The first staged facility of a GeoJSON file, in the order of the file,
-- whose id an earlier feature already used: its idx, that earlier feature's
-- idx and the id. No row when every id is used once. No parameters.
SELECT idx, prev, source_id FROM (
    SELECT idx, source_id, lag(idx) OVER (PARTITION BY source_id ORDER BY idx) AS prev
    FROM stage_facility
) d
WHERE prev IS NOT NULL
ORDER BY idx
LIMIT 1
