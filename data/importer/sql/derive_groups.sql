-- Macroregions and agglomerations as areas: each district belongs to the group
-- that lists it, else to its oblast's group; each oblast to the group that lists
-- it. A group's geometry is the union of its member districts (of its member
-- oblasts while no districts are loaded), its population the members' sum.
CREATE TEMP TABLE member_group ON COMMIT DROP AS
SELECT a.id AS area_id, a.level, coalesce(md.group_code, mo.group_code) AS group_code
FROM area a
LEFT JOIN area_group_member md ON a.level = 'district' AND md.level = 'district' AND md.code = a.code
LEFT JOIN area p ON p.id = a.parent_id
LEFT JOIN area_group_member mo ON mo.level = 'oblast'
      AND mo.code = CASE WHEN a.level = 'district' THEN p.code ELSE a.code END
WHERE a.level IN ('oblast', 'district');

CREATE TEMP TABLE group_shape ON COMMIT DROP AS
WITH basis AS (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM area WHERE level = 'district') THEN 'district' ELSE 'oblast' END AS level
)
SELECT m.group_code,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(a.geom)), 3)) AS geom,
       sum(a.population) AS population,
       min(a.population_year) AS population_year,
       bool_or(a.population_estimated) OR bool_or(a.population IS NULL) AS estimated
FROM member_group m
JOIN area a ON a.id = m.area_id
JOIN basis b ON b.level = m.level
WHERE m.group_code IS NOT NULL
GROUP BY m.group_code;

INSERT INTO area AS t (level, code, name_en, name_ru, name_kk, population, population_year, population_estimated, area_km2, geom, geom_3857)
SELECT g.kind, g.code, g.name_en, g.name_ru, g.name_kk, s.population, s.population_year, s.estimated,
       ST_Area(s.geom::geography) / 1e6, s.geom, ST_Transform(s.geom, 3857)
FROM area_group g JOIN group_shape s ON s.group_code = g.code
ON CONFLICT (level, code) DO UPDATE SET
    name_en = EXCLUDED.name_en, name_ru = EXCLUDED.name_ru, name_kk = EXCLUDED.name_kk,
    population = EXCLUDED.population, population_year = EXCLUDED.population_year,
    population_estimated = EXCLUDED.population_estimated, area_km2 = EXCLUDED.area_km2,
    geom = EXCLUDED.geom, geom_3857 = EXCLUDED.geom_3857;

DELETE FROM area a
WHERE a.level IN ('macroregion', 'agglomeration')
  AND NOT EXISTS (SELECT 1 FROM group_shape s JOIN area_group g ON g.code = s.group_code WHERE g.code = a.code AND g.kind = a.level);

UPDATE area a SET group_id = ga.id
FROM member_group m
LEFT JOIN area_group g ON g.code = m.group_code
LEFT JOIN area ga ON ga.level = g.kind AND ga.code = g.code
WHERE a.id = m.area_id AND a.group_id IS DISTINCT FROM ga.id;
