-- The facilities, each with the district it lies in (by the subdivided
-- boundaries of area_part) and that district's oblast.
SELECT f.id, f.kind, coalesce(f.name, ''), coalesce(f.capacity::float8, 'NaN'), ST_X(f.geom), ST_Y(f.geom),
       coalesce(d.id, 0), coalesce(d.parent_id, 0)
FROM facility f
LEFT JOIN LATERAL (SELECT a.id, a.parent_id FROM area_part p JOIN area a ON a.id = p.area_id
                   WHERE p.level = 'district' AND ST_Covers(p.geom, f.geom) LIMIT 1) d ON true
ORDER BY f.id
