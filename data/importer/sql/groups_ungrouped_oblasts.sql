-- The imported oblasts that belong to no group, which would leave the groups
-- short of a partition of the country. Returns code, name_en ('' if none).
-- No parameters.
SELECT a.code, coalesce(a.name_en, '') FROM area a
WHERE a.level = 'oblast'
  AND NOT EXISTS (SELECT 1 FROM area_group_member m WHERE m.level = 'oblast' AND m.code = a.code)
