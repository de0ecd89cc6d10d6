-- Repair the staged boundaries that are not valid (the importer has listed
-- them, with their reasons, for the report) with ST_MakeValid, keeping the
-- polygons; then make every polygon a multipolygon, as area.geom wants.
-- No parameters.
UPDATE stage_area SET g = ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) WHERE NOT ST_IsValid(g);
UPDATE stage_area SET g = ST_Multi(g) WHERE GeometryType(g) = 'POLYGON';
