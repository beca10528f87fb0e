-- Events out (issue 24, decision 0046). A subscription names a clinic's receiver URL, the event
-- types it wants and one or two signing secrets (two while a rotation overlaps). The outbox holds
-- one row per (subscription, event): written by webhooks.enqueue in the SAME transaction as the
-- change that causes it, so a committed change always has its events and a rolled-back one never
-- does. The ledger's trigger calls it for appointment changes; other writers (the waitlist's
-- offers) call it from their own transaction. Rows carry ids and times only, never PHI.
CREATE SCHEMA IF NOT EXISTS webhooks;

CREATE TABLE webhooks.subscription (
    clinic_id        text        NOT NULL,
    subscription_id  text        NOT NULL CHECK (subscription_id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    url              text        NOT NULL CHECK (length(url) <= 2048),
    event_types      text[]      NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 16),
    secrets          text[]      NOT NULL CHECK (cardinality(secrets) BETWEEN 1 AND 2),
    -- Until when the second (older) secret still signs; null with one secret.
    previous_secret_until timestamptz,
    created_at       timestamptz NOT NULL,
    deleted_at       timestamptz,
    PRIMARY KEY (clinic_id, subscription_id)
);

-- One id per event, shared by its rows of every subscription (the Clinic-Webhook-Id header).
CREATE SEQUENCE webhooks.event_id_seq;

CREATE TABLE webhooks.outbox (
    clinic_id        text        NOT NULL,
    subscription_id  text        NOT NULL,
    event_id         bigint      NOT NULL,
    event_type       text        NOT NULL CHECK (event_type ~ '^[a-z][a-z.-]{0,63}$'),
    -- What the event is about (an appointment id, an offer id): delivery is in order per subject.
    subject_id       text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    data             jsonb       NOT NULL,
    state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    last_error       text        CHECK (length(last_error) <= 200),
    PRIMARY KEY (clinic_id, subscription_id, event_id),
    FOREIGN KEY (clinic_id, subscription_id) REFERENCES webhooks.subscription ON DELETE CASCADE
);

-- The dispatcher's question: the oldest pending row of each subject, in event order.
CREATE INDEX outbox_pending_by_subject ON webhooks.outbox (clinic_id, subscription_id, subject_id, event_id)
    WHERE state = 'pending';
CREATE INDEX outbox_pending ON webhooks.outbox (clinic_id, subscription_id, event_id) WHERE state = 'pending';
CREATE INDEX outbox_dead ON webhooks.outbox (clinic_id, subscription_id, event_id) WHERE state = 'dead';

-- The hook: one row per live subscription of the clinic that wants this event type. Returns the
-- event id (null when no subscription wants it). Call it inside the transaction of the change.
CREATE FUNCTION webhooks.enqueue(p_clinic_id text, p_event_type text, p_subject_id text, p_occurred_at timestamptz, p_data jsonb)
RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
    v_event_id bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhooks.subscription
                   WHERE clinic_id = p_clinic_id AND deleted_at IS NULL AND p_event_type = ANY (event_types)) THEN
        RETURN NULL;
    END IF;
    v_event_id := nextval('webhooks.event_id_seq');
    INSERT INTO webhooks.outbox (clinic_id, subscription_id, event_id, event_type, subject_id, occurred_at, data)
    SELECT clinic_id, subscription_id, v_event_id, p_event_type, p_subject_id, p_occurred_at, p_data
    FROM webhooks.subscription
    WHERE clinic_id = p_clinic_id AND deleted_at IS NULL AND p_event_type = ANY (event_types);
    RETURN v_event_id;
END
$fn$;

-- The ledger's changes as events (the C# twin for the embedded mode is WebhookEvents.FromLedger).
-- A statement that changes nothing the consumer sees (the due-soon mark keeps the version) is no event.
CREATE FUNCTION webhooks.ledger_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    v_type text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        v_type := CASE WHEN NEW.status = 'booked' THEN 'appointment.booked' END;
    ELSIF NEW.version = OLD.version THEN
        RETURN NULL;
    ELSIF NEW.status <> OLD.status THEN
        v_type := CASE NEW.status
            WHEN 'cancelled' THEN 'appointment.cancelled'
            WHEN 'checked-in' THEN 'appointment.checked-in'
            WHEN 'noshow' THEN 'appointment.no-show'
        END;
    ELSIF NEW.starts_at <> OLD.starts_at THEN
        v_type := 'appointment.rescheduled';
    END IF;
    IF v_type IS NOT NULL THEN
        PERFORM webhooks.enqueue(NEW.clinic_id, v_type, NEW.appointment_id, NEW.updated_at, jsonb_build_object(
            'appointmentId', NEW.appointment_id, 'providerId', NEW.provider_id, 'status', NEW.status,
            'start', to_char(NEW.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'end', to_char(NEW.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')));
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER appointment_ledger_webhooks AFTER INSERT OR UPDATE ON scheduling.appointment_ledger
    FOR EACH ROW EXECUTE FUNCTION webhooks.ledger_changed();

GRANT USAGE ON SCHEMA webhooks TO clinic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks.subscription, webhooks.outbox TO clinic_app;
GRANT USAGE ON SEQUENCE webhooks.event_id_seq TO clinic_app;
