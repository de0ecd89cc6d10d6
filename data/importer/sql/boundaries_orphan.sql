-- The first staged unit, by feature index, that found no parent by field or
-- by overlap. Returns idx, code, name (English, else ''), and the parent
-- code the file gave (else ''); no row when every unit has its parent.
-- No parameters.
SELECT s.idx, s.code, coalesce(s.name_en, ''), coalesce(sp.parent_code, '')
FROM stage_parent sp JOIN stage_area s ON s.idx = sp.idx
WHERE sp.parent_id IS NULL
ORDER BY s.idx LIMIT 1
