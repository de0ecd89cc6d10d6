-- The staging table of the settlements import; osm_stage_settlements.sql is
-- the OSM import's, with the same columns (so that estimatePopulation and
-- settlements_stage_oblasts.sql serve both) plus tags. oblast is set by
-- settlements_stage_oblasts.sql, estimated by the population estimate.
-- Dropped at commit. No parameters.
CREATE TEMP TABLE stage_settlement (
    idx int, source_id text, name text, name_kk text, name_ru text, name_en text,
    place text, population int, g geometry, oblast text, estimated boolean NOT NULL DEFAULT false
) ON COMMIT DROP
