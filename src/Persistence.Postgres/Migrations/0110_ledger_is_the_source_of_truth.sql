-- The ledger row becomes the whole appointment (decision 0006): what the appointment grain kept in
-- grain state moves here, so one conditional statement per change is the commit point.
--   version            bumped by every change; updates are "WHERE version = expected"
--   request_fingerprint the booking request's fingerprint (idempotency replays compare it)
--   booked_starts_at / booked_ends_at  the range as first booked: what a replay returns
--   due_soon_noticed_at when the clinic's sweeper gave the due-soon notice (NULL: not yet)
ALTER TABLE scheduling.appointment_ledger
    ADD COLUMN IF NOT EXISTS version             bigint      NOT NULL DEFAULT 1,
    ADD COLUMN IF NOT EXISTS buffer_minutes      integer     NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS reason              text,
    ADD COLUMN IF NOT EXISTS cancellation_reason text,
    ADD COLUMN IF NOT EXISTS request_fingerprint text,
    ADD COLUMN IF NOT EXISTS created_at          timestamptz,
    ADD COLUMN IF NOT EXISTS booked_starts_at    timestamptz,
    ADD COLUMN IF NOT EXISTS booked_ends_at      timestamptz,
    ADD COLUMN IF NOT EXISTS due_soon_noticed_at timestamptz;

-- Rows written before this migration: their details are in the appointment grain's JSON state.
UPDATE scheduling.appointment_ledger l SET
    buffer_minutes = coalesce((g.payload ->> 'bufferMinutes')::integer, 0),
    reason = g.payload -> 'current' ->> 'reason',
    cancellation_reason = g.payload -> 'current' ->> 'cancellationReason',
    request_fingerprint = g.payload ->> 'requestFingerprint',
    created_at = (g.payload -> 'current' ->> 'createdAt')::timestamptz,
    booked_starts_at = (g.payload -> 'original' ->> 'start')::timestamptz,
    booked_ends_at = (g.payload -> 'original' ->> 'end')::timestamptz
FROM orleans.grain_state g
WHERE g.grain_type = 'appointment'
  AND g.grain_id_ext = l.clinic_id || '/' || l.appointment_id
  AND g.payload IS NOT NULL;

UPDATE scheduling.appointment_ledger SET
    buffer_minutes = greatest(0, (extract(epoch FROM blocked_until - ends_at) / 60)::integer)
WHERE buffer_minutes = 0 AND blocked_until > ends_at;

UPDATE scheduling.appointment_ledger SET
    created_at = coalesce(created_at, updated_at),
    booked_starts_at = coalesce(booked_starts_at, starts_at),
    booked_ends_at = coalesce(booked_ends_at, ends_at);

ALTER TABLE scheduling.appointment_ledger
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN booked_starts_at SET NOT NULL,
    ALTER COLUMN booked_ends_at SET NOT NULL;

-- The calendars rebuild from their owner's active rows on activation, and the sweeper reads the
-- booked rows of a clinic by time: partial indexes hold only what those queries look at.
CREATE INDEX IF NOT EXISTS appointment_ledger_active_by_provider ON scheduling.appointment_ledger (clinic_id, provider_id, starts_at)
    WHERE status IN ('booked', 'checked-in');
CREATE INDEX IF NOT EXISTS appointment_ledger_active_by_patient ON scheduling.appointment_ledger (clinic_id, patient_id, starts_at)
    WHERE status IN ('booked', 'checked-in');
CREATE INDEX IF NOT EXISTS appointment_ledger_booked_by_start ON scheduling.appointment_ledger (clinic_id, starts_at)
    WHERE status = 'booked';
