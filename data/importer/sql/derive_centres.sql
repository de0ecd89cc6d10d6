-- Administrative centres.
-- Oblast: the centre point comes from the centres file; its settlement is the
-- nearest imported city or town within 10 km of that point.
UPDATE area o SET centre_settlement_id = (
    SELECT s.id FROM settlement s
    WHERE s.place IN ('city', 'town') AND ST_DWithin(s.geom::geography, o.centre::geography, 10000)
    ORDER BY s.geom <-> o.centre LIMIT 1)
WHERE o.level = 'oblast' AND o.centre IS NOT NULL;
UPDATE area SET centre_settlement_id = NULL WHERE level = 'oblast' AND centre IS NULL;

-- District: no open data lists district centres, so the rule is: the oblast's
-- centre if it lies in the district; else the district's highest-ranked
-- settlement — city, then town, then village — and among equals the one with
-- the largest population, tagged figures before estimates.
UPDATE area d SET centre_settlement_id = c.id, centre = c.geom
FROM (
    SELECT DISTINCT ON (s.district_id) s.district_id, s.id, s.geom
    FROM settlement s
    LEFT JOIN area o ON o.id = s.oblast_id AND o.centre_settlement_id = s.id
    WHERE s.district_id IS NOT NULL
    ORDER BY s.district_id,
             (o.id IS NOT NULL) DESC,
             CASE s.place WHEN 'city' THEN 1 WHEN 'town' THEN 2 WHEN 'village' THEN 3 WHEN 'hamlet' THEN 4 ELSE 5 END,
             s.population_estimated, s.population DESC NULLS LAST, s.id
) c
WHERE d.id = c.district_id AND d.level = 'district'
  AND (d.centre_settlement_id IS DISTINCT FROM c.id);
UPDATE area d SET centre_settlement_id = NULL, centre = NULL
WHERE d.level = 'district' AND d.centre_settlement_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM settlement s WHERE s.id = d.centre_settlement_id AND s.district_id = d.id);
