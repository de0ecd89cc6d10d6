-- Accessibility results (issue 3): one row per settlement and compute run.
-- *_km is network distance, *_min travel time; where a settlement could not be
-- routed (no road nearby, or no facility in its network component) the value is
-- a straight-line estimate and the indicator's name is listed in straight_line.
ALTER TABLE settlement_access
    ADD COLUMN school_km           double precision,
    ADD COLUMN school_min          double precision,
    ADD COLUMN clinic_km           double precision,
    ADD COLUMN clinic_min          double precision,
    ADD COLUMN hospital_km         double precision,
    ADD COLUMN hospital_min        double precision,
    ADD COLUMN paved_road_km       double precision,
    ADD COLUMN district_centre_km  double precision,
    ADD COLUMN district_centre_min double precision,
    ADD COLUMN oblast_centre_km    double precision,
    ADD COLUMN oblast_centre_min   double precision,
    ADD COLUMN town5k_km           double precision,
    ADD COLUMN nearest_school_id   bigint,
    ADD COLUMN nearest_clinic_id   bigint,
    ADD COLUMN nearest_hospital_id bigint,
    ADD COLUMN srs_health_ok       boolean,
    ADD COLUMN srs_school_ok       boolean,
    ADD COLUMN srs_road_ok         boolean,
    ADD COLUMN srs_score           double precision,
    ADD COLUMN method              text NOT NULL DEFAULT 'network' CHECK (method IN ('network','straight-line','mixed')),
    ADD COLUMN straight_line       text[] NOT NULL DEFAULT '{}';

CREATE INDEX settlement_access_settlement_idx ON settlement_access (settlement_id);
CREATE INDEX area_indicator_lookup_idx ON area_indicator (indicator, run_id);

ALTER TABLE compute_run ADD COLUMN data_generation bigint NOT NULL DEFAULT 0; -- max(import_run.id) it saw
ALTER TABLE area_indicator ADD COLUMN method text;  -- network | straight-line | mixed | statistics

-- Administrative centres: oblast centres from the centres file; district
-- centres by the documented rule in data/importer (largest settlement).
ALTER TABLE area ADD COLUMN centre_settlement_id bigint REFERENCES settlement(id) ON DELETE SET NULL;
ALTER TABLE area ADD COLUMN centre geometry(Point, 4326);

ALTER TABLE settlement ADD COLUMN tags jsonb NOT NULL DEFAULT '{}';
ALTER TABLE facility ADD COLUMN tags jsonb NOT NULL DEFAULT '{}';
ALTER TABLE road ADD COLUMN name text;
ALTER TABLE road ADD COLUMN source text NOT NULL DEFAULT 'osm';
CREATE UNIQUE INDEX road_source_idx ON road (source, source_id);
