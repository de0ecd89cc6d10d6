-- The data generation: it changes whenever tiles may have — with every import
-- (a new import_run row) and with every finished compute run, whose
-- indicators the tiles carry. Both are index-only lookups on primary keys,
-- cheap enough to ask often. Import ids take the high bits, so the number
-- only grows.
SELECT (coalesce((SELECT max(id) FROM import_run), 0) << 32)
     + coalesce((SELECT max(id) FROM compute_run WHERE status = 'done'), 0)
