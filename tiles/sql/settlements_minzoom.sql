CASE
  WHEN s.place IN ('city', 'town') OR s.population >= 5000 THEN 0
  WHEN s.place NOT IN ('hamlet', 'isolated_dwelling') THEN 7
  ELSE 9
END
