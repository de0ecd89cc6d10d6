-- Features of the layer "settlements": one row per settlement, its id first,
-- then its properties. Accessibility figures come from the latest finished
-- compute run (null when none, or when the data loaded cannot give them):
-- the indicators placeholder stands for the settlement indicators the
-- catalogue (geo/indicator) puts in tiles, rounded to the decimals it gives.
-- Read by the tile query (settlements.sql) and by the in-memory cutter alike.
SELECT s.id,
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
  LEFT JOIN settlement_access a ON a.settlement_id = s.id
        AND a.run_id = (SELECT max(id) FROM compute_run WHERE status = 'done')
  LEFT JOIN area d ON d.id = s.district_id
  LEFT JOIN area o ON o.id = s.oblast_id
