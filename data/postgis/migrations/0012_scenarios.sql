-- Scenarios and sign-in for changes (issue 12.1, 12.4). Reads stay open;
-- every write of the API names an api_token and is recorded in write_log in
-- the transaction of the write itself.

-- A token is shown once, when created; only its SHA-256 is kept.
CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    name         text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    hash         bytea       NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- Who changed what, when. scenario_id has no foreign key on purpose: the
-- record of a deleted scenario stays.
CREATE TABLE write_log (
    id          bigserial PRIMARY KEY,
    token_name  text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    method      text        NOT NULL,
    path        text        NOT NULL,
    scenario_id bigint,
    summary     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX write_log_scenario_idx ON write_log (scenario_id, id);

CREATE TABLE scenario (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (btrim(name) <> '' AND length(name) <= 200),
    description text        NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL
);

-- One change a scenario makes (geo/scenario.Project). Each kind has exactly
-- the fields it needs; the checks below refuse any other combination.
-- facility_id names a facility row, checked when the project is written; a
-- later re-import of facilities may renumber them, so there is no foreign key.
CREATE TABLE project (
    id            bigserial PRIMARY KEY,
    scenario_id   bigint  NOT NULL REFERENCES scenario(id) ON DELETE CASCADE,
    kind          text    NOT NULL CHECK (kind IN ('open_facility','close_facility','downgrade_facility','pave_road','build_road')),
    name          text    NOT NULL DEFAULT '',
    facility_kind text    CHECK (facility_kind IN ('school','kindergarten','medical_post','feldsher_post','clinic','polyclinic','hospital')),
    -- geo/access.HealthLevel: 1 medical post … 5 hospital; always the level of facility_kind.
    health_level  smallint CHECK (health_level IS NULL OR health_level IS NOT DISTINCT FROM CASE facility_kind
                      WHEN 'medical_post' THEN 1 WHEN 'feldsher_post' THEN 2 WHEN 'clinic' THEN 3
                      WHEN 'polyclinic' THEN 4 WHEN 'hospital' THEN 5 END),
    capacity      integer CHECK (capacity > 0),
    facility_id   bigint,
    road_ways     bigint[] CHECK (cardinality(road_ways) > 0),
    road_class    text    CHECK (road_class ~ '^[a-z_]{2,32}$'),
    geom          geometry(Geometry, 4326) CHECK (GeometryType(geom) IN ('POINT','LINESTRING') AND ST_IsValid(geom)),
    settlement_id bigint,  -- the settlement a row was placed at, when placed by one
    year          integer CHECK (year BETWEEN 1990 AND 2100),
    cost_kzt      numeric CHECK (cost_kzt >= 0),
    programme     text    NOT NULL DEFAULT '',
    status        text    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','funded','built')),
    source        text    NOT NULL DEFAULT '',
    CONSTRAINT project_open_facility CHECK (kind <> 'open_facility' OR (
        facility_kind IS NOT NULL AND geom IS NOT NULL AND GeometryType(geom) = 'POINT'
        AND (health_level IS NULL) = (facility_kind IN ('school','kindergarten'))
        AND facility_id IS NULL AND road_ways IS NULL AND road_class IS NULL)),
    CONSTRAINT project_close_facility CHECK (kind <> 'close_facility' OR (
        facility_id IS NOT NULL AND facility_kind IS NULL AND health_level IS NULL AND capacity IS NULL
        AND geom IS NULL AND road_ways IS NULL AND road_class IS NULL)),
    CONSTRAINT project_downgrade_facility CHECK (kind <> 'downgrade_facility' OR (
        facility_id IS NOT NULL AND health_level IS NOT NULL AND capacity IS NULL
        AND geom IS NULL AND road_ways IS NULL AND road_class IS NULL)),
    CONSTRAINT project_pave_road CHECK (kind <> 'pave_road' OR (
        (road_ways IS NOT NULL) <> (GeometryType(geom) IS NOT DISTINCT FROM 'LINESTRING')
        AND (road_ways IS NULL OR geom IS NULL)
        AND facility_id IS NULL AND facility_kind IS NULL AND health_level IS NULL AND capacity IS NULL
        AND road_class IS NULL)),
    CONSTRAINT project_build_road CHECK (kind <> 'build_road' OR (
        geom IS NOT NULL AND GeometryType(geom) = 'LINESTRING' AND road_class IS NOT NULL
        AND road_ways IS NULL AND facility_id IS NULL AND facility_kind IS NULL AND health_level IS NULL
        AND capacity IS NULL))
);
CREATE INDEX project_scenario_idx ON project (scenario_id, id);
