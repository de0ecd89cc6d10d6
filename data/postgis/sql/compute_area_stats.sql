-- Regional statistics per 10,000 people, where the population is official:
-- the latest year of each count over the area's population. $2 is the
-- method of official statistics.
INSERT INTO area_indicator (run_id, area_id, indicator, value, population, method)
SELECT $1, a.id, s.stat_name, s.value / a.population * 1e4, a.population, $2
FROM area a
JOIN LATERAL (
    SELECT DISTINCT ON (stat) CASE stat WHEN 'schools' THEN 'schools_per_10k_stats' ELSE 'medical_per_10k_stats' END AS stat_name, value
    FROM area_stat WHERE area_id = a.id AND stat IN ('schools', 'medical_institutions')
    ORDER BY stat, year DESC) s ON true
WHERE a.population > 0 AND NOT a.population_estimated
