-- The first staged district, by feature index, whose oblast is not imported:
-- a district's oblast has the KATO of the district's first two digits
-- followed by seven zeros. Returns idx, code; no row when every district has
-- its oblast. No parameters.
SELECT s.idx, s.code FROM stage_area s
WHERE NOT EXISTS (SELECT 1 FROM area p WHERE p.level = 'oblast' AND p.code = substr(s.code, 1, 2) || '0000000')
ORDER BY s.idx LIMIT 1
