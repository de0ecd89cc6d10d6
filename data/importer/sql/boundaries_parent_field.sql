-- The parent of each staged unit whose file names it (--parent-field): the
-- unit of the parent level with that code. No match leaves parent_id NULL,
-- which the importer refuses (boundaries_orphan.sql).
-- $1 the parent level ('country' or 'oblast').
UPDATE stage_parent sp SET parent_id = p.id
FROM area p
WHERE p.level = $1 AND p.code = sp.parent_code
