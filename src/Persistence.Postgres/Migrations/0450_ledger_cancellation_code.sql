-- Visit-time rules (decision 0025):
--   cancellation_code  the coded reason of a cancellation (required once the patient was checked
--                      in): one of a fixed list that maps to FHIR appointment-cancellation-reason.
--                      Not clinical text, so stored in the clear (the free-text reason stays encrypted).
-- The sweeper's second question, "which checked-in visits outlived their clinic day", reads the
-- checked-in rows of a clinic by start: a partial index holds only those (few at any time).
ALTER TABLE scheduling.appointment_ledger
    ADD COLUMN IF NOT EXISTS cancellation_code text
        CHECK (cancellation_code ~ '^[a-z][a-z-]{0,39}$');

CREATE INDEX IF NOT EXISTS appointment_ledger_checked_in_by_start ON scheduling.appointment_ledger (clinic_id, starts_at)
    WHERE status = 'checked-in';
