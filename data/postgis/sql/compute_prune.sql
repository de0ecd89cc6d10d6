-- Keep the three latest finished runs: older results are superseded. Failed
-- runs go too; a run still running is left alone.
DELETE FROM compute_run
WHERE status <> 'running'
  AND id NOT IN (SELECT id FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 3)
