-- Issue 8.7: the figures of a settlement that rest on a documented assumption
-- rather than tagged data (today: paved_road_km when the nearest paved road
-- has no surface tag and counts as paved by its class), so the report and the
-- popup can say "assumed". Runs computed before this migration have none.
ALTER TABLE settlement_access ADD COLUMN assumed text[] NOT NULL DEFAULT '{}';
