-- Layer "settlements": OpenStreetMap populated places as points.
-- Parameters: $1 = z, $2 = x, $3 = y.
--
-- Thinned at low zoom so a tile stays small and labels readable: a place is
-- in the tiles from its min zoom on (settlements_minzoom.sql):
--   z < 7: cities and towns, and any place of 5,000 people or more;
--   z < 9: everything but hamlets and isolated dwellings;
--   z >= 9: every place.
-- Points in the 64-unit buffer are kept so labels at tile edges are not cut.
-- Larger places come first, the order MapLibre places their labels in.
-- The properties are settlements_features.sql's; the in-memory cutter
-- (tiles/cut) follows the same rules.
WITH b AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS clip
),
f AS (
{{features}}
),
q AS (
    SELECT ST_AsMVTGeom(s.geom_3857, b.env, 4096, 64, true) AS geom, f.*
      FROM settlement s
      CROSS JOIN b
      JOIN f ON f.id = s.id
     WHERE s.geom_3857 && b.clip
       AND {{minzoom}} <= $1::int
)
-- Largest first, then id: the same bytes on every cut.
SELECT ST_AsMVT(q, 'settlements', 4096, 'geom', 'id' ORDER BY q.population DESC NULLS LAST, q.id)
  FROM q
 WHERE q.geom IS NOT NULL
