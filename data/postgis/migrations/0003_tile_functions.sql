-- Every area indicator of the latest finished compute run for one area, as a
-- jsonb object; the area tile layers carry it (ST_AsMVT writes the keys of a
-- jsonb column as feature properties). Values are rounded to 4 decimals,
-- enough for any map and a quarter of the bytes.
CREATE FUNCTION area_indicators_latest(area bigint) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_object_agg(i.indicator, round(i.value::numeric, 4))
      FROM area_indicator i
     WHERE i.area_id = area AND i.value IS NOT NULL
       AND i.run_id = (SELECT max(id) FROM compute_run WHERE status = 'done')
$$;
