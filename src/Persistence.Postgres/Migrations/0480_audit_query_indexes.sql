-- The auditor's two questions, answered by reading one page (issue 21, decision 0057):
--
-- 1. A patient's events (read, changed or disclosed in a search) in sequence order. The query was
--    `patient_id = X OR disclosed_patient_ids @> {X}`: a bitmap OR of a b-tree and a GIN index that
--    fetched and sorted every event of the patient before cutting the page, with the GIN index's
--    pending list scanned by every query after a burst of appends. audit.event_patients holds one
--    row per (event, patient it names: its subject and each disclosed id), keyed in sequence order,
--    so a page is `limit` index entries joined to their events by primary key. It is partitioned by
--    month like audit.events (the months are created, detached and dropped together), and kept by
--    the trigger that already claims chain positions, so it is true whoever appends. The patient is
--    a 64-bit hash of clinic and patient id (audit.patient_key), not the two texts: a search that
--    discloses 20 patients writes 20 rows, and the texts made each row about twice as large. The
--    query checks every hit against the event itself, so a collision costs a skipped row, never a
--    wrong one.
-- 2. A time window in sequence order. audit.time_marks holds, per clinic and UTC hour of
--    recorded_at, the lowest and highest sequence recorded in that hour, so a window becomes a
--    sequence range walked on the primary key: it reads the window's page plus the late or early
--    events interleaved with it, not every event of the window before the sort.
-- The GIN index and events_by_patient served only the old patient query; dropping them pays for
-- the new rows on the append path.

CREATE FUNCTION audit.patient_key(clinic text, patient text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $key$
    -- Ids are [a-z0-9-], so '/' cannot occur in either: clinic and patient cannot run together.
    SELECT hashtextextended(clinic || '/' || patient, 0)
$key$;

CREATE TABLE audit.event_patients (
    patient_key bigint      NOT NULL,
    sequence    bigint      NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (patient_key, sequence, recorded_at)
) PARTITION BY RANGE (recorded_at);

CREATE TABLE audit.time_marks (
    clinic_id      text   NOT NULL,
    hour           bigint NOT NULL,
    first_sequence bigint NOT NULL,
    last_sequence  bigint NOT NULL,
    PRIMARY KEY (clinic_id, hour)
);

-- One event_patients month per attached month of audit.events, with the same bounds.
DO $mirror$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit.events'::regclass
    LOOP
        EXECUTE format('CREATE TABLE audit.%I PARTITION OF audit.event_patients %s',
            'event_patients' || substring(part.relname from 7), part.bound);
    END LOOP;
END
$mirror$;

INSERT INTO audit.event_patients (patient_key, sequence, recorded_at)
SELECT audit.patient_key(clinic_id, patient_id), sequence, recorded_at FROM audit.events WHERE patient_id IS NOT NULL
UNION
SELECT audit.patient_key(e.clinic_id, d.patient_id), e.sequence, e.recorded_at
FROM audit.events e CROSS JOIN LATERAL unnest(e.disclosed_patient_ids) AS d (patient_id)
ON CONFLICT DO NOTHING;

INSERT INTO audit.time_marks (clinic_id, hour, first_sequence, last_sequence)
SELECT clinic_id, floor(extract(epoch FROM recorded_at) / 3600)::bigint, min(sequence), max(sequence)
FROM audit.events GROUP BY 1, 2;

CREATE TRIGGER event_patients_append_only BEFORE UPDATE OR DELETE ON audit.event_patients
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

CREATE OR REPLACE FUNCTION audit.claim_chain_positions() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = audit, pg_temp AS $claim$
BEGIN
    -- A second row with a taken (clinic, sequence) fails here, as it did row by row.
    INSERT INTO audit.chain_positions (clinic_id, sequence) SELECT clinic_id, sequence FROM appended;
    INSERT INTO audit.chain_heads AS head (clinic_id, sequence, hash)
    SELECT DISTINCT ON (clinic_id) clinic_id, sequence, hash FROM appended ORDER BY clinic_id, sequence DESC
    ON CONFLICT (clinic_id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
        WHERE head.sequence < excluded.sequence;
    -- The event's subject and the patients it disclosed, once each (two of them whose keys
    -- collide share the row: the query checks the event).
    INSERT INTO audit.event_patients (patient_key, sequence, recorded_at)
    SELECT audit.patient_key(a.clinic_id, named.patient_id), a.sequence, a.recorded_at FROM appended a
    CROSS JOIN LATERAL (
        SELECT a.patient_id WHERE a.patient_id IS NOT NULL
        UNION SELECT unnest(a.disclosed_patient_ids)) AS named (patient_id)
    ON CONFLICT DO NOTHING;
    INSERT INTO audit.time_marks AS mark (clinic_id, hour, first_sequence, last_sequence)
    SELECT clinic_id, floor(extract(epoch FROM recorded_at) / 3600)::bigint, min(sequence), max(sequence)
    FROM appended GROUP BY 1, 2
    ON CONFLICT (clinic_id, hour) DO UPDATE
        SET first_sequence = least(mark.first_sequence, excluded.first_sequence),
            last_sequence = greatest(mark.last_sequence, excluded.last_sequence);
    RETURN NULL;
END
$claim$;

-- A new month of audit.events brings its event_patients month.
CREATE OR REPLACE FUNCTION audit.add_month_partition(month date) RETURNS text LANGUAGE plpgsql AS $add$
DECLARE
    name text := format('events_%s', to_char(month, 'YYYY_MM'));
BEGIN
    IF month <> date_trunc('month', month)::date THEN
        RAISE EXCEPTION 'audit.add_month_partition: % is not the first day of a month', month USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('CREATE TABLE IF NOT EXISTS audit.%I PARTITION OF audit.events FOR VALUES FROM (%L) TO (%L)',
        name, month, month + interval '1 month');
    EXECUTE format('CREATE TABLE IF NOT EXISTS audit.%I PARTITION OF audit.event_patients FOR VALUES FROM (%L) TO (%L)',
        'event_patients_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
    PERFORM audit.guard_partition(format('audit.%I', name)::regclass);
    RETURN name;
END
$add$;

-- Detaching a month drops its event_patients month in the same statement: those rows point only
-- at the detached events (the archive keeps the events themselves). The old function stays as the
-- inner step, callable only through this one.
ALTER FUNCTION audit.detach_month(date) RENAME TO detach_events_month;
REVOKE ALL ON FUNCTION audit.detach_events_month(date) FROM PUBLIC;
DO $revoke$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') THEN
        REVOKE EXECUTE ON FUNCTION audit.detach_events_month(date) FROM clinic_retention;
    END IF;
END
$revoke$;

CREATE FUNCTION audit.detach_month(month date)
RETURNS TABLE (cut_clinic_id text, cut_sequence bigint, cut_hash char(64))
LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $detach$
DECLARE
    index_month regclass := to_regclass(format('audit.%I', 'event_patients_' || to_char(month, 'YYYY_MM')));
BEGIN
    RETURN QUERY SELECT * FROM audit.detach_events_month(month);
    IF index_month IS NOT NULL THEN
        EXECUTE format('ALTER TABLE audit.event_patients DETACH PARTITION %s', index_month);
        EXECUTE format('DROP TABLE %s', index_month);
    END IF;
END
$detach$;
REVOKE ALL ON FUNCTION audit.detach_month(date) FROM PUBLIC;

DROP INDEX audit.events_by_disclosed_patient;
DROP INDEX audit.events_by_patient;

GRANT SELECT ON audit.event_patients, audit.time_marks TO clinic_app;
DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') THEN
        GRANT EXECUTE ON FUNCTION audit.detach_month(date) TO clinic_retention;
    END IF;
END
$grants$;
