-- Assign every settlement its district and oblast by point in polygon, over
-- the small pieces of area_part (migration 0004). A place
-- on a border sliver between the country outline and the district layer
-- (different sources, different generalisation) takes the nearest unit within 5 km.
WITH loc AS (
    SELECT s.id,
           coalesce(
             (SELECT p.area_id FROM area_part p WHERE p.level = 'district' AND ST_Covers(p.geom, s.geom) LIMIT 1),
             (SELECT a.id FROM area a WHERE a.level = 'district' AND ST_DWithin(a.geom::geography, s.geom::geography, 5000)
              ORDER BY a.geom <-> s.geom LIMIT 1)) AS district_id,
           coalesce(
             (SELECT p.area_id FROM area_part p WHERE p.level = 'oblast' AND ST_Covers(p.geom, s.geom) LIMIT 1),
             (SELECT a.id FROM area a WHERE a.level = 'oblast' AND ST_DWithin(a.geom::geography, s.geom::geography, 5000)
              ORDER BY a.geom <-> s.geom LIMIT 1)) AS oblast_id
    FROM settlement s
)
UPDATE settlement s SET district_id = loc.district_id, oblast_id = loc.oblast_id
FROM loc
WHERE s.id = loc.id
  AND (s.district_id IS DISTINCT FROM loc.district_id OR s.oblast_id IS DISTINCT FROM loc.oblast_id);
