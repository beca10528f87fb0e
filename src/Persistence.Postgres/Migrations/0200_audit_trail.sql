-- The PHI access audit trail: append-only, partitioned by month, hash-chained per clinic.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.events (
    clinic_id      text        NOT NULL,
    sequence       bigint      NOT NULL CHECK (sequence > 0),
    event_id       uuid        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    action         text        NOT NULL,
    outcome        text        NOT NULL,
    actor_subject  text,
    actor_role     text,
    client_address text,
    user_agent     text,
    patient_id     text,
    resource_type  text        NOT NULL,
    resource_id    text,
    operation      text        NOT NULL,
    http_status    integer     NOT NULL,
    purpose_of_use text,
    correlation_id text,
    query_kind     text,
    result_count   integer,
    previous_hash  char(64)    NOT NULL,
    hash           char(64)    NOT NULL,
    appended_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, sequence, recorded_at)
) PARTITION BY RANGE (recorded_at);

-- A partitioned table cannot enforce a unique event id by itself (the key must include the
-- partition column), so ids are claimed here in the same transaction: a redelivered event finds
-- its id taken and is dropped, never stored twice.
CREATE TABLE audit.event_ids (
    event_id  uuid PRIMARY KEY,
    clinic_id text NOT NULL
);

CREATE INDEX events_by_patient ON audit.events (clinic_id, patient_id, recorded_at);
CREATE INDEX events_by_actor ON audit.events (clinic_id, actor_subject, recorded_at);
CREATE INDEX events_by_sequence ON audit.events (clinic_id, sequence);

-- Monthly partitions for the years ahead, and a default partition so that an event is never
-- refused for want of a partition (operations move its rows out when they add months).
DO $partitions$
DECLARE
    month date := date '2026-01-01';
BEGIN
    WHILE month < date '2036-01-01' LOOP
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS audit.events_%s PARTITION OF audit.events FOR VALUES FROM (%L) TO (%L)',
            to_char(month, 'YYYY_MM'), month, month + interval '1 month');
        month := month + interval '1 month';
    END LOOP;
END
$partitions$;
CREATE TABLE IF NOT EXISTS audit.events_default PARTITION OF audit.events DEFAULT;

-- Append-only, whoever asks: updates and deletes are refused by trigger (the application role
-- also lacks the privileges). Only dropping a whole expired partition removes history.
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $refuse$
BEGIN
    RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$refuse$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON audit.events
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER event_ids_append_only BEFORE UPDATE OR DELETE ON audit.event_ids
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

-- Retention: drop monthly partitions that ended before the cut-off (run by the owner role).
CREATE FUNCTION audit.drop_partitions_before(cutoff date) RETURNS integer LANGUAGE plpgsql AS $drop$
DECLARE
    part record;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = 'audit' AND p.relname = 'events' AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$'
          AND (to_date(substring(c.relname from 8), 'YYYY_MM') + interval '1 month') <= cutoff
    LOOP
        EXECUTE format('DROP TABLE audit.%I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$drop$;

GRANT USAGE ON SCHEMA audit TO clinic_app;
GRANT SELECT, INSERT ON audit.events, audit.event_ids TO clinic_app;
