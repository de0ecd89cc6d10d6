-- District centres by rule, for districts the reference table leaves without
-- one (no row, or a row refused): the oblast's centre if it lies in the
-- district; else the district's highest-ranked settlement — city, then town,
-- then village — and among equals the one with the largest population, tagged
-- figures before estimates. A guess, flagged 'derived' (access.CentreDerived)
-- so the map says so.
UPDATE area d SET centre_settlement_id = c.id, centre = c.geom, centre_source = 'derived'
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
WHERE d.id = c.district_id AND d.level = 'district' AND d.centre IS NULL;
