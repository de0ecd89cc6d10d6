-- Scenario layer "settlements" (issue 12.2): the settlements whose figures a
-- scenario changes, as points.
-- Parameters: $1 = z, $2 = x, $3 = y, $4 = jsonb object: settlement id (as
-- text) → the feature's properties (each figure before, after, delta and how
-- it was made, from the evaluation held in Go). Every changed settlement at
-- every zoom (a scenario changes few); larger places first, as in
-- tiles/sql/settlements.sql.
WITH b AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS clip
),
v AS (
    SELECT key::bigint AS id, value AS props FROM jsonb_each($4::jsonb)
),
q AS (
    SELECT s.id,
           ST_AsMVTGeom(s.geom_3857, b.env, 4096, 64, true) AS geom,
           s.name,
           s.name_kk,
           s.name_ru,
           s.name_en,
           s.population,
           v.props
      FROM v
      JOIN settlement s ON s.id = v.id
      CROSS JOIN b
     WHERE s.geom_3857 && b.clip
)
SELECT ST_AsMVT(q, 'settlements', 4096, 'geom', 'id' ORDER BY q.population DESC NULLS LAST, q.id)
  FROM q
 WHERE q.geom IS NOT NULL
