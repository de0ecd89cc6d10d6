-- Write the staged boundaries of one level into area: new codes are inserted,
-- known ones updated in place, so their ids stay. A unit's parent is in
-- stage_parent where boundaries_parent_field.sql or
-- boundaries_parent_spatial.sql has found it; else, for KATO codes ($3 the
-- parent level), found by the code: the country (KATO 000000000) for an
-- oblast, for a district the oblast of its first two KATO digits; the
-- country has none. Parents live in a table of their own and are read with
-- subqueries so that stage_area is scanned as it was written: new rows get
-- their ids in that order, which the answers pinned by the golden tests
-- depend on.
-- $1 level, $2 import_run id, $3 the parent level for KATO codes ('' when
-- the parents are staged or for the country), $4 the feature indexes
-- repaired with ST_MakeValid (int[]).
INSERT INTO area AS a (level, code, iso, name_kk, name_ru, name_en, parent_id, repaired, import_id, area_km2, geom, geom_3857)
SELECT $1, s.code, s.iso, s.name_kk, s.name_ru, s.name_en,
       coalesce((SELECT sp.parent_id FROM stage_parent sp WHERE sp.idx = s.idx),
                (SELECT p.id FROM area p
                 WHERE p.level = $3
                   AND p.code = CASE $3 WHEN 'country' THEN '000000000' WHEN 'oblast' THEN substr(s.code, 1, 2) || '0000000' END)),
       coalesce(s.idx = ANY($4::int[]), false), $2, ST_Area(s.g::geography) / 1e6, s.g, ST_Transform(s.g, 3857)
FROM stage_area s
ON CONFLICT (level, code) DO UPDATE SET
    iso = EXCLUDED.iso, name_kk = EXCLUDED.name_kk, name_ru = EXCLUDED.name_ru, name_en = EXCLUDED.name_en,
    parent_id = EXCLUDED.parent_id, repaired = EXCLUDED.repaired, import_id = EXCLUDED.import_id,
    area_km2 = EXCLUDED.area_km2, geom = EXCLUDED.geom, geom_3857 = EXCLUDED.geom_3857
