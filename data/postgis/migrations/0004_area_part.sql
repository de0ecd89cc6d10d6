-- The country, oblast and district boundaries cut into pieces of at most 128
-- vertices (ST_Subdivide). Point-in-polygon tests (which district a settlement
-- or facility lies in, clipping to the country) then touch a few small pieces
-- found by the GiST index instead of a polygon of tens of thousands of
-- vertices: about 6× faster on the real boundaries. A trigger keeps the pieces
-- in step with area, whoever writes it.
CREATE TABLE area_part (
    area_id bigint NOT NULL REFERENCES area(id) ON DELETE CASCADE,
    level   text   NOT NULL,
    geom    geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX area_part_geom_gix ON area_part USING gist (geom);
CREATE INDEX area_part_area_idx ON area_part (area_id);

INSERT INTO area_part (area_id, level, geom)
SELECT id, level, ST_Subdivide(geom, 128) FROM area WHERE level IN ('country', 'oblast', 'district');

CREATE FUNCTION area_part_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM area_part WHERE area_id = NEW.id;
    IF NEW.level IN ('country', 'oblast', 'district') THEN
        INSERT INTO area_part (area_id, level, geom)
        SELECT NEW.id, NEW.level, ST_Subdivide(NEW.geom, 128);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER area_part_refresh AFTER INSERT OR UPDATE OF geom, level ON area
    FOR EACH ROW EXECUTE FUNCTION area_part_refresh();
