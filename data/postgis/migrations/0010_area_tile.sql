-- Tile-ready area geometry (issue 11.1): the oblast, district and group
-- boundaries in EPSG:3857, generalised once per data generation for each
-- zoom band instead of on every tile request. Neighbours share their
-- simplified borders (geo/topo: the rings are cut into shared arcs, each arc
-- is simplified once), so no gap or overlap opens between them at any zoom.
-- A tile query then only clips and encodes the band's geometry.
--
-- Whoever writes area, a trigger keeps area_tile in step at once with each
-- area simplified on its own (as the tile queries did per request before);
-- Go (postgis.refreshTileTables) then replaces the rows with the shared-arc
-- generalisation inside the transaction of the import that changed area
-- geometry, and in the migration run that creates this table, for the
-- levels area_tile_dirty lists.
CREATE TABLE area_tile (
    area_id bigint   NOT NULL REFERENCES area(id) ON DELETE CASCADE,
    level   text     NOT NULL,
    zmin    smallint NOT NULL, -- the band: zooms zmin..zmax
    zmax    smallint NOT NULL,
    -- The larger side of the whole area's bounding box in metres, for
    -- leaving out units smaller than a pixel without reading area.geom_3857.
    size    float8   NOT NULL,
    geom    geometry(MultiPolygon, 3857) NOT NULL,
    PRIMARY KEY (area_id, zmin)
);
CREATE INDEX area_tile_geom_gix ON area_tile USING gist (geom);
CREATE INDEX area_tile_level_idx ON area_tile (level, zmin);

-- The area indicators of each kept compute run as the jsonb object the tiles
-- carry (as area_indicators_latest gives it), written when the run finishes
-- instead of being gathered per feature and request. Tiles read the rows of
-- the latest finished run only; pruned runs take theirs with them.
CREATE TABLE area_tile_attr (
    run_id     bigint NOT NULL REFERENCES compute_run(id) ON DELETE CASCADE,
    area_id    bigint NOT NULL REFERENCES area(id) ON DELETE CASCADE,
    indicators jsonb  NOT NULL,
    PRIMARY KEY (run_id, area_id)
);
INSERT INTO area_tile_attr (run_id, area_id, indicators)
SELECT i.run_id, i.area_id, jsonb_object_agg(i.indicator, round(i.value::numeric, 4))
  FROM area_indicator i
  JOIN compute_run r ON r.id = i.run_id AND r.status = 'done'
 WHERE i.value IS NOT NULL
 GROUP BY i.run_id, i.area_id;

-- The levels whose geometry changed since area_tile was last built from
-- shared arcs: the rebuild is due for them.
CREATE TABLE area_tile_dirty (
    level text PRIMARY KEY
);
INSERT INTO area_tile_dirty (level) VALUES ('oblast'), ('district'), ('macroregion'), ('agglomeration');

-- The zoom bands and their tolerances (half a 256-px pixel at the band's
-- highest zoom, in metres); tiles.AreaBands in Go is the same list
-- (TestAreaBandsMatchSQL).
CREATE FUNCTION area_tile_bands() RETURNS TABLE (zmin smallint, zmax smallint, tolerance float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT b.zmin::smallint, b.zmax::smallint, 40075016.68 / (256 * power(2, b.zmax)) / 2
      FROM (VALUES (0, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 14)) AS b(zmin, zmax)
$$;

CREATE FUNCTION area_tile_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Re-imports rewrite unchanged boundaries (the groups after every
    -- settlements or statistics import): nothing to do for those.
    IF TG_OP = 'UPDATE' AND OLD.level = NEW.level AND OLD.geom_3857::bytea = NEW.geom_3857::bytea THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.level IN ('oblast', 'district', 'macroregion', 'agglomeration') THEN
        INSERT INTO area_tile_dirty (level) VALUES (OLD.level) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL; -- its rows go with it (ON DELETE CASCADE)
    END IF;
    DELETE FROM area_tile WHERE area_id = NEW.id;
    IF NEW.level IN ('oblast', 'district', 'macroregion', 'agglomeration') THEN
        INSERT INTO area_tile_dirty (level) VALUES (NEW.level) ON CONFLICT DO NOTHING;
        INSERT INTO area_tile (area_id, level, zmin, zmax, size, geom)
        SELECT NEW.id, NEW.level, b.zmin, b.zmax,
               greatest(ST_XMax(NEW.geom_3857) - ST_XMin(NEW.geom_3857), ST_YMax(NEW.geom_3857) - ST_YMin(NEW.geom_3857)),
               g.geom
          FROM area_tile_bands() b,
               LATERAL (SELECT ST_Multi(ST_SimplifyPreserveTopology(NEW.geom_3857, b.tolerance)) AS geom) g
         WHERE NOT ST_IsEmpty(g.geom);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER area_tile_row AFTER INSERT OR DELETE OR UPDATE OF geom_3857, level ON area
    FOR EACH ROW EXECUTE FUNCTION area_tile_row();

INSERT INTO area_tile (area_id, level, zmin, zmax, size, geom)
SELECT a.id, a.level, b.zmin, b.zmax,
       greatest(ST_XMax(a.geom_3857) - ST_XMin(a.geom_3857), ST_YMax(a.geom_3857) - ST_YMin(a.geom_3857)),
       ST_Multi(ST_SimplifyPreserveTopology(a.geom_3857, b.tolerance))
  FROM area a, area_tile_bands() b
 WHERE a.level IN ('oblast', 'district', 'macroregion', 'agglomeration');
