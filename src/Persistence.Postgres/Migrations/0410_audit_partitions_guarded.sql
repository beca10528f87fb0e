-- A partition of audit.events can be truncated on its own, so each one needs the refuse_truncate
-- trigger (0400) and the retention role's TRUNCATE grant (0402); until now a month added later had
-- to be given both by hand. audit.add_month_partition is the one way to add a month: it creates
-- the partition guarded. audit.guard_partitions() guards any partition that lacks it (one attached
-- by hand), and the migration runs it once now.
CREATE FUNCTION audit.guard_partition(part regclass) RETURNS boolean LANGUAGE plpgsql AS $guard$
DECLARE
    guarded boolean := false;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'refuse_truncate') THEN
        EXECUTE format('CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_truncate()', part);
        guarded := true;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') THEN
        EXECUTE format('GRANT SELECT, TRUNCATE ON %s TO clinic_retention', part);
    END IF;
    RETURN guarded;
END
$guard$;

CREATE FUNCTION audit.guard_partitions() RETURNS integer LANGUAGE plpgsql AS $sweep$
DECLARE
    part regclass;
    guarded integer := 0;
BEGIN
    -- Sub-partitions too: a partition that is itself partitioned can be truncated level by level.
    FOR part IN SELECT relid FROM pg_partition_tree('audit.events') WHERE relid <> 'audit.events'::regclass
    LOOP
        IF audit.guard_partition(part) THEN
            guarded := guarded + 1;
        END IF;
    END LOOP;
    RETURN guarded;
END
$sweep$;

-- Adds the month starting at the given date (its first day) as a guarded partition; returns its name.
CREATE FUNCTION audit.add_month_partition(month date) RETURNS text LANGUAGE plpgsql AS $add$
DECLARE
    name text := format('events_%s', to_char(month, 'YYYY_MM'));
BEGIN
    IF month <> date_trunc('month', month)::date THEN
        RAISE EXCEPTION 'audit.add_month_partition: % is not the first day of a month', month USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('CREATE TABLE IF NOT EXISTS audit.%I PARTITION OF audit.events FOR VALUES FROM (%L) TO (%L)',
        name, month, month + interval '1 month');
    PERFORM audit.guard_partition(format('audit.%I', name)::regclass);
    RETURN name;
END
$add$;

SELECT audit.guard_partitions();
