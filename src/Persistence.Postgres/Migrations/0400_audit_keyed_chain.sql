-- The keyed audit chain (HMAC-SHA-256 under a chain key the database never holds): each row names
-- the key it was linked with; NULL marks the unkeyed rows written before this migration.
ALTER TABLE audit.events ADD COLUMN chain_key_id text;

-- Complete accounting of disclosures: a search or list names every patient it returned (ids
-- only, bounded per event), and a patient's disclosures are found through this index too.
ALTER TABLE audit.events ADD COLUMN disclosed_patient_ids text[];
CREATE INDEX events_by_disclosed_patient ON audit.events USING gin (disclosed_patient_ids);

-- One row per (clinic, sequence). The partitioned table cannot have that unique key (it must
-- include recorded_at), so every inserted row claims its place here, by trigger, in the same
-- transaction: a second row with the same sequence fails, whoever inserts it and however.
CREATE TABLE audit.chain_positions (
    clinic_id text   NOT NULL,
    sequence  bigint NOT NULL,
    PRIMARY KEY (clinic_id, sequence)
);
INSERT INTO audit.chain_positions (clinic_id, sequence) SELECT clinic_id, sequence FROM audit.events;

-- SECURITY DEFINER: the writers need no rights on audit.chain_positions.
CREATE FUNCTION audit.claim_chain_position() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = audit, pg_temp AS $claim$
BEGIN
    INSERT INTO audit.chain_positions (clinic_id, sequence) VALUES (NEW.clinic_id, NEW.sequence);
    RETURN NULL;
END
$claim$;
REVOKE ALL ON FUNCTION audit.claim_chain_position() FROM PUBLIC;

CREATE TRIGGER events_claim_chain_position AFTER INSERT ON audit.events
    FOR EACH ROW EXECUTE FUNCTION audit.claim_chain_position();
CREATE TRIGGER chain_positions_append_only BEFORE UPDATE OR DELETE ON audit.chain_positions
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

-- TRUNCATE is refused for every role, the owner included, except the dedicated retention role
-- (clinic_retention, created outside migrations like the other roles). The trigger sits on the
-- parent and on every partition, since a partition can be truncated on its own.
CREATE FUNCTION audit.refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $refuse$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention')
       AND pg_has_role(session_user, 'clinic_retention', 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit records are append-only (TRUNCATE refused for %; only clinic_retention may)', session_user
        USING ERRCODE = 'insufficient_privilege';
END
$refuse$;

DO $truncate$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'audit' AND c.relkind IN ('r', 'p')
          AND (c.relname IN ('events', 'event_ids', 'chain_positions') OR c.relname ~ '^events_')
    LOOP
        EXECUTE format('CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.%I FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_truncate()',
            target.relname);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') THEN
        GRANT USAGE ON SCHEMA audit TO clinic_retention;
        GRANT SELECT, TRUNCATE ON audit.events, audit.event_ids, audit.chain_positions TO clinic_retention;
        GRANT EXECUTE ON FUNCTION audit.drop_partitions_before(date) TO clinic_retention;
    END IF;
END
$truncate$;

-- Dropping expired partitions is retention's job: it runs as the owner (SECURITY DEFINER) but only
-- the retention role may call it.
ALTER FUNCTION audit.drop_partitions_before(date) SECURITY DEFINER SET search_path = audit, pg_temp;
REVOKE ALL ON FUNCTION audit.drop_partitions_before(date) FROM PUBLIC;
