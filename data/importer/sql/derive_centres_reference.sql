-- The imported districts of the reference centres ($1 KATO codes, $2 lon,
-- $3 lat), whether the reference point lies inside the district and inside the
-- country (true when no country is imported), and the district's settlements
-- within $4 metres of the point, nearest first (NULL columns: none).
WITH ref AS (
    SELECT r.kato, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) AS pt
    FROM unnest($1::text[], $2::float8[], $3::float8[]) AS r(kato, lon, lat)
), district AS (
    SELECT ref.kato, ref.pt, d.id, coalesce(d.name_en, d.name_ru, '') AS name,
           ST_Covers(d.geom, ref.pt) AS in_district,
           coalesce(bool_or(ST_Covers(c.geom, ref.pt)), true) AS in_country
    FROM ref
    JOIN area d ON d.level = 'district' AND d.code = ref.kato
    LEFT JOIN area c ON c.level = 'country'
    GROUP BY ref.kato, ref.pt, d.id
)
SELECT d.kato, d.id, d.name, d.in_district, d.in_country,
       s.id, coalesce(s.name, ''), coalesce(s.name_kk, ''), coalesce(s.name_ru, ''), coalesce(s.name_en, '')
FROM district d
LEFT JOIN LATERAL (
    SELECT s.*, ST_Distance(s.geom::geography, d.pt::geography) AS metres FROM settlement s
    WHERE s.district_id = d.id AND ST_DWithin(s.geom::geography, d.pt::geography, $4)
) s ON true
ORDER BY d.kato, s.metres NULLS LAST, s.id
