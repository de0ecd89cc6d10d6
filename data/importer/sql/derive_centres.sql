-- Administrative centres.
-- Oblast: the centre point comes from the centres file; its settlement is the
-- nearest imported city or town within 10 km of that point (the box, 0.1° of
-- latitude and as many km of longitude, lets the spatial index find them).
UPDATE area o SET centre_settlement_id = (
    SELECT s.id FROM settlement s
    WHERE s.place IN ('city', 'town')
      AND s.geom && ST_Expand(o.centre, 0.1 / greatest(cos(radians(ST_Y(o.centre))), 0.01), 0.1)
      AND ST_DWithin(s.geom::geography, o.centre::geography, 10000)
    ORDER BY s.geom <-> o.centre LIMIT 1)
WHERE o.level = 'oblast' AND o.centre IS NOT NULL;
UPDATE area SET centre_settlement_id = NULL WHERE level = 'oblast' AND centre IS NULL;

-- District: found afresh on every derive, first from the reference table
-- (derive_centres_reference.sql, data/importer/centres.go), then by rule
-- (derive_centres_rule.sql) for the districts it leaves without one.
UPDATE area SET centre_settlement_id = NULL, centre = NULL, centre_source = NULL
WHERE level = 'district' AND (centre IS NOT NULL OR centre_settlement_id IS NOT NULL OR centre_source IS NOT NULL);
