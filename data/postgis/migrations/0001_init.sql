-- Base schema of aimaq: administrative areas, settlements, facilities, roads,
-- compute runs and their results. SRID 4326 everywhere; geom_3857 copies exist
-- where tiles are cut, so a tile request never reprojects a whole country.
CREATE EXTENSION IF NOT EXISTS postgis;

-- One row per import of a dataset, so every row can say where it came from.
CREATE TABLE import_run (
    id          bigserial PRIMARY KEY,
    dataset     text        NOT NULL,          -- boundaries:oblast, settlements, stats:population, ...
    source      text        NOT NULL,          -- file path or URL as given
    sha256      text        NOT NULL DEFAULT '',
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    rows        integer     NOT NULL DEFAULT 0,
    report      jsonb       NOT NULL DEFAULT '{}'
);

CREATE TABLE area (
    id                   bigserial PRIMARY KEY,
    level                text    NOT NULL CHECK (level IN ('country','oblast','district','macroregion','agglomeration')),
    code                 text    NOT NULL,     -- KATO for country/oblast/district; slug for groups
    iso                  text,
    name_kk              text,
    name_ru              text,
    name_en              text,
    parent_id            bigint  REFERENCES area(id) ON DELETE SET NULL,
    group_id             bigint  REFERENCES area(id) ON DELETE SET NULL, -- macroregion or agglomeration
    population           bigint,
    population_year      integer,
    population_estimated boolean NOT NULL DEFAULT false,
    area_km2             double precision,
    repaired             boolean NOT NULL DEFAULT false,  -- geometry went through ST_MakeValid
    import_id            bigint  REFERENCES import_run(id),
    geom                 geometry(MultiPolygon, 4326) NOT NULL,
    geom_3857            geometry(MultiPolygon, 3857) NOT NULL,
    UNIQUE (level, code)
);
CREATE INDEX area_geom_gix ON area USING gist (geom);
CREATE INDEX area_geom_3857_gix ON area USING gist (geom_3857);
CREATE INDEX area_level_idx ON area (level);

-- Macroregions and agglomerations as defined in data/reference/groups.csv;
-- their area rows (level macroregion/agglomeration) are derived from members.
CREATE TABLE area_group (
    code    text PRIMARY KEY,
    kind    text NOT NULL CHECK (kind IN ('macroregion','agglomeration')),
    name_en text NOT NULL,
    name_ru text NOT NULL,
    name_kk text NOT NULL
);
-- A unit belongs to one group per level: the primary key enforces the partition.
CREATE TABLE area_group_member (
    level      text NOT NULL CHECK (level IN ('oblast','district')),
    code       text NOT NULL,  -- KATO of the member
    group_code text NOT NULL REFERENCES area_group(code) ON DELETE CASCADE,
    PRIMARY KEY (level, code)
);

-- Figures from regional statistics, by area and year.
CREATE TABLE area_stat (
    area_id   bigint  NOT NULL REFERENCES area(id) ON DELETE CASCADE,
    stat      text    NOT NULL,   -- population, schools, medical_institutions
    year      integer NOT NULL,
    value     double precision NOT NULL,
    import_id bigint  REFERENCES import_run(id),
    PRIMARY KEY (area_id, stat, year)
);

CREATE TABLE settlement (
    id                   bigserial PRIMARY KEY,
    source               text   NOT NULL,          -- osm
    source_id            text   NOT NULL,          -- e.g. node/123
    name                 text,
    name_kk              text,
    name_ru              text,
    name_en              text,
    place                text   NOT NULL,
    population           integer,
    population_estimated boolean NOT NULL DEFAULT false,
    district_id          bigint REFERENCES area(id) ON DELETE SET NULL,
    oblast_id            bigint REFERENCES area(id) ON DELETE SET NULL,
    import_id            bigint REFERENCES import_run(id),
    geom                 geometry(Point, 4326) NOT NULL,
    geom_3857            geometry(Point, 3857) NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX settlement_geom_gix ON settlement USING gist (geom);
CREATE INDEX settlement_geom_3857_gix ON settlement USING gist (geom_3857);
CREATE INDEX settlement_district_idx ON settlement (district_id);

CREATE TABLE facility (
    id        bigserial PRIMARY KEY,
    kind      text NOT NULL,
    name      text,
    capacity  integer,
    source    text NOT NULL,
    source_id text NOT NULL,
    import_id bigint REFERENCES import_run(id),
    geom      geometry(Point, 4326) NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX facility_geom_gix ON facility USING gist (geom);
CREATE INDEX facility_kind_idx ON facility (kind);

CREATE TABLE road (
    id        bigserial PRIMARY KEY,
    class     text    NOT NULL,
    surface   text,
    paved     boolean,
    speed_kmh double precision,
    oneway    boolean NOT NULL DEFAULT false,
    source_id text    NOT NULL,
    import_id bigint  REFERENCES import_run(id),
    geom      geometry(LineString, 4326) NOT NULL
);
CREATE INDEX road_geom_gix ON road USING gist (geom);

CREATE TABLE compute_run (
    id          bigserial PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    params      jsonb NOT NULL DEFAULT '{}',
    status      text  NOT NULL DEFAULT 'running'
);

CREATE TABLE settlement_access (
    run_id        bigint NOT NULL REFERENCES compute_run(id) ON DELETE CASCADE,
    settlement_id bigint NOT NULL REFERENCES settlement(id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, settlement_id)
);

CREATE TABLE area_indicator (
    run_id     bigint NOT NULL REFERENCES compute_run(id) ON DELETE CASCADE,
    area_id    bigint NOT NULL REFERENCES area(id) ON DELETE CASCADE,
    indicator  text   NOT NULL,
    value      double precision,
    population bigint,
    PRIMARY KEY (run_id, area_id, indicator)
);

CREATE TABLE disparity (
    run_id    bigint NOT NULL REFERENCES compute_run(id) ON DELETE CASCADE,
    indicator text   NOT NULL,
    level     text   NOT NULL,
    grouping  text   NOT NULL,
    index     text   NOT NULL,
    value     double precision,
    between   double precision,
    within    double precision,
    PRIMARY KEY (run_id, indicator, level, grouping, index)
);
