-- The classes of roads of one source that an import keeping only some
-- classes would delete, with how many roads each has, most first.
-- $1 source ("osm"), $2 the kept classes (text[]).
SELECT class, count(*) FROM road
WHERE source = $1 AND NOT (class = ANY($2))
GROUP BY class
ORDER BY count(*) DESC, class
