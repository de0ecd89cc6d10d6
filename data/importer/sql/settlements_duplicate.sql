-- The first staged place, in the order of the file, whose source_id an
-- earlier feature already gave: its idx, that earlier feature's idx and the
-- source_id. No row when every place is given once. No parameters.
SELECT idx, prev, source_id FROM (
    SELECT idx, source_id, lag(idx) OVER (PARTITION BY source_id ORDER BY idx) AS prev
    FROM stage_settlement
) d
WHERE prev IS NOT NULL
ORDER BY idx
LIMIT 1
