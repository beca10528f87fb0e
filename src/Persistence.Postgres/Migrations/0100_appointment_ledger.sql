-- The appointment ledger: one row per appointment with its current range and status.
-- Exclusion constraints make two overlapping active appointments of one provider (including the
-- visit type's buffer) or of one patient impossible, whatever the grains do. btree_gist lets the
-- text columns take part in a GiST exclusion with the time range.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA IF NOT EXISTS scheduling;

CREATE TABLE IF NOT EXISTS scheduling.appointment_ledger (
    clinic_id        text        NOT NULL,
    appointment_id   text        NOT NULL,
    patient_id       text        NOT NULL,
    provider_id      text        NOT NULL,
    appointment_type text        NOT NULL,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    blocked_until    timestamptz NOT NULL,
    status           text        NOT NULL,
    time_zone        text        NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT appointment_ledger_pk PRIMARY KEY (clinic_id, appointment_id),
    CONSTRAINT appointment_ledger_range CHECK (starts_at < ends_at AND ends_at <= blocked_until),
    CONSTRAINT appointment_ledger_status CHECK (status IN ('booked', 'checked-in', 'fulfilled', 'cancelled', 'noshow')),
    CONSTRAINT appointment_ledger_no_provider_overlap EXCLUDE USING gist (
        clinic_id WITH =, provider_id WITH =, tstzrange(starts_at, blocked_until) WITH &&
    ) WHERE (status IN ('booked', 'checked-in')),
    CONSTRAINT appointment_ledger_no_patient_overlap EXCLUDE USING gist (
        clinic_id WITH =, patient_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status IN ('booked', 'checked-in'))
);

-- The list queries: a provider's day, a patient's history, a clinic's day.
CREATE INDEX IF NOT EXISTS appointment_ledger_by_provider ON scheduling.appointment_ledger (clinic_id, provider_id, starts_at);
CREATE INDEX IF NOT EXISTS appointment_ledger_by_patient ON scheduling.appointment_ledger (clinic_id, patient_id, starts_at);
CREATE INDEX IF NOT EXISTS appointment_ledger_by_day ON scheduling.appointment_ledger (clinic_id, starts_at);

-- The silos write and read ledger rows; they never change the table itself.
GRANT USAGE ON SCHEMA scheduling TO clinic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON scheduling.appointment_ledger TO clinic_app;
