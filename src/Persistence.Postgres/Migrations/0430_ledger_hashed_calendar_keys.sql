-- The booking insert's cost in the database (docs/performance.md, "Ledger insert"):
--
-- 1. The two exclusion constraints compared (clinic_id, owner) as two btree_gist text keys, and
--    their GiST maintenance was two thirds of the insert. They now compare one 64-bit key per
--    calendar, scheduling.calendar_key (decision 0024). Equal owners always have equal keys, so
--    an overlap of one provider's or one patient's active visits stays impossible. Two different
--    owners whose keys collide (odds about n^2 / 2^65 among n owners: 3e-8 for a million) would
--    refuse each other's overlapping times: a false "busy", never a double booking. The clinic's
--    key seeds the owner's, so ('a/b', 'c') and ('a', 'b/c') do not meet.
-- 2. appointment_ledger_by_day (clinic_id, starts_at) served no query: the clinic's active rows
--    come from the partial indexes on active rows, the sweeper's from appointment_ledger_booked_by_start.
--
-- hashtextextended is the function hash partitioning relies on, so it is stable across releases
-- and pg_upgrade. The constraints keep their names: the silo maps them to "provider busy" and
-- "patient busy". The table is locked while they are rebuilt (one transaction, no moment without).

CREATE FUNCTION scheduling.calendar_key(clinic_id text, owner_id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN hashtextextended(owner_id, hashtextextended(clinic_id, 0));

ALTER TABLE scheduling.appointment_ledger
    DROP CONSTRAINT appointment_ledger_no_provider_overlap,
    DROP CONSTRAINT appointment_ledger_no_patient_overlap,
    ADD CONSTRAINT appointment_ledger_no_provider_overlap EXCLUDE USING gist (
        scheduling.calendar_key(clinic_id, provider_id) WITH =, tstzrange(starts_at, blocked_until) WITH &&
    ) WHERE (status IN ('booked', 'checked-in')),
    ADD CONSTRAINT appointment_ledger_no_patient_overlap EXCLUDE USING gist (
        scheduling.calendar_key(clinic_id, patient_id) WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status IN ('booked', 'checked-in'));

DROP INDEX scheduling.appointment_ledger_by_day;
