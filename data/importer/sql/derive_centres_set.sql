-- Sets district centres found from the reference table: district $1[i] gets
-- settlement $2[i] (its point) or, when that is NULL, the point ($3[i], $4[i]);
-- $5[i] says which (access.CentreReference, access.CentreReferenceApproximate).
UPDATE area a SET centre_settlement_id = u.sid,
                  centre = coalesce(s.geom, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)),
                  centre_source = u.source
FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::text[]) AS u(id, sid, lon, lat, source)
LEFT JOIN settlement s ON s.id = u.sid
WHERE a.id = u.id
