-- The staging table of the OSM import's places: the columns of
-- settlements_stage.sql plus tags. Not one table for both imports: with a
-- tags column the settlements import inserted the same places in another
-- order, so with other ids (tile feature ids). Dropped at commit.
-- No parameters.
CREATE TEMP TABLE stage_settlement (
    idx int, source_id text, name text, name_kk text, name_ru text, name_en text,
    place text, population int, g geometry, oblast text, estimated boolean NOT NULL DEFAULT false, tags jsonb
) ON COMMIT DROP
