-- Many servers, one database (issue 11.6): every change of the data
-- generation (sql/generation.sql: a new import, a finished compute run) is
-- announced on the channel aimaq_generation. NOTIFY is delivered when the
-- writing transaction commits and not at all when it rolls back, so a server
-- that hears it and asks for the generation sees the new data; identical
-- notifications of one transaction arrive once.
CREATE FUNCTION aimaq_notify_generation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('aimaq_generation', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER import_run_generation
    AFTER INSERT OR UPDATE OR DELETE ON import_run
    FOR EACH STATEMENT EXECUTE FUNCTION aimaq_notify_generation();

CREATE TRIGGER compute_run_generation
    AFTER INSERT OR UPDATE OR DELETE ON compute_run
    FOR EACH STATEMENT EXECUTE FUNCTION aimaq_notify_generation();
