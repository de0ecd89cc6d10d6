-- Issue 8: how a district's administrative centre was found (data/importer,
-- derive): 'reference' = the row of data/reference/district_centres.csv
-- matched to an imported settlement; 'reference-approximate' = that row's own
-- coordinates (no settlement of that name near them); 'derived' = no usable
-- row, so the documented rule chose one (a guess the map says is a guess).
-- NULL: no centre, or not a district. Centres imported before this
-- migration were all derived by the rule.
ALTER TABLE area ADD COLUMN centre_source text
    CHECK (centre_source IN ('reference', 'reference-approximate', 'derived'));
UPDATE area SET centre_source = 'derived' WHERE level = 'district' AND centre IS NOT NULL;
