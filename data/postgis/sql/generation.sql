-- The data generation: the newest import run. Every import adds a row, so the
-- number changes whenever tiles may have; it is an index-only lookup on the
-- primary key, cheap enough to ask often.
SELECT coalesce(max(id), 0) FROM import_run
