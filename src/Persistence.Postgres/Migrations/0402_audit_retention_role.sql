-- The retention role also truncates single monthly partitions (the usual way to expire a month).
DO $retention$
DECLARE
    part record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') THEN
        RAISE EXCEPTION 'role "clinic_retention" does not exist: create it (LOGIN) before running migrations';
    END IF;

    GRANT USAGE ON SCHEMA audit TO clinic_retention;
    GRANT SELECT, TRUNCATE ON audit.events, audit.event_ids, audit.chain_positions TO clinic_retention;
    GRANT EXECUTE ON FUNCTION audit.drop_partitions_before(date) TO clinic_retention;
    FOR part IN
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = 'audit' AND p.relname = 'events'
    LOOP
        EXECUTE format('GRANT SELECT, TRUNCATE ON audit.%I TO clinic_retention', part.relname);
    END LOOP;
END
$retention$;
