-- Points of the layer "settlements" for the in-memory cutter (tiles/cut):
-- id, x and y in EPSG:3857, the zoom it appears from (as the
-- tile query has it), in the tile's feature order (largest first, then id).
SELECT s.id, ST_X(s.geom_3857), ST_Y(s.geom_3857), {{minzoom}}
  FROM settlement s
 WHERE s.geom_3857 IS NOT NULL
 ORDER BY s.population DESC NULLS LAST, s.id
