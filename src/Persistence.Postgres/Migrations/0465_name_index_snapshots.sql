-- A name index partition's snapshot (decision 0060): its decrypted entries as one encrypted value,
-- so a partition of 100,000 patients activates by decrypting one value instead of 100,000. A
-- cache beside orleans.patient_index_entries, which stays the truth: an activation takes from the
-- snapshot only the entries whose row still has the stamp recorded with them.
--
-- payload is ciphertext (no PHI in the clear); partition_key the partition's grain key (clinic id
-- and a keyed hash). The payload is random-looking base64, so it is stored out of line without
-- trying to compress it.
CREATE TABLE orleans.name_index_snapshots (
    partition_key text        PRIMARY KEY,
    entries       integer     NOT NULL,
    payload       text        NOT NULL,
    written_at    timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE orleans.name_index_snapshots ALTER COLUMN payload SET STORAGE EXTERNAL;

GRANT SELECT, INSERT, UPDATE, DELETE ON orleans.name_index_snapshots TO clinic_app;
