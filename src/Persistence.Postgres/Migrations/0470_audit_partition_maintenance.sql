-- Audit storage at scale (issue 21, decision 0041):
--
-- 1. Months are created ahead by audit.ensure_months_ahead(today, months), which the silo runs on
--    a timer (AuditPartitionMaintainer) and `audit retention` runs too: idempotent, serialised by
--    an advisory lock, so any number of silos may call it.
-- 2. Retention detaches a whole month (audit.detach_month) and drops it after the archive
--    (audit.drop_detached_month): catalogue work, not row work, whatever the month holds. Plain
--    DETACH, not CONCURRENTLY: PostgreSQL refuses CONCURRENTLY while the parent has a default
--    partition, and the default partition is what keeps a late event from being refused.
-- 3. The chain starts again at the cut: per clinic, the last sequence and hash of the detached
--    month go to audit.retention_cuts, which `audit retention` signs with the chain key; the
--    verifier starts from the clinic's latest signed cut instead of the genesis hash.
-- 4. A day's events by time window: (clinic_id, recorded_at, sequence), so the window is an
--    index-only range and not a walk of the month in sequence order.
-- 5. The empty months more than three ahead that 0200 created (through 2035) are dropped: a query
--    without a time bound (a patient's disclosures) is planned over every partition, and 121 of
--    them cost tens of milliseconds of planning per query, more than its execution. Months now
--    come from ensure_months_ahead; a late or early event still lands in the default partition.

CREATE FUNCTION audit.ensure_months_ahead(today date, months integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $ahead$
DECLARE
    month date := date_trunc('month', today)::date;
    created integer := 0;
BEGIN
    IF months IS NULL OR months < 0 OR months > 120 THEN
        RAISE EXCEPTION 'audit.ensure_months_ahead: months must be 0..120' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('audit:partitions', 0));
    FOR i IN 0..months LOOP
        IF to_regclass(format('audit.%I', 'events_' || to_char(month, 'YYYY_MM'))) IS NULL THEN
            PERFORM audit.add_month_partition(month);
            created := created + 1;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
    RETURN created;
END
$ahead$;
REVOKE ALL ON FUNCTION audit.ensure_months_ahead(date, integer) FROM PUBLIC;

-- Append-only like the trail; the one change allowed is signing an unsigned cut.
CREATE TABLE audit.retention_cuts (
    clinic_id      text        NOT NULL,
    sequence       bigint      NOT NULL CHECK (sequence > 0),
    hash           char(64)    NOT NULL,
    partition_name text        NOT NULL,
    cut_at         timestamptz NOT NULL DEFAULT now(),
    key_id         text,
    signature      text,
    PRIMARY KEY (clinic_id, sequence)
);

CREATE FUNCTION audit.refuse_cut_change() RETURNS trigger LANGUAGE plpgsql AS $cut$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.signature IS NULL
       AND (NEW.clinic_id, NEW.sequence, NEW.hash, NEW.partition_name, NEW.cut_at)
           IS NOT DISTINCT FROM (OLD.clinic_id, OLD.sequence, OLD.hash, OLD.partition_name, OLD.cut_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit retention cuts are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$cut$;
CREATE TRIGGER retention_cuts_append_only BEFORE UPDATE OR DELETE ON audit.retention_cuts
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_cut_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.retention_cuts
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_truncate();

-- Detaches one month, oldest first, and records each clinic's cut (its highest sequence in the
-- month: one backward primary-key probe per clinic, not a scan). Returns the cuts.
CREATE FUNCTION audit.detach_month(month date)
RETURNS TABLE (cut_clinic_id text, cut_sequence bigint, cut_hash char(64))
LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $detach$
DECLARE
    name text := 'events_' || to_char(month, 'YYYY_MM');
    older record;
    head record;
    found_sequence bigint;
    found_hash char(64);
    older_rows boolean;
BEGIN
    IF month IS NULL OR month <> date_trunc('month', month)::date THEN
        RAISE EXCEPTION 'audit.detach_month: % is not the first day of a month', month USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhparent = 'audit.events'::regclass
                   AND inhrelid = to_regclass(format('audit.%I', name))) THEN
        RAISE EXCEPTION 'audit.detach_month: % is not an attached month of audit.events', name USING ERRCODE = 'undefined_table';
    END IF;
    -- Oldest first: an older month that still holds rows would sit below the cut, unverifiable.
    FOR older IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit.events'::regclass AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$' AND c.relname < name
    LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM audit.%I)', older.relname) INTO older_rows;
        IF older_rows THEN
            RAISE EXCEPTION 'audit.detach_month: the older month % still holds rows; detach it first', older.relname
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
    END LOOP;

    -- Detach first: the lock on the parent waits out appends in flight, and none reach the month after.
    EXECUTE format('ALTER TABLE audit.events DETACH PARTITION audit.%I', name);
    FOR head IN SELECT h.clinic_id FROM audit.chain_heads h ORDER BY h.clinic_id LOOP
        EXECUTE format('SELECT sequence, hash FROM audit.%I WHERE clinic_id = $1 ORDER BY sequence DESC LIMIT 1', name)
            INTO found_sequence, found_hash USING head.clinic_id;
        IF found_sequence IS NOT NULL THEN
            INSERT INTO audit.retention_cuts (clinic_id, sequence, hash, partition_name)
            VALUES (head.clinic_id, found_sequence, found_hash, name)
            ON CONFLICT (clinic_id, sequence) DO NOTHING;
            cut_clinic_id := head.clinic_id;
            cut_sequence := found_sequence;
            cut_hash := found_hash;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$detach$;
REVOKE ALL ON FUNCTION audit.detach_month(date) FROM PUBLIC;

-- Signs a cut once (the chain key is outside the database: `audit retention` computes the signature).
CREATE FUNCTION audit.sign_retention_cut(clinic text, at_sequence bigint, key text, signed text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = audit, pg_temp AS $sign$
    UPDATE audit.retention_cuts SET key_id = key, signature = signed
    WHERE clinic_id = clinic AND sequence = at_sequence AND signature IS NULL
    RETURNING true;
$sign$;
REVOKE ALL ON FUNCTION audit.sign_retention_cut(text, bigint, text, text) FROM PUBLIC;

-- Drops a month that detach_month detached (after its archive); an attached month is refused.
CREATE FUNCTION audit.drop_detached_month(month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $drop$
DECLARE
    name text := 'events_' || to_char(month, 'YYYY_MM');
    part regclass := to_regclass(format('audit.%I', 'events_' || to_char(month, 'YYYY_MM')));
    has_rows boolean;
BEGIN
    IF part IS NULL THEN
        RETURN false;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = part) THEN
        RAISE EXCEPTION 'audit.drop_detached_month: % is still attached', name USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM audit.%I)', name) INTO has_rows;
    IF has_rows AND NOT EXISTS (SELECT 1 FROM audit.retention_cuts WHERE partition_name = name) THEN
        RAISE EXCEPTION 'audit.drop_detached_month: % has rows but no retention cut (not detached by audit.detach_month)', name
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('DROP TABLE audit.%I', name);
    RETURN true;
END
$drop$;
REVOKE ALL ON FUNCTION audit.drop_detached_month(date) FROM PUBLIC;

-- The old entry point keeps its meaning (drop the months that ended before the cut-off) but goes
-- through the cuts, so the chain still verifies after it (once `audit retention` signs the cuts).
CREATE OR REPLACE FUNCTION audit.drop_partitions_before(cutoff date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $drop$
DECLARE
    part record;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT to_date(substring(c.relname from 8), 'YYYY_MM') AS month
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit.events'::regclass AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$'
          AND (to_date(substring(c.relname from 8), 'YYYY_MM') + interval '1 month') <= cutoff
        ORDER BY 1
    LOOP
        PERFORM audit.detach_month(part.month);
        PERFORM audit.drop_detached_month(part.month);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$drop$;

CREATE INDEX events_by_time ON audit.events (clinic_id, recorded_at, sequence);

DO $far_months$
DECLARE
    part record;
    has_rows boolean;
BEGIN
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit.events'::regclass AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$'
          AND to_date(substring(c.relname from 8), 'YYYY_MM') > date_trunc('month', now()) + interval '3 months'
    LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM audit.%I)', part.relname) INTO has_rows;
        IF NOT has_rows THEN
            EXECUTE format('DROP TABLE audit.%I', part.relname);
        END IF;
    END LOOP;
END
$far_months$;

GRANT SELECT ON audit.retention_cuts TO clinic_app;
GRANT EXECUTE ON FUNCTION audit.ensure_months_ahead(date, integer) TO clinic_app;
DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') THEN
        GRANT SELECT ON audit.retention_cuts, audit.chain_heads TO clinic_retention;
        GRANT EXECUTE ON FUNCTION audit.ensure_months_ahead(date, integer), audit.detach_month(date),
            audit.sign_retention_cut(text, bigint, text, text), audit.drop_detached_month(date) TO clinic_retention;
    END IF;
END
$grants$;
