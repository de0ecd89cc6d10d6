-- The compute runs kept, newest first, each with the import it saw last and
-- the size of what it made. Counting a run's rows walks the primary keys,
-- which begin with run_id.
SELECT r.id, r.status, r.started_at, r.finished_at, r.data_generation,
       i.id, coalesce(i.dataset, ''), coalesce(i.source, ''), i.finished_at,
       left(encode(sha256(convert_to(r.params::text, 'UTF8')), 'hex'), 16),
       (SELECT count(*) FROM settlement_access s WHERE s.run_id = r.id),
       (SELECT count(DISTINCT a.area_id) FROM area_indicator a WHERE a.run_id = r.id),
       coalesce((SELECT max(id) FROM import_run), 0) > r.data_generation,
       r.id = (SELECT max(id) FROM compute_run WHERE status = 'done')
FROM compute_run r
LEFT JOIN import_run i ON i.id = r.data_generation
ORDER BY r.id DESC
