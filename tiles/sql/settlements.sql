-- Layer "settlements": OpenStreetMap populated places as points.
-- Parameters: $1 = z, $2 = x, $3 = y.
--
-- Thinned at low zoom so a tile stays small and labels readable:
--   z < 7: cities and towns, and any place of 5,000 people or more;
--   z < 9: everything but hamlets and isolated dwellings;
--   z >= 9: every place.
-- Points in the 64-unit buffer are kept so labels at tile edges are not cut.
-- Larger places come first, the order MapLibre places their labels in.
-- Accessibility figures come from the latest finished compute run (null when
-- none, or when the data loaded cannot give them): the placeholder below stands for
-- the settlement indicators the catalogue (geo/indicator) puts in tiles,
-- rounded to the decimals it gives.
WITH b AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS clip
),
q AS (
    SELECT s.id,
           ST_AsMVTGeom(s.geom_3857, b.env, 4096, 64, true) AS geom,
           s.name,
           s.name_kk,
           s.name_ru,
           s.name_en,
           s.place,
           s.population,
           s.population_estimated,
           d.name_en AS district_name_en,
           d.name_ru AS district_name_ru,
           d.name_kk AS district_name_kk,
           o.name_en AS oblast_name_en,
           o.name_ru AS oblast_name_ru,
           o.name_kk AS oblast_name_kk,
           {{indicators}},
           a.method AS access_method
      FROM settlement s
      CROSS JOIN b
      LEFT JOIN settlement_access a ON a.settlement_id = s.id
            AND a.run_id = (SELECT max(id) FROM compute_run WHERE status = 'done')
      LEFT JOIN area d ON d.id = s.district_id
      LEFT JOIN area o ON o.id = s.oblast_id
     WHERE s.geom_3857 && b.clip
       AND CASE
             WHEN $1::int < 7 THEN s.place IN ('city', 'town') OR s.population >= 5000
             WHEN $1::int < 9 THEN s.place NOT IN ('hamlet', 'isolated_dwelling')
             ELSE true
           END
     ORDER BY s.population DESC NULLS LAST, s.id
)
-- In the order of q (largest first, then id): the same bytes on every cut.
SELECT ST_AsMVT(q, 'settlements', 4096, 'geom', 'id' ORDER BY q.population DESC NULLS LAST, q.id)
  FROM q
 WHERE q.geom IS NOT NULL
