-- Keep the $1 (postgis.KeepRuns) latest finished runs: older results are
-- superseded, and the kept ones let the map compare runs and the disparity
-- panel draw the indices over them. Failed runs go too; a run still running
-- is left alone.
DELETE FROM compute_run
WHERE status <> 'running'
  AND id NOT IN (SELECT id FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT $1)
