-- The parent of each staged unit without a KATO code or a named parent: the
-- unit of the parent level that covers the largest part of it (borders from
-- different sources never match exactly, so "contains" would fail on every
-- sliver); among equal shares the lower id. No overlap leaves parent_id NULL.
-- $1 the parent level ('country' or 'oblast').
UPDATE stage_parent sp SET parent_id = (
    SELECT p.id FROM area p JOIN stage_area s ON s.idx = sp.idx
    WHERE p.level = $1 AND ST_Intersects(p.geom, s.g)
    ORDER BY ST_Area(ST_Intersection(p.geom, s.g)::geography) DESC, p.id
    LIMIT 1)
