-- Tile of an area layer (oblasts, districts, groups): the layer's features
-- (one of the *_features.sql files) drawn with their tile-ready
-- geometry (area_tile, at the layer's levels). Parameters: $1 = z, $2 = x, $3 = y.
--
-- Geometry comes generalised already (area_tile, migration 0010): once per
-- data generation and zoom band, at half a 256-px screen pixel at the band's
-- highest zoom, with neighbours sharing their simplified borders, so no gap or
-- overlap opens between them. A tile only clips it to the tile plus its
-- 64-unit buffer; units whose bounding box is smaller than one pixel at z are
-- dropped. ST_AsMVTGeom snaps to the 4096 grid and repairs what clipping
-- may have broken. The in-memory cutter (tiles/cut) follows the same rules.
WITH b AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS clip,
           40075016.68 / (256 * power(2, $1::int)) AS px
),
prep AS (
    SELECT t.area_id AS id, ST_ClipByBox2D(t.geom, b.clip) AS geom
      FROM area_tile t
      CROSS JOIN b
     WHERE t.level IN ({{levels}})
       AND $1::int BETWEEN t.zmin AND t.zmax
       AND t.geom && b.clip
       AND t.size >= b.px
),
f AS (
{{features}}
),
q AS (
    SELECT ST_AsMVTGeom(prep.geom, b.env, 4096, 64, true) AS geom, f.*
      FROM prep
      JOIN f ON f.id = prep.id
      CROSS JOIN b
)
-- In id order: the same data make the same bytes (and ETag) on every cut.
SELECT ST_AsMVT(q, '{{name}}', 4096, 'geom', 'id' ORDER BY q.id)
  FROM q
 WHERE q.geom IS NOT NULL
