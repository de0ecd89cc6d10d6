-- Write the staged places of the settlements import as OSM settlements: new
-- ones are inserted, known ones (same source_id) updated in place, so their
-- ids stay. $1 import_run id.
INSERT INTO settlement AS t (source, source_id, name, name_kk, name_ru, name_en, place, population, population_estimated, import_id, geom, geom_3857)
SELECT 'osm', source_id, name, name_kk, name_ru, name_en, place, population, estimated, $1, g, ST_Transform(g, 3857)
FROM stage_settlement
ON CONFLICT (source, source_id) DO UPDATE SET
    name = EXCLUDED.name, name_kk = EXCLUDED.name_kk, name_ru = EXCLUDED.name_ru, name_en = EXCLUDED.name_en,
    place = EXCLUDED.place, population = EXCLUDED.population, population_estimated = EXCLUDED.population_estimated,
    import_id = EXCLUDED.import_id, geom = EXCLUDED.geom, geom_3857 = EXCLUDED.geom_3857
