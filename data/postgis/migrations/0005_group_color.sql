-- The outline colour of each macroregion and agglomeration on the map, from
-- data/reference/groups.csv, so the front end takes it from the server.
ALTER TABLE area_group ADD COLUMN color text NOT NULL DEFAULT '#4d4d4d' CHECK (color ~ '^#[0-9a-fA-F]{6}$');
