-- The append path's cost in the database (docs/performance.md, "Audit append in the database"):
--
-- 1. Each batch read its clinic's chain head with ORDER BY sequence DESC LIMIT 1 on audit.events,
--    which the planner expands into all 121 monthly partitions before it can prune nothing: a
--    seventh of the server's CPU under a read load went to planning that one query. The head now
--    lives in audit.chain_heads, one row per clinic, kept by the same trigger that claims chain
--    positions, so it is true whoever appends. The checkpoints still sign the head they read from
--    audit.events itself, so a forged head row cannot hide a rewritten trail.
-- 2. The position claim ran a PL/pgSQL row trigger per event (a fifth of an insert's cost); one
--    statement-level trigger now claims a whole batch from its transition table. The row trigger
--    also fired for rows inserted straight into a partition; the statement trigger sits on the
--    parent and, through audit.guard_partition, on every partition, so both paths still claim.
-- 3. events_by_sequence (clinic_id, sequence) duplicated the primary key's leading columns.

CREATE TABLE audit.chain_heads (
    clinic_id text     PRIMARY KEY,
    sequence  bigint   NOT NULL CHECK (sequence > 0),
    hash      char(64) NOT NULL
);
INSERT INTO audit.chain_heads (clinic_id, sequence, hash)
SELECT DISTINCT ON (clinic_id) clinic_id, sequence, hash FROM audit.events ORDER BY clinic_id, sequence DESC;
GRANT SELECT ON audit.chain_heads TO clinic_app;

-- SECURITY DEFINER: the writers need no rights on audit.chain_positions or audit.chain_heads.
CREATE FUNCTION audit.claim_chain_positions() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = audit, pg_temp AS $claim$
BEGIN
    -- A second row with a taken (clinic, sequence) fails here, as it did row by row.
    INSERT INTO audit.chain_positions (clinic_id, sequence) SELECT clinic_id, sequence FROM appended;
    INSERT INTO audit.chain_heads AS head (clinic_id, sequence, hash)
    SELECT DISTINCT ON (clinic_id) clinic_id, sequence, hash FROM appended ORDER BY clinic_id, sequence DESC
    ON CONFLICT (clinic_id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
        WHERE head.sequence < excluded.sequence;
    RETURN NULL;
END
$claim$;
REVOKE ALL ON FUNCTION audit.claim_chain_positions() FROM PUBLIC;

DROP TRIGGER events_claim_chain_position ON audit.events;
DROP FUNCTION audit.claim_chain_position();
CREATE TRIGGER claim_chain_positions AFTER INSERT ON audit.events
    REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION audit.claim_chain_positions();

-- Heads move forward by the trigger; nobody deletes or truncates them (a lost head would make the
-- next batch start the chain again at 1, which the position claim refuses: loud, not silent).
CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON audit.chain_heads
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.chain_heads
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_truncate();

-- A partition's own statement trigger covers an INSERT that names the partition (statement
-- triggers of the parent fire only for statements that name the parent).
CREATE OR REPLACE FUNCTION audit.guard_partition(part regclass) RETURNS boolean LANGUAGE plpgsql AS $guard$
DECLARE
    guarded boolean := false;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'refuse_truncate') THEN
        EXECUTE format('CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_truncate()', part);
        guarded := true;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'claim_chain_positions') THEN
        EXECUTE format('CREATE TRIGGER claim_chain_positions AFTER INSERT ON %s REFERENCING NEW TABLE AS appended '
            'FOR EACH STATEMENT EXECUTE FUNCTION audit.claim_chain_positions()', part);
        guarded := true;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') THEN
        EXECUTE format('GRANT SELECT, TRUNCATE ON %s TO clinic_retention', part);
    END IF;
    RETURN guarded;
END
$guard$;
SELECT audit.guard_partitions();

DROP INDEX audit.events_by_sequence;
