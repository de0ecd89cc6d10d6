-- One settlement's access report: names, place, district and oblast, the
-- indicator columns of the catalogue (geo/indicator, spliced in at the
-- placeholder from its allow-listed names), the standards checks, the
-- method, the straight-line flags, the figures resting on an assumption
-- (settlement_access.assumed) and the nearest facilities, as
-- {"school": {"id":…,"kind":…,"name":…,"lon":…,"lat":…}, …}; a facility
-- deleted since the run is left out; last, the district's code, how its
-- centre was found (area.centre_source) and the centre settlement's names.
-- $1 = settlement id, $2 = compute run.
SELECT s.name, s.name_kk, s.name_ru, s.name_en, s.place, coalesce(s.population, 0), s.population_estimated,
       ST_X(s.geom), ST_Y(s.geom), coalesce(d.name_ru, d.name_en), coalesce(o.name_ru, o.name_en),
       {{indicators}},
       a.srs_health_ok, a.srs_school_ok, a.srs_road_ok, coalesce(a.method, ''), coalesce(a.straight_line, '{}'), coalesce(a.assumed, '{}'),
       (SELECT jsonb_object_agg(k.which, jsonb_build_object('id', f.id, 'kind', f.kind, 'name', coalesce(f.name, ''),
                                                          'lon', ST_X(f.geom), 'lat', ST_Y(f.geom)))
          FROM (VALUES ('school', a.nearest_school_id), ('clinic', a.nearest_clinic_id), ('hospital', a.nearest_hospital_id)) k(which, id)
          JOIN facility f ON f.id = k.id),
       d.code, d.centre_source, c.name, c.name_kk, c.name_ru, c.name_en
  FROM settlement s
  LEFT JOIN area d ON d.id = s.district_id
  LEFT JOIN settlement c ON c.id = d.centre_settlement_id
  LEFT JOIN area o ON o.id = s.oblast_id
  LEFT JOIN settlement_access a ON a.settlement_id = s.id AND a.run_id = $2
 WHERE s.id = $1
