-- Merge the staged places of an OSM extract into settlement: new ones are
-- inserted, known ones (same source and source_id) updated in place, and a
-- merge never loses a name the existing row has and the extract lacks.
-- Returns the number inserted and the number updated.
-- $1 the OSM source ("osm"), $2 import_run id.
WITH up AS (
    INSERT INTO settlement AS t (source, source_id, name, name_kk, name_ru, name_en, place, population, population_estimated, import_id, geom, geom_3857, tags)
    SELECT $1, source_id, name, name_kk, name_ru, name_en, place, population, estimated, $2, g, ST_Transform(g, 3857), coalesce(tags, '{}')
    FROM stage_settlement
    ON CONFLICT (source, source_id) DO UPDATE SET
        name = coalesce(EXCLUDED.name, t.name), name_kk = coalesce(EXCLUDED.name_kk, t.name_kk),
        name_ru = coalesce(EXCLUDED.name_ru, t.name_ru), name_en = coalesce(EXCLUDED.name_en, t.name_en),
        place = EXCLUDED.place, population = EXCLUDED.population, population_estimated = EXCLUDED.population_estimated,
        import_id = EXCLUDED.import_id, geom = EXCLUDED.geom, geom_3857 = EXCLUDED.geom_3857, tags = EXCLUDED.tags
    RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
