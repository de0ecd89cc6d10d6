-- The compute run area tiles carry (spliced into the *_features.sql files where
-- they say run): the latest finished run, and whether it stored its indicators for
-- tiles (area_tile_attr, migration 0010) or they must be gathered per feature
-- (migration 0003).
CROSS JOIN (SELECT m.run,
                   EXISTS (SELECT 1 FROM area_tile_attr x WHERE x.run_id = m.run) AS attr
              FROM (SELECT max(id) AS run FROM compute_run WHERE status = 'done') m) r
LEFT JOIN area_tile_attr ti ON ti.run_id = r.run AND ti.area_id = a.id
