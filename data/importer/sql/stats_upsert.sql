-- Record one statistic of one area for one year, replacing an earlier figure.
-- $1 area id, $2 stat, $3 year, $4 value, $5 import_run id.
INSERT INTO area_stat (area_id, stat, year, value, import_id) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (area_id, stat, year) DO UPDATE SET value = EXCLUDED.value, import_id = EXCLUDED.import_id
