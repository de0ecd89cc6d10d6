-- One area indicator of one compute run for every area of a level ($1), run
-- $2, indicator $3; areas without a value have a NULL value.
SELECT a.id, a.code, coalesce(a.name_kk, ''), coalesce(a.name_ru, ''), coalesce(a.name_en, ''),
       i.value, coalesce(i.population, a.population, 0), coalesce(i.method, ''), coalesce(g.code, '')
FROM area a
LEFT JOIN area g ON g.id = a.group_id
LEFT JOIN area_indicator i ON i.area_id = a.id AND i.run_id = $2 AND i.indicator = $3
WHERE a.level = $1
ORDER BY a.code
