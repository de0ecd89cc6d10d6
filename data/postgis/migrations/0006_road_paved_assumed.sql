-- Issue 8: a road whose surface is not tagged gets a paved flag assumed from
-- its class (importer.AssumedPaved); paved_assumed says so, so that every
-- figure built on the paved flag can say it is "assumed" (DESIGN.md, Trust
-- rules). Roads imported before this migration keep false until re-imported.
ALTER TABLE road ADD COLUMN paved_assumed boolean NOT NULL DEFAULT false;
